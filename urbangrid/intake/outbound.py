"""Status changes owed to the 12345 platform for the work orders it pushed to us.

Nothing may be lost, so nothing hangs on an in-memory event: the periodic job (`send_pending`,
run by urbangrid.cases.jobs) first scans the timelines of the 12345 cases for entries not yet
queued and writes an OutboundUpdate row for each (`queue_new`), then delivers the rows through
the configured adapter, oldest first, with retries. A crash between the two loses nothing:
the rows are in the database, and the scan picks up where the queue ends.

The adapter is pluggable: URBANGRID["OUTBOUND_ADAPTER"] names a class (dotted path) whose
instances have `send(client, payload)` and raise on failure. The default POSTs the payload as
JSON to the client's callback URL, signed with HMAC-SHA256 keyed by the SHA-256 of the client's
API key (which the client knows and we keep), in the X-UrbanGrid-Signature header.
"""

import hashlib
import hmac
import json
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string

from urbangrid.cases.models import CaseAction, Source, State
from urbangrid.core import clock

from .models import ApiClient, OutboundUpdate

DEFAULT_ADAPTER = "urbangrid.intake.outbound.WebhookSender"
MAX_ATTEMPTS = 8
RETRY_BASE = timedelta(seconds=30)  # then 1, 2, 4 ... minutes between tries
# Timeline entries written by transactions still open when the last scan ran commit with lower
# ids than entries already queued: rescanning this far back catches them.
RESCAN = timedelta(hours=1)
STATE_NAMES = dict(State.choices)


class WebhookSender:
    def __init__(self, timeout: float = 5.0) -> None:
        self.timeout = timeout

    def send(self, client: ApiClient, payload: dict) -> None:
        if not client.callback_url:
            raise ValueError("the client has no callback URL")
        body = json.dumps(payload, ensure_ascii=False).encode()
        signature = hmac.new(client.key_digest.encode(), body, hashlib.sha256).hexdigest()
        req = urllib.request.Request(
            client.callback_url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "X-UrbanGrid-Signature": f"sha256={signature}"},
        )
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:
            if resp.status >= 300:
                raise RuntimeError(f"callback answered {resp.status}")


def adapter():
    return import_string(settings.URBANGRID.get("OUTBOUND_ADAPTER", DEFAULT_ADAPTER))()


def _payload(entry: CaseAction) -> dict:
    case = entry.case
    return {
        "order_number": case.external_ref,
        "case_number": case.number,
        "action": entry.action,
        "state": entry.to_state or case.state,
        "state_name": str(STATE_NAMES.get(entry.to_state, entry.to_state)),
        "note": entry.note[:500],
        "at": entry.at.isoformat(),
        "action_id": entry.pk,
    }


def _queued_ids(client_ids) -> set[int]:
    rows = OutboundUpdate.objects.filter(client_id__in=client_ids, created_at__gte=clock.now() - 2 * RESCAN)
    return {p.get("action_id") for p in rows.values_list("payload", flat=True)}


@transaction.atomic
def queue_new() -> int:
    """Queue an update for every timeline entry of a 12345 case not queued yet."""
    # Locking the clients serialises concurrent scans, so no entry is queued twice.
    clients = {
        c.account_id: c
        for c in ApiClient.objects.select_for_update().filter(kind=ApiClient.Kind.TRANSFER_12345, active=True)
    }
    if not clients:
        return 0
    client_ids = [c.pk for c in clients.values()]
    last = (
        OutboundUpdate.objects.filter(client_id__in=client_ids)
        .order_by("-id")
        .values_list("payload", flat=True)
    ).first()
    newer = Q(pk__gt=last["action_id"]) if last else Q()
    entries = (
        CaseAction.objects.filter(case__source=Source.TRANSFER_12345, case__reporter_id__in=list(clients))
        .filter(newer | Q(at__gte=clock.now() - RESCAN))
        .select_related("case")
        .order_by("id")
    )
    queued = _queued_ids(client_ids)
    now = clock.now()
    rows = [
        OutboundUpdate(client=clients[e.case.reporter_id], case=e.case, payload=_payload(e), created_at=now)
        for e in entries
        if e.pk not in queued
    ]
    OutboundUpdate.objects.bulk_create(rows)
    return len(rows)


def _due(row: OutboundUpdate, now) -> bool:
    if row.attempts == 0:
        return True
    wait = RETRY_BASE * (2 ** (row.attempts - 1))
    return now >= row.created_at + wait


def send_pending(limit: int = 500) -> int:
    """Queue what is new, then deliver what is owed; returns how many updates went out. A
    client's updates go in order: after a failure its later ones wait for the next round."""
    queue_new()
    sender = adapter()
    now = clock.now()
    pending = (
        OutboundUpdate.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .select_related("client")
        .order_by("id")[:limit]
    )
    sent, blocked = 0, set()
    for row in pending:
        if row.client_id in blocked:
            continue
        if not _due(row, now):
            blocked.add(row.client_id)
            continue
        try:
            sender.send(row.client, row.payload)
        except Exception as exc:  # any failure of the far side is kept on the row, and tried again
            OutboundUpdate.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, error=str(exc)[:200])
            blocked.add(row.client_id)
        else:
            OutboundUpdate.objects.filter(pk=row.pk).update(
                attempts=row.attempts + 1, sent_at=clock.now(), error=""
            )
            sent += 1
    return sent
