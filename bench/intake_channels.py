"""The channels' hot paths on the small test county with `--cases` public cases already on file:
a report through each door (Open311 POST, the 市民通 API, the 城管通 API, a 12345 work order),
the public Open311 feed, and the hotline console's poll while a caller with a long history
rings. Prints p50/p95 per call and reports per second. Nothing is asserted.

    .venv/bin/python bench/intake_channels.py [--cases 20000] [--rounds 60] [--db sqlite|postgres]
"""

import argparse
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

WEST = {"lon": 120.001, "lat": 30.009}  # inside the small test county's west street
CALLER = "13900001111"


def photo() -> io.BytesIO:
    from PIL import Image

    f = io.BytesIO()
    Image.new("RGB", (640, 480), (120, 90, 60)).save(f, "JPEG", quality=80)
    f.seek(0)
    f.name = "photo.jpg"
    return f


def give_reporters(rng: random.Random) -> None:
    """One case in ten carries a caller's number; CALLER has reported 50 times before."""
    from benchdb import copy_rows

    from urbangrid.cases.models import Case, CaseReporter

    rows = []
    for i, (pk, number, at) in enumerate(Case.objects.values_list("id", "number", "reported_at")):
        if i < 50:
            phone = CALLER
        elif rng.random() < 0.1:
            phone = f"139{rng.randrange(10**8):08d}"
        else:
            continue
        rows.append((pk, "", phone, "hotline_12319", number, at))
    copy_rows(CaseReporter, ["case_id", "name", "phone", "source", "original_number", "reported_at"], rows)


def timed(name: str, call, rounds: int) -> None:
    from benchdb import percentile

    times = []
    for i in range(rounds):
        began = time.perf_counter()
        response = call(i)
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code >= 300:
            sys.exit(f"{name}: HTTP {response.status_code} {response.content[:300]!r}")
    per_second = 1000 * len(times) / sum(times)
    print(
        f"{name:46s} p50 {percentile(times, 0.5):7.1f} ms  p95 {percentile(times, 0.95):7.1f} ms"
        f"  {per_second:6.1f}/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    from benchdb import setup

    label = setup(args.db)
    sys.path.insert(0, str(ROOT))
    from command_layers import build_cases
    from django.test import Client

    from tests.factories import build_small_county, make_user
    from tests.org import build_org
    from urbangrid.intake import calls, clients
    from urbangrid.intake.models import ApiClient

    org = build_org(build_small_county())
    build_cases(args.cases, random.Random(1))
    give_reporters(random.Random(2))
    admin = make_user("admin", username="bench_admin")
    keys = {
        kind: clients.create_client(admin, name=kind, kind=kind)[1]
        for kind in (ApiClient.Kind.OPEN311, ApiClient.Kind.TRANSFER_12345)
    }
    print(f"{label}: {args.cases} public cases on file, {args.rounds} rounds each")

    web = Client(enforce_csrf_checks=False)
    n = args.rounds

    def open311_post(i):
        return web.post(
            "/open311/v2/requests.json",
            {
                "api_key": keys["open311"],
                "service_code": "06010",
                "description": f"垃圾 {i}",
                "lat": WEST["lat"],
                "long": WEST["lon"],
                "media": photo(),
            },
        )

    def citizen_post(i):
        web.cookies["ug_device"] = f"bench-device-{i}"
        return web.post(
            "/citizen/api/reports",
            {
                "submission_id": f"citizen-{i:08d}",
                "type_code": "06010",
                "description": "路边垃圾堆积",
                "lon": WEST["lon"],
                "lat": WEST["lat"],
                "photos": photo(),
            },
        )

    supervisor = Client()
    supervisor.force_login(org.sup)

    def field_post(i):
        return supervisor.post(
            "/api/v1/field/reports",
            {
                "client_id": f"field-{i:08d}",
                "type": "06010",
                "note": "巡查发现",
                "lon": WEST["lon"],
                "lat": WEST["lat"],
                "photos": photo(),
            },
        )

    def work_order(i):
        return web.post(
            "/api/v1/intake/work-orders",
            {
                "order_number": f"GD{i:08d}",
                "type": "06010",
                "description": "市民来电反映垃圾堆积",
                "lon": WEST["lon"],
                "lat": WEST["lat"],
                "caller_phone": "13700000000",
            },
            content_type="application/json",
            headers={"X-Api-Key": keys["transfer_12345"]},
        )

    timed("Open311 POST requests.json (one photo)", open311_post, n)
    timed("市民通 report (one photo)", citizen_post, n)
    timed("城管通 report (one photo)", field_post, n)
    timed("12345 work order", work_order, n)
    timed(
        "Open311 GET requests.json?extensions=true (1 page)",
        lambda i: web.get("/open311/v2/requests.json", {"extensions": "true", "page": i % 5 + 1}),
        n,
    )
    desk = Client()
    desk.force_login(org.intake)
    calls.register_call(admin, call_id="bench-call", caller=CALLER)
    timed("hotline console poll, caller with 50 reports", lambda i: desk.get("/hotline/ringing/"), n)


if __name__ == "__main__":
    main()
