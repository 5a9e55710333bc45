"""The intake API for other systems, each with its own API key (X-Api-Key header): the
telephony system's incoming-call webhook, the 12345 platform's work orders, and machine
sources' events with evidence. A repeated call, order or event answers 200 with what the
first one made; a new one answers 201."""

from django.utils.translation import gettext_lazy as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import APIKeyHeader

from urbangrid.core.errors import Invalid

from . import calls, clients, machines
from .hotline import workorders
from .models import ApiClient

router = Router(tags=["intake"])


class ClientKey(APIKeyHeader):
    """The calling system's API key; a key of another kind of client is refused (401)."""

    param_name = "X-Api-Key"

    def __init__(self, kind: str) -> None:
        self.kind = kind
        super().__init__()

    def authenticate(self, request, key):
        return clients.authenticate(key, self.kind)


class CallIn(Schema):
    call_id: str
    caller: str
    line: str = "12319"


class CallOut(Schema):
    call_id: str
    caller: str
    created: bool
    earlier_calls: int
    earlier_reports: int


@router.post(
    "/calls",
    auth=ClientKey(ApiClient.Kind.TELEPHONY),
    response={200: CallOut, 201: CallOut},
    summary="Telephony webhook: an incoming 12319 call (pops up on the operators' consoles)",
)
def incoming_call(request, body: CallIn):
    client = request.auth
    call, created = calls.register_call(
        client.account, call_id=body.call_id, caller=body.caller, line=body.line
    )
    past = calls.history(call.caller, exclude_call=call.call_id)
    out = {
        "call_id": call.call_id,
        "caller": call.caller,
        "created": created,
        "earlier_calls": len(past["calls"]),
        "earlier_reports": len(past["reports"]),
    }
    return Status(201 if created else 200, out)


class CaseRef(Schema):
    number: str
    state: str
    created: bool


@router.post(
    "/work-orders",
    auth=ClientKey(ApiClient.Kind.TRANSFER_12345),
    response={200: CaseRef, 201: CaseRef},
    summary="12345 platform: push a work order; resending the same order number gives the same case",
)
def work_order(request, body: workorders.Order):
    client = request.auth
    case, created = workorders.receive(client, body)
    return Status(201 if created else 200, {"number": case.number, "state": case.state, "created": created})


class EvidenceOut(Schema):
    sha256: str
    content_type: str
    size: int


class MachineCaseOut(CaseRef):
    evidence: list[EvidenceOut]


class MachineEventIn(Schema):
    event_id: str
    device_id: str
    type_code: str
    lon: float
    lat: float
    crs: str = "wgs84"
    description: str = ""


@router.post(
    "/machine-reports",
    auth=ClientKey(ApiClient.Kind.MACHINE),
    response={200: MachineCaseOut, 201: MachineCaseOut},
    summary="Machine source (video analysis, sensor): an event with evidence images and clips (multipart)",
)
def machine_report(request, data: Form[MachineEventIn], evidence: File[list[UploadedFile]] = None):
    client = request.auth
    if evidence is None and request.FILES:
        raise Invalid("bad_evidence_field", _("Send the evidence files in the field named evidence."))
    case, created = machines.report_event(
        client,
        **data.dict(),
        files=evidence or (),
    )
    rows = [{"sha256": e.sha256, "content_type": e.content_type, "size": e.size} for e in case.evidence.all()]
    body = {"number": case.number, "state": case.state, "created": created, "evidence": rows}
    return Status(201 if created else 200, body)
