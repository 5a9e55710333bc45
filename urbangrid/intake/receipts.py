"""Receipt numbers (回执号) citizens follow and rate their reports with: 10 characters from an
alphabet without 0/O/1/I (nothing to misread over the phone), about 50 bits: unguessable."""

import re
import secrets

from django.utils.translation import gettext_lazy as _

from urbangrid.cases.models import Case, State
from urbangrid.core.errors import NotFound

from .models import Receipt

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 10
_NOT_IN_CODE = re.compile(r"[\s\-]")


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not Receipt.objects.filter(code=code).exists():
            return code


def normalize(text: str) -> str:
    """What people type: lower case, spaces and dashes (ABCDE-FGHJK) are all accepted."""
    return _NOT_IN_CODE.sub("", text or "").upper()


def grouped(code: str) -> str:
    """ABCDE FGHJK, easier to read out and copy down."""
    return f"{code[:5]} {code[5:]}"


def find(text: str) -> Receipt:
    code = normalize(text)
    receipt = (
        Receipt.objects.select_related("case", "case__merged_into").filter(code=code).first()
        if len(code) == LENGTH
        else None
    )
    if receipt is None:
        raise NotFound("unknown_receipt", _("No report has this receipt number; check it and try again."))
    return receipt


def followed_case(receipt: Receipt) -> Case:
    """The case the report lives on: a merged report follows the case it was merged into."""
    case = receipt.case
    seen = {case.pk}
    while case.state == State.MERGED and case.merged_into_id and case.merged_into_id not in seen:
        case = Case.objects.select_related("type", "merged_into").get(pk=case.merged_into_id)
        seen.add(case.pk)
    return case
