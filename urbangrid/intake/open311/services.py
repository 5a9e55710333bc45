"""The Open311 channel's changes of state: a request becomes a case (through
cases.services.report_case, as the client's service account) with a token for `tokens/`;
an outside update (servicerequestupdates) is kept beside the case. Each is audited."""

import secrets
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from urbangrid.audit import services as audit
from urbangrid.cases import services as cases
from urbangrid.cases.models import Case, Source
from urbangrid.catalog.models import CatalogType, Kind
from urbangrid.core import clock
from urbangrid.core.errors import Conflict, Invalid, NotFound

from ..models import ApiClient, RequestUpdate, ServiceRequestToken
from . import media, public
from .definitions import LAST_COMPONENT_CLASS

MAX_DESCRIPTION = 4000  # the spec's limit; a case keeps 2,000 (cases.Case.description)
MAX_CASE_DESCRIPTION = Case._meta.get_field("description").max_length


@dataclass
class Submission:
    matter: CatalogType
    lon: float
    lat: float
    description: str = ""
    address: str = ""
    component_code: str = ""
    attribute_lines: list[str] = field(default_factory=list)
    photos: list = field(default_factory=list)
    reporter_name: str = ""
    reporter_phone: str = ""
    external_ref: str = ""


def _case_text(s: Submission) -> str:
    """The citizen's words, then the service definition's answers; an empty description is the
    service's name, since choosing the service already says what the problem is."""
    text = (s.description or "").strip() or s.matter.name
    if s.attribute_lines:
        text += "\n" + "\n".join(s.attribute_lines)
    if len(text) > MAX_CASE_DESCRIPTION:
        # Cutting the citizen's text would lose part of the report without telling anyone.
        raise Invalid(
            "description_too_long",
            _("The description may not exceed %(n)d characters.") % {"n": MAX_CASE_DESCRIPTION},
        )
    return text


@transaction.atomic
def submit_request(client: ApiClient, s: Submission) -> tuple[Case, ServiceRequestToken]:
    """The case for a POSTed request and its token; a resend with the same idempotency key gets
    the same case and token back."""
    kind = Kind.COMPONENT if s.matter.major_code <= LAST_COMPONENT_CLASS else Kind.MATTER
    case = cases.report_case(
        client.account,
        source=Source.PUBLIC,
        kind=kind,
        type_code=s.matter.code,
        description=_case_text(s),
        lon=s.lon,
        lat=s.lat,
        crs="wgs84",
        component_code=s.component_code,
        photos=s.photos,
        reporter_name=s.reporter_name[:50],
        reporter_phone=s.reporter_phone[:32],
        external_ref=s.external_ref,
        address=s.address,
        on_behalf=True,
    )
    token = ServiceRequestToken.objects.filter(case=case, client=client).first()
    if token is None:
        token = ServiceRequestToken.objects.create(
            token=secrets.token_urlsafe(24), case=case, client=client, created_at=clock.now()
        )
        audit.append(
            client.account,
            "open311.request",
            "case",
            case.number,
            {"client": client.pk, "external_ref": s.external_ref, "photos": len(s.photos)},
        )
    return case, token


@transaction.atomic
def add_update(
    client: ApiClient, number: str, *, description: str, author: str = "", photo=None, external_id: str = ""
):
    """An outside comment (and photo) on a public case; the case's state does not change. A
    resend with the same `external_id` gets the first update back instead of a second one."""
    case = public.cases().filter(number=number).first()
    if case is None:
        raise NotFound("case_not_found", _("No such case."), number=number)
    if external_id:
        # The client's row lock makes a resend racing its first try wait, then find it.
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        earlier = RequestUpdate.objects.filter(client=client, external_id=external_id).first()
        if earlier is not None:
            if earlier.case_id != case.pk:
                raise Conflict(
                    "idempotency_key_reused",
                    _("This idempotency key was already used for another request."),
                    service_request_id=earlier.case.number,
                )
            return earlier
    description = (description or "").strip()
    if not description:
        raise Invalid("description_required", _("Describe the update."))
    if len(description) > MAX_DESCRIPTION:
        raise Invalid(
            "description_too_long",
            _("The description may not exceed %(n)d characters.") % {"n": MAX_DESCRIPTION},
        )
    update = RequestUpdate(
        case=case,
        client=client,
        description=description,
        author=author[:100],
        at=clock.now(),
        external_id=external_id,
    )
    if photo is not None:
        media.check_upload(photo)
        body, content_type = media.stripped(photo)
        update.media.save(
            f"{secrets.token_hex(8)}.{content_type.split('/')[1]}", ContentFile(body), save=False
        )
    update.save()
    audit.append(
        client.account,
        "open311.update",
        "case",
        case.number,
        {"client": client.pk, "update": update.pk, "media": update.media.name or ""},
    )
    return update
