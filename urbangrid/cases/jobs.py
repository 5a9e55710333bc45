"""Periodic work. In the embedded mode a daemon thread of the web process runs it (`start_in_background`);
a multi-machine deployment runs `urbangrid run_jobs --every 30` in one process instead (or from
cron / a Celery beat), and must not start the thread."""

import logging
import threading

from django.db import close_old_connections

from . import services

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 30.0


def run_once() -> dict:
    return {"cases": services.tick()}


def start_in_background(interval: float = INTERVAL_SECONDS) -> threading.Thread:
    stop = threading.Event()

    def loop():
        while not stop.wait(interval):
            try:
                run_once()
            except Exception:
                log.exception("scheduled jobs failed")
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="urbangrid-jobs", daemon=True)
    thread.stop = stop
    thread.start()
    return thread
