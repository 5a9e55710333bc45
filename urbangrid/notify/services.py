"""Telling people: an in-app notification row for each user, plus delivery on the configured
outside channel after the transaction commits (a failed delivery is recorded, not lost)."""

from django.db import transaction

from urbangrid.core import clock

from .channels import configured_channel
from .models import Notification


def notify(users, text: str, *, kind: str, case_number: str = "", phones=()) -> list[Notification]:
    """Queue a message to users (in-app and their phone) and to bare phone numbers (reporters
    without an account). Runs inside the caller's transaction."""
    now = clock.now()
    rows = [
        Notification(
            user=u, phone=u.phone, kind=kind, case_number=case_number, text=text[:500], created_at=now
        )
        for u in {u.pk: u for u in users if u is not None}.values()
    ]
    rows += [
        Notification(phone=p, kind=kind, case_number=case_number, text=text[:500], created_at=now)
        for p in dict.fromkeys(p for p in phones if p)
    ]
    Notification.objects.bulk_create(rows)
    ids = [n.pk for n in rows if n.pk is not None]
    if ids:
        transaction.on_commit(lambda: deliver(ids))
    return rows


def deliver(ids) -> None:
    channel = configured_channel()
    for n in Notification.objects.filter(pk__in=ids, delivered_at__isnull=True):
        try:
            if n.phone or channel.name == "log":
                channel.send(n.phone, n.text, n.case_number)
            Notification.objects.filter(pk=n.pk).update(
                channel=channel.name, delivered_at=clock.now(), error=""
            )
        except Exception as exc:  # any gateway failure is kept on the row for a retry
            Notification.objects.filter(pk=n.pk).update(channel=channel.name, error=str(exc)[:200])


def mark_read(user, ids) -> int:
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=clock.now()
    )
