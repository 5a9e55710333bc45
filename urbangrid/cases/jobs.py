"""Periodic work: deadlines and escalation, follow-ups owed, the per-step evaluation marks and
the closed periods' figures, then the outside deliveries (status updates to other systems,
notifications). In the embedded mode a daemon thread of the web process runs it
(`start_in_background`); a multi-machine deployment runs `urbangrid run_jobs --every 30` in one
process instead (or from cron / a Celery beat), and must not start the thread."""

import threading

from django.utils.module_loading import import_string

from urbangrid.core.background import repeat

INTERVAL_SECONDS = 30.0

# (name in the report, function); each job is idempotent and returns how much it did.
JOBS = (
    ("cases", "urbangrid.cases.services.tick"),
    ("follow_ups", "urbangrid.intake.followup.schedule_due"),
    ("marks", "urbangrid.evaluation.marks.mark_due"),
    ("period_figures", "urbangrid.evaluation.figures.store_closed_periods"),
    ("outbound_sent", "urbangrid.intake.outbound.send_pending"),
    ("notifications_sent", "urbangrid.notify.services.deliver_pending"),
)


def run_once() -> dict:
    return {name: import_string(path)() for name, path in JOBS}


def start_in_background(interval: float = INTERVAL_SECONDS) -> threading.Thread:
    return repeat("urbangrid-jobs", interval, run_once)
