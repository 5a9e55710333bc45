"""Appending to and verifying the hash chain.

Each record's hash covers its own fields and the hash of the record before it, so editing,
inserting or deleting any record breaks every hash after it. `append` must run inside the
caller's transaction: the record is written, or not, together with the change it describes.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from urbangrid.core import clock

from . import context
from .models import AuditRecord, ChainHead

GENESIS = "0" * 64


def canonical_json(value) -> str:
    return json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(value) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def file_digest(fileobj) -> str:
    """sha256 of an uploaded or stored file, for the payload of the record that attaches it."""
    h = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1 << 16), b""):
        h.update(chunk)
    fileobj.seek(0)
    return h.hexdigest()


def _record_hash(rec: AuditRecord) -> str:
    fields = {
        "seq": rec.seq,
        "at": rec.at.astimezone(UTC).isoformat(),
        "actor": rec.actor_id,
        "actor_name": rec.actor_name,
        "role": rec.role,
        "action": rec.action,
        "target_type": rec.target_type,
        "target_id": rec.target_id,
        "from_state": rec.from_state,
        "to_state": rec.to_state,
        "payload_digest": rec.payload_digest,
        "client_addr": rec.client_addr,
        "device": rec.device,
        "prev_hash": rec.prev_hash,
    }
    return digest(fields)


def append(
    actor,
    action: str,
    target_type: str,
    target_id,
    payload: dict | None = None,
    *,
    role: str = "",
    from_state: str = "",
    to_state: str = "",
) -> AuditRecord:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.append must run inside the transaction of the change it records")
    payload = json.loads(canonical_json(payload or {}))
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    origin = context.current()
    rec = AuditRecord(
        seq=head.last_seq + 1,
        at=clock.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "username", "") or "system")[:150],
        role=role,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        from_state=from_state,
        to_state=to_state,
        payload=payload,
        payload_digest=digest(payload),
        client_addr=origin.client_addr,
        device=origin.device,
        prev_hash=head.last_hash,
    )
    rec.hash = _record_hash(rec)
    rec.save()
    ChainHead.objects.filter(id=1).update(last_seq=rec.seq, last_hash=rec.hash)
    return rec


@dataclass
class Verdict:
    ok: bool
    checked: int
    problem: str = ""
    seq: int | None = None


def verify(batch: int = 5000) -> Verdict:
    """Walk the chain from the first record; report the first one that does not fit."""
    prev_hash = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    qs = AuditRecord.objects.order_by("seq")
    for rec in qs.iterator(chunk_size=batch):
        if rec.seq != expected_seq:
            kind = "deleted" if rec.seq > expected_seq else "inserted"
            return Verdict(False, checked, f"record(s) {kind} before seq {rec.seq}", rec.seq)
        if rec.prev_hash != prev_hash:
            return Verdict(False, checked, f"record {rec.seq} does not follow the record before it", rec.seq)
        if rec.payload_digest != digest(rec.payload):
            return Verdict(False, checked, f"payload of record {rec.seq} was altered", rec.seq)
        if _record_hash(rec) != rec.hash:
            return Verdict(False, checked, f"record {rec.seq} was altered", rec.seq)
        prev_hash = rec.hash
        expected_seq += 1
        last_seq = rec.seq
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    if head and (head.last_seq != last_seq or head.last_hash != prev_hash):
        return Verdict(False, checked, f"records after seq {last_seq} were deleted", last_seq + 1)
    return Verdict(True, checked)
