"""Work orders (工单) pushed in by the 12345 platform. Each becomes a report from the 12345
source whose external reference is the order number: a resent order gives the same case. The
platform names the type by our code or by its own words, and the place by a position, an
address, or both; status changes flow back through urbangrid.intake.outbound."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from urbangrid.audit import services as audit
from urbangrid.cases import services as case_services
from urbangrid.cases.models import Case, Source
from urbangrid.catalog import search
from urbangrid.catalog.models import CatalogType
from urbangrid.catalog.models import Kind as CatalogKind
from urbangrid.core.errors import Invalid
from urbangrid.geo import gazetteer

from ..machines import kind_of
from ..models import ApiClient


class Order(Schema):
    """A work order as the platform sends it."""

    order_number: str
    type: str
    description: str
    address: str = ""
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    caller_name: str = ""
    caller_phone: str = ""
    deadline: datetime | None = None


def resolve_type(text: str) -> str:
    """Our matter code for the platform's type: the code itself, the exact name, else the only
    or first type whose name (or pinyin) contains the words."""
    text = (text or "").strip()
    types = CatalogType.objects.filter(kind=CatalogKind.MATTER, active=True).order_by("code")
    exact = types.filter(code=text).first() or types.filter(name=text).first()
    if exact is not None:
        return exact.code
    if text:
        for t in types.only("code", "name"):
            if search.matches(text, t.code, t.name):
                return t.code
    raise Invalid("unknown_type", _("No matter type matches the work order's type."), type=text)


def _position(order: Order) -> tuple[float | None, float | None, str]:
    if order.lon is not None and order.lat is not None:
        return order.lon, order.lat, order.crs
    if not order.address.strip():
        raise Invalid("location_required", _("Send the position or the address of the problem."))
    found = next((c for c in gazetteer.search(order.address, 5) if c.location is not None), None)
    if found is None:
        raise Invalid(
            "address_not_found",
            _("The address could not be found in the jurisdiction; send the position."),
            address=order.address,
        )
    return found.lon, found.lat, "wgs84"


@transaction.atomic
def receive(client: ApiClient, order: Order) -> tuple[Case, bool]:
    """The case of a work order, and whether it is new."""
    number = (order.order_number or "").strip()
    if not number or len(number) > 64:
        raise Invalid("bad_order_number", _("The order number is missing or longer than 64 characters."))
    account = client.account
    earlier = Case.objects.filter(reporter=account, source=Source.TRANSFER_12345, external_ref=number).first()
    if earlier is not None:
        return earlier, False
    type_code = resolve_type(order.type)
    lon, lat, crs = _position(order)
    description = (order.description or "").strip()
    if order.deadline is not None:
        local = timezone.localtime(order.deadline).strftime("%Y-%m-%d %H:%M")
        description = f"{description}\n" + str(_("12345 asks for completion by %(time)s.") % {"time": local})
    case = case_services.report_case(
        account,
        source=Source.TRANSFER_12345,
        kind=kind_of(type_code),
        type_code=type_code,
        description=description,
        lon=lon,
        lat=lat,
        crs=crs,
        address=order.address,
        reporter_name=order.caller_name[:50],
        reporter_phone=order.caller_phone[:32],
        external_ref=number,
        on_behalf=True,
    )
    audit.append(
        account,
        "intake.work_order",
        "case",
        case.number,
        {
            "order": number,
            "type": order.type,
            "deadline": order.deadline.isoformat() if order.deadline else None,
        },
    )
    return case, True
