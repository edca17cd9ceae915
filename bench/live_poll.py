#!/usr/bin/env python3
"""What live pages cost: the polling endpoints of ``tandem/turns``, next to a page.

Usage (from the repository root; see bench/README.md, "Live turns"):

    .venv/bin/python bench/live_poll.py --db sqlite --couples 10000
    .venv/bin/python bench/live_poll.py --db postgres --database-url postgres://postgres@127.0.0.1:5432/tandem_bench

The same database, keys and production-like settings as ``bench/run.py``
(seeded by it, or here when empty). Two phases:

1. **in-process** (Django's test client): SQL statements and server time,
   median and p95, of each answer a live page asks for: the header's count
   (``/waiting/count/``) changed (200) and unchanged (304), an assignment's
   turn stamp (``…/stamp/``) changed and unchanged, the region fetched when
   the stamp changed, and the home page for scale;
2. **load**: gunicorn with 2 workers and ``wrk`` (2 threads, 8 connections)
   against the floor page, the unchanged count, the unchanged stamp and home.

From the load numbers it prints how many open pages polling at the default
intervals (LIVE_POLL_SECONDS, LIVE_TURN_POLL_SECONDS) would take a tenth of
the two workers. Targets (reported, not asserted): count and stamp ≤ 5 SQL
statements whatever the data; median ≤ 5 ms in-process; 1,000 open pages
polling cost ≤ 10 % of the two workers.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # bench/run.py, next to this file

ROOT = bench.ROOT
POLL_QUERY_TARGET = 5
POLL_MEDIAN_TARGET_MS = 5.0
OPEN_PAGES_TARGET = 1000


def cases(partners: list) -> dict[str, list[tuple]]:
    """(client, url, headers) per answer, over several couples."""
    from django.urls import reverse

    from tandem.couples.access import current_couple
    from tandem.homework.models import Assignment

    found: dict[str, list[tuple]] = {
        k: [] for k in ("count 200", "count 304", "stamp 200", "stamp 304", "turn region", "home")
    }
    for user in partners:
        couple = current_couple(user)
        client = bench.signed_in_client(user)
        count = client.get("/waiting/count/")
        found["count 200"].append((client, "/waiting/count/", {}))
        found["count 304"].append((client, "/waiting/count/", {"If-None-Match": count["ETag"]}))
        found["home"].append((client, "/", {}))
        assignment = (
            Assignment.objects.filter(couple=couple, status__in=["active", "proposed", "completed"])
            .order_by("-created_at")
            .first()
        )
        if assignment is None:
            continue
        url = reverse("turns:stamp", args=[couple.pk, assignment.pk])
        stamp = client.get(url)
        found["stamp 200"].append((client, url, {}))
        found["stamp 304"].append((client, url, {"If-None-Match": stamp["ETag"]}))
        page = reverse("homework:assignment", args=[couple.pk, assignment.pk])
        found["turn region"].append((client, page, {"HX-Request": "true", "HX-Target": "turn-region"}))
    return found


def in_process(requests: int, partners: int) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    rows = []
    for name, answers in cases(bench.sample_partners(partners)).items():
        if not answers:
            print(f"in-process: no case for {name}; skipped")
            continue
        counts = set()
        for client, url, headers in answers:
            client.get(url, headers=headers)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, headers=headers)
            assert response.status_code in (200, 304), (name, url, response.status_code)
            counts.add(len(ctx.captured_queries))
        times = []
        for i in range(requests):
            client, url, headers = answers[i % len(answers)]
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            times.append((time.perf_counter() - started) * 1000)
        reset_queries()
        times.sort()
        row = {
            "answer": name,
            "queries": max(counts),
            "median_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
            "bytes": len(response.content),
        }
        rows.append(row)
        print(
            f"in-process: {name:<12} queries {row['queries']:>2}  median {row['median_ms']:>6.2f} ms  "
            f"p95 {row['p95_ms']:>6.2f} ms  body {row['bytes']} B",
            flush=True,
        )
    return rows


def load(env: dict, duration: int, connections: int, partner_email: str) -> dict | None:
    import shutil

    from django.urls import reverse

    from tandem.accounts.models import User
    from tandem.couples.access import current_couple
    from tandem.homework.models import Assignment

    gunicorn = Path(bench.PYTHON).with_name("gunicorn")
    if shutil.which("wrk") is None or not gunicorn.exists():
        print("load: skipped, missing wrk or gunicorn (e.g. apt-get install -y wrk)")
        return None
    user = User.objects.get(email=partner_email)
    client = bench.signed_in_client(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    couple = current_couple(user)
    assignment = Assignment.objects.filter(couple=couple).order_by("-created_at").first()
    stamp_url = reverse("turns:stamp", args=[couple.pk, assignment.pk])
    etags = {"count": client.get("/waiting/count/")["ETag"], "stamp": client.get(stamp_url)["ETag"]}
    port = bench.free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [str(gunicorn), "tandem.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    targets = (
        ("floor", "/bench/floor/", None),
        ("count 304", "/waiting/count/", etags["count"]),
        ("stamp 304", stamp_url, etags["stamp"]),
        ("home", "/", None),
    )
    try:
        bench.wait_for(f"{base}/bench/floor/")
        request = urllib.request.Request(f"{base}/waiting/count/", headers={"Cookie": cookie})  # noqa: S310
        assert urllib.request.urlopen(request, timeout=10).status == 200  # noqa: S310 -- signed in
        results = {}
        for name, path, etag in targets:
            headers = [f"Cookie: {cookie}"] + ([f"If-None-Match: {etag}"] if etag else [])
            wrk(f"{base}{path}", 3, connections, headers)  # warm-up
            results[name] = wrk(f"{base}{path}", duration, connections, headers)
            r = results[name]
            print(
                f"load: {name:<10} {r['rps']:>8.1f} req/s  p95 {r['p95_ms']:>6.1f} ms  errors {r['errors']}", flush=True
            )
        results["settings"] = {"workers": 2, "connections": connections, "duration_s": duration, "wrk_threads": 2}
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def wrk(url: str, duration: int, connections: int, headers: list[str]) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(bench.LUA)]
    for header in headers:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    found = dict(pair.split("=") for pair in line.split()[1:])
    return {
        "rps": round(int(found["requests"]) / (int(found["duration_us"]) / 1e6), 1),
        "p95_ms": round(int(found["p95_us"]) / 1000, 1),
        "errors": int(found["errors"]),
    }


def open_pages(results: dict) -> dict:
    """How many open pages polling at the default intervals take 10 % of the two workers."""
    from django.conf import settings

    count_every, stamp_every = settings.LIVE_POLL_SECONDS, settings.LIVE_TURN_POLL_SECONDS
    count_cost = 1 / results["count 304"]["rps"]  # worker-seconds per unchanged count
    stamp_cost = 1 / results["stamp 304"]["rps"]
    # A page of any kind polls the count; an exercise under way polls its stamp too.
    any_page = count_cost / count_every
    exercise = any_page + stamp_cost / stamp_every
    return {
        "any_page_at_10pct": int(0.1 / any_page),
        "exercise_page_at_10pct": int(0.1 / exercise),
        "intervals_s": [count_every, stamp_every],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--database-url")
    parser.add_argument("--couples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--partners", type=int, default=20)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    if args.db == "postgres" and "options=" not in args.database_url:
        args.database_url += ("&" if "?" in args.database_url else "?") + "options=-c%20jit%3Doff"
    name = f"{args.db}-{args.couples}"
    sqlite_path = bench.STATE / f"{name}.sqlite3" if args.db == "sqlite" else None
    env = bench.production_env(name, args.database_url, sqlite_path)
    report: dict = {"db": args.db, "couples": args.couples, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report["load_before"] = Path("/proc/loadavg").read_text().split()[:3]
    report["seed"] = bench.seed_if_needed(env, args.couples, args.seed)
    bench.django_setup(env)
    report["in_process"] = in_process(args.requests, args.partners)
    if not args.skip_load and (
        results := load(env, args.duration, args.connections, bench.sample_partners(1)[0].email)
    ):
        report["load"] = results
        report["open_pages"] = open_pages(results)
        print(f"open pages at 10 % of 2 workers: {report['open_pages']}")
    report["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
    out = bench.STATE / f"live-{name}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
