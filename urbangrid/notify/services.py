"""Telling people: an in-app notification row for each user, at once, in the caller's
transaction; delivery on the configured outside channel (SMS gateway, log) by the scheduled
jobs, so a slow gateway never holds up the desk that acted, and a failed delivery is retried."""

from datetime import timedelta

from django.db.models import F

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
    return rows


MAX_ATTEMPTS = 5
STALE_AFTER = timedelta(days=1)  # a text about yesterday's case is no use to anyone


def deliver_pending(limit: int = 500) -> int:
    """Send what the outside channel has not carried yet; returns how many went out."""
    channel = configured_channel()
    now = clock.now()
    pending = Notification.objects.filter(
        delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__gte=now - STALE_AFTER
    )
    if channel.name != "log":
        pending = pending.exclude(phone="")  # in-app only: nothing to send
    sent = 0
    for n in pending.order_by("id")[:limit]:
        done = {"channel": channel.name, "attempts": F("attempts") + 1}
        try:
            channel.send(n.phone, n.text, n.case_number)
        except Exception as exc:  # any gateway failure is kept on the row, and tried again
            Notification.objects.filter(pk=n.pk).update(error=str(exc)[:200], **done)
        else:
            Notification.objects.filter(pk=n.pk).update(delivered_at=clock.now(), error="", **done)
            sent += 1
    return sent


def mark_read(user, ids) -> int:
    return Notification.objects.filter(user=user, pk__in=ids, read_at__isnull=True).update(
        read_at=clock.now()
    )
