"""Periodic work: deadlines and escalation, follow-ups owed, the per-step evaluation marks and
the closed periods' figures, then the outside deliveries (status updates to other systems,
notifications). In the embedded mode a daemon thread of the web process runs it
(`start_in_background`); a multi-machine deployment runs `urbangrid run_jobs --every 30` in one
process instead (or from cron / a Celery beat), and must not start the thread."""

import logging
import threading

from django.utils.module_loading import import_string

from urbangrid.core.background import repeat

INTERVAL_SECONDS = 30.0
log = logging.getLogger(__name__)

# (name in the report, function); each job is idempotent and returns how much it did.
JOBS = (
    ("cases", "urbangrid.cases.services.tick"),
    ("follow_ups", "urbangrid.intake.followup.schedule_due"),
    ("marks", "urbangrid.evaluation.marks.mark_due"),
    ("outbound_sent", "urbangrid.intake.outbound.send_pending"),
    ("notifications_sent", "urbangrid.notify.services.deliver_pending"),
    # Last: counting a closed period of a megacity takes seconds.
    ("period_figures", "urbangrid.evaluation.figures.store_closed_periods"),
)


def run_once() -> dict:
    """Every job once; a job that fails is logged and reported as None, and the others still run
    (a broken evaluation must not hold up deadlines or SMS)."""
    done = {}
    for name, path in JOBS:
        try:
            done[name] = import_string(path)()
        except Exception:
            log.exception("job %s failed", name)
            done[name] = None
    return done


def start_in_background(interval: float = INTERVAL_SECONDS) -> threading.Thread:
    return repeat("urbangrid-jobs", interval, run_once)
