"""The big screen's live stream under load: `--screens` open screens (SSE connections) while
cases are reported and taken in through the case services; the delay from each commit to its
delivery on every screen, and the server's memory.

    .venv/bin/python bench/command_stream.py [--screens 200] [--cases 100] [--rate 20] [--db sqlite|postgres]

The server is Django's threaded WSGI server (as `urbangrid demo` runs it) in this process, one
thread per screen. The screens are a second process reading all connections with asyncio, so
that they do not compete with the server for its interpreter lock; both stamp times with the
system's monotonic clock, which the two processes share. Prints p50/p95/max delay, events
delivered and lost, and the server's resident memory before and after the screens connected.
Nothing is asserted.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------- the screens (child process)


async def screen(
    port: int, cookie: str, received: list, ready: asyncio.Event, counter: list, total: int, expect: int
):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /command/stream/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: sessionid={cookie}\r\n"
        "Accept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    hello = False
    while True:
        line = await reader.readline()
        if not line:
            break
        if line.startswith(b"event: hello") and not hello:
            hello = True
            counter[0] += 1
            if counter[0] == total:
                ready.set()
        elif line.startswith(b"data: {") and hello:
            data = json.loads(line[6:])
            if "number" in data:
                received.append((data["number"], data["event"], time.monotonic()))
                expect -= 1
                if not expect:
                    break
    writer.close()


async def screens_main(port: int, cookie: str, n: int, expect: int, out: str) -> None:
    received: list = []
    ready, counter = asyncio.Event(), [0]
    tasks = [asyncio.create_task(screen(port, cookie, received, ready, counter, n, expect)) for _ in range(n)]
    await asyncio.wait_for(ready.wait(), 120)
    print("connected", flush=True)
    _done, pending = await asyncio.wait(tasks, timeout=600)  # every screen got every event, or…
    for t in pending:
        t.cancel()
    with open(out, "w") as f:
        json.dump(received, f)


# ---------------------------------------------------------------- the server (this process)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screens", type=int, default=200)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--rate", type=float, default=20.0, help="case events per second")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--child", nargs=4, metavar=("PORT", "COOKIE", "EXPECT", "OUT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        port, cookie, expect, out = args.child
        asyncio.run(screens_main(int(port), cookie, args.screens, int(expect), out))
        return

    sys.path.insert(0, str(ROOT / "bench"))
    from benchdb import percentile, setup

    label = setup(args.db)
    sys.path.insert(0, str(ROOT))
    from case_screens import PNG, organisation
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.test import Client

    from tests.factories import build_small_county
    from urbangrid.cases import services
    from urbangrid.core import events
    from urbangrid.geo.models import UnitGrid

    build_small_county()
    org = organisation()
    grids = list(UnitGrid.objects.filter(valid_to__isnull=True).order_by("code"))

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    client = Client()
    client.force_login(org["dispatcher"])
    cookie = client.cookies["sessionid"].value
    before = rss_mb()

    committed: dict = {}
    events.subscribe(lambda e: committed.setdefault((e.payload.get("number"), e.name), time.monotonic()))
    out = os.path.join(os.environ.get("URBANGRID_VAR_DIR", "/tmp"), "stream-received.json")
    child = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--screens",
            str(args.screens),
            "--child",
            str(port),
            cookie,
            str(2 * args.cases),
            out,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout.readline().strip() == "connected"
    connected = rss_mb()
    threads = threading.active_count()
    print(f"{label}: {args.screens} screens connected; server threads {threads}")
    gap = 1 / args.rate
    began = time.perf_counter()
    for i in range(args.cases):
        grid = grids[i % len(grids)]
        case = services.report_case(
            org["citizen"],
            source="public",
            kind="matter",
            type_code="06010",
            description="人行道上堆放生活垃圾",
            lon=grid.centroid_lon,
            lat=grid.centroid_lat,
            photos=[SimpleUploadedFile("p.png", PNG, content_type="image/png")],
        )
        time.sleep(gap)
        services.accept(org["intake"], case.number)
        time.sleep(gap)
    produced = time.perf_counter() - began
    child.wait()
    with open(out) as f:
        received = json.load(f)
    delays = [
        (at - committed[(number, name)]) * 1000
        for number, name, at in received
        if (number, name) in committed
    ]
    expected = len(committed) * args.screens
    print(f"events: {len(committed)} committed in {produced:.1f} s ({len(committed) / produced:.1f}/s)")
    print(f"deliveries: {len(delays)} of {expected} expected ({expected - len(delays)} missing)")
    if delays:
        print(
            f"commit → delivery: p50 {percentile(delays, 0.5):.1f} ms, p95 {percentile(delays, 0.95):.1f} ms, "
            f"max {max(delays):.1f} ms"
        )
    print(
        f"server memory (RSS): {before:.0f} MB before the screens, {connected:.0f} MB with them, {rss_mb():.0f} MB at the end"
    )
    server.shutdown()


if __name__ == "__main__":
    main()
