"""Work repeated on a daemon thread of the web process (the embedded, single-machine mode).

A failure is logged and the loop goes on: one bad pass must not stop deadlines being watched.
"""

import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)


def repeat(name: str, interval: float, work: Callable[[], object]) -> threading.Thread:
    """Call `work` every `interval` seconds until the thread's `stop` event is set."""
    stop = threading.Event()

    def loop():
        while not stop.wait(interval):
            try:
                work()
            except Exception:
                log.exception("%s failed", name)
            finally:
                close_old_connections()
        connection.close()

    thread = threading.Thread(target=loop, name=name, daemon=True)
    thread.stop = stop
    thread.start()
    return thread
