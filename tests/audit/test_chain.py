import pytest
from django.db import connection, transaction

from urbangrid.audit import services as audit
from urbangrid.audit.models import AppendOnlyError, AuditRecord


def _append_three(actor=None):
    with transaction.atomic():
        for i in range(3):
            audit.append(actor, "test.action", "thing", f"T{i}", {"i": i, "note": "井盖破损"})


def _drop_protection():
    """What an attacker with database access would do first."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("DROP TRIGGER IF EXISTS audit_record_no_update ON audit_auditrecord")
        else:
            cur.execute("DROP TRIGGER IF EXISTS audit_record_no_update")


@pytest.mark.django_db
def test_records_chain_and_verify(clock):
    _append_three()
    recs = list(AuditRecord.objects.order_by("seq"))
    assert [r.seq for r in recs] == [1, 2, 3]
    assert recs[0].prev_hash == audit.GENESIS
    assert recs[1].prev_hash == recs[0].hash and recs[2].prev_hash == recs[1].hash
    verdict = audit.verify()
    assert verdict.ok and verdict.checked == 3


@pytest.mark.django_db(transaction=True)
def test_append_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        audit.append(None, "test.action", "thing", "X")


@pytest.mark.django_db
def test_application_cannot_rewrite_or_delete(clock):
    _append_three()
    rec = AuditRecord.objects.get(seq=2)
    rec.action = "forged"
    with pytest.raises(AppendOnlyError):
        rec.save()
    with pytest.raises(AppendOnlyError):
        rec.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(seq=2).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()


@pytest.mark.django_db
def test_database_trigger_refuses_raw_update(clock):
    _append_three()
    with pytest.raises(Exception, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET action = 'forged' WHERE seq = 2")
    assert AuditRecord.objects.get(seq=2).action == "test.action"


@pytest.mark.django_db
def test_verify_catches_an_edited_payload(clock):
    _append_three()
    _drop_protection()
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE audit_auditrecord SET payload = %s WHERE seq = 2", ['{"i": 99, "note": "井盖破损"}']
        )
    verdict = audit.verify()
    assert not verdict.ok and verdict.seq == 2 and "payload" in verdict.problem


@pytest.mark.django_db
def test_verify_catches_an_edited_field_with_recomputed_digest(clock):
    _append_three()
    _drop_protection()
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET actor_name = 'someone_else' WHERE seq = 1")
    verdict = audit.verify()
    assert not verdict.ok and verdict.seq == 1


@pytest.mark.django_db
def test_verify_catches_a_deleted_record_in_the_middle_and_at_the_end(clock):
    _append_three()
    _drop_protection()
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditrecord WHERE seq = 3")
    verdict = audit.verify()
    assert not verdict.ok and "deleted" in verdict.problem and verdict.seq == 3
    with connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditrecord WHERE seq = 1")
    verdict = audit.verify()
    assert not verdict.ok and verdict.seq == 2


@pytest.mark.django_db
def test_verify_catches_an_inserted_record(clock):
    _append_three()
    _drop_protection()
    first = AuditRecord.objects.get(seq=1)
    with connection.cursor() as cur:
        cur.execute("UPDATE audit_auditrecord SET seq = seq + 1000 WHERE seq >= 2")
        cur.execute("UPDATE audit_auditrecord SET seq = seq - 999 WHERE seq >= 1000")
        cur.execute(
            "INSERT INTO audit_auditrecord (seq, at, actor_name, role, action, target_type, target_id, from_state,"
            " to_state, payload, payload_digest, client_addr, device, prev_hash, hash)"
            " VALUES (2, %s, 'x', '', 'forged', 'thing', 'T9', '', '', '{}', %s, '', '', %s, %s)",
            [first.at, audit.digest({}), first.hash, "f" * 64],
        )
    verdict = audit.verify()
    assert not verdict.ok and verdict.seq == 2
