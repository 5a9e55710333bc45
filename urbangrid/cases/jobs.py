"""Periodic work: deadlines and escalation, then the outside delivery of notifications. In the embedded mode a daemon thread of the web process runs it (`start_in_background`);
a multi-machine deployment runs `urbangrid run_jobs --every 30` in one process instead (or from
cron / a Celery beat), and must not start the thread."""

import threading

from urbangrid.core.background import repeat
from urbangrid.notify.services import deliver_pending

from . import services

INTERVAL_SECONDS = 30.0


def run_once() -> dict:
    return {"cases": services.tick(), "notifications_sent": deliver_pending()}


def start_in_background(interval: float = INTERVAL_SECONDS) -> threading.Thread:
    return repeat("urbangrid-jobs", interval, run_once)
