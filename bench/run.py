#!/usr/bin/env python3
"""Tandem's benchmark: query counts, server time and throughput of the key pages.

Usage (from the repository root; see bench/README.md):

    .venv/bin/python bench/run.py --db sqlite --couples 10000
    .venv/bin/python bench/run.py --db postgres --database-url postgres://postgres@127.0.0.1:5432/tandem_bench

Three phases, all with production-like settings (DEBUG off, real random keys,
kept in ``var/bench/<name>.env`` so the seeded database stays readable):

1. **seed** (only when the database holds no synthetic data yet): migrate,
   collect static files, ``manage.py seed_synthetic --couples N``, timed;
2. **pages**, in this process: for each key page, the SQL queries per request
   and the server time (Django's handler, middleware and template included,
   no network) as median and p95 over ``--requests`` requests, spread over
   several couples;
3. **load**: gunicorn with 2 workers on the same database and ``wrk`` against
   the home page (signed in by session cookie) and the floor page (no
   database, tiny template; only in the URLconf with TANDEM_BENCH_FLOOR=1),
   in the same run; the home page's throughput is printed as a share of
   the floor's.

Nothing is installed here: a missing tool (wrk, gunicorn) is named, and
that phase is skipped.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "bench"
PYTHON = sys.executable
LUA = Path(__file__).resolve().parent / "report.lua"

# Targets (bench/README.md); reported, never asserted here.
QUERY_BUDGET = 12
MEDIAN_TARGET_MS = 25.0
FLOOR_SHARE_TARGET = 0.35


# --- environment ------------------------------------------------------------------


def production_env(name: str, database_url: str | None, sqlite_path: Path | None) -> dict[str, str]:
    """Production-like settings with keys that stay the same for this database."""
    STATE.mkdir(parents=True, exist_ok=True)
    keys = STATE / f"{name}.env"
    if not keys.exists():
        key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
        keys.write_text(f"SECRET_KEY={secrets.token_urlsafe(50)}\nTANDEM_ENCRYPTION_KEYS=bench1:{key}\n")
        keys.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DEBUG")}
    env.update(line.split("=", 1) for line in keys.read_text().splitlines() if "=" in line)
    env.update(
        DEBUG="False",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        HTTPS="False",  # plain HTTP on the loopback; TLS is the proxy's job and not measured
        BEHIND_PROXY="False",
        LOG_LEVEL="WARNING",
        TANDEM_BENCH_FLOOR="1",
        DJANGO_SETTINGS_MODULE="tandem.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env["SQLITE_PATH"] = str(sqlite_path)
    return env


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    command = [PYTHON, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)  # noqa: S603


# --- phase 1: seed --------------------------------------------------------------------


def seed_if_needed(env: dict, couples: int, seed: int) -> dict:
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")  # DEBUG off serves hashed names from the manifest
    probe = manage(
        env,
        "shell",
        "-c",
        "from tandem.accounts.models import User; "
        "print(User.objects.filter(email__endswith='@synthetic.tandem.test').count())",
    )
    existing = int(probe.stdout.strip().splitlines()[-1])
    if existing:
        print(f"seed: the database already holds synthetic data ({existing:,} accounts); not seeding again.")
        return {"seeded": False}
    print(f"seed: {couples:,} couples (seed {seed}) ...", flush=True)
    started = time.monotonic()
    done = manage(env, "seed_synthetic", "--couples", str(couples), "--seed", str(seed), "--allow-production-settings")
    seconds = time.monotonic() - started
    print(done.stdout.strip().splitlines()[-2].strip())  # the total rows line
    print(f"seed: {seconds:.0f} s")
    return {"seeded": True, "seconds": round(seconds, 1)}


# --- phase 2: pages in-process -----------------------------------------------------------


def django_setup(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def signed_in_client(user):
    """A test client with a session as after a full log-in (two-factor passed for a therapist)."""
    from django.test import Client

    from tandem.security import twofactor

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    if confirmed := twofactor.confirmed(user):
        session = client.session
        session[twofactor.SESSION_VERIFIED] = confirmed.pk
        session.save()
    return client


def sample_partners(count: int) -> list:
    """Partners of couples spread over the whole data set (every k-th couple)."""
    from tandem.accounts.models import User

    total = User.objects.filter(email__regex=r"^p\d+a@synthetic").count()
    step = max(1, total // count)
    emails = [f"p{i}a@synthetic.tandem.test" for i in range(0, total, step)][:count]
    return list(User.objects.filter(email__in=emails).order_by("pk"))


def key_pages(partners: list) -> dict[str, list[tuple]]:
    """(client, method, url, data) cases per page, over several couples."""
    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from tandem.accounts.models import User
    from tandem.blocks.models import Feed
    from tandem.boundaries.models import SectionDone
    from tandem.clinic.models import CareLink
    from tandem.couples.access import current_couple
    from tandem.homework.models import Assignment

    pages: dict[str, list[tuple]] = {k: [] for k in ("home", "checkin_post", "homework", "matches", "feed")}
    checkin = {
        "mood": 3, "energy": 4, "stress": 2, "closeness": 4, "desire": 3,
        "capacity": ["talk", "affection"], "note": "Benchmark evening.", "visibility": "shared",
    }  # fmt: skip
    anonymous = Client(HTTP_HOST="127.0.0.1")
    for user in partners:
        couple = current_couple(user)
        client = signed_in_client(user)
        pages["home"].append((client, "get", "/", None))
        pages["checkin_post"].append((client, "post", reverse("checkins:today", args=[couple.pk]), checkin))
        if assignment := Assignment.objects.filter(couple=couple).order_by("-created_at").first():
            url = reverse("homework:assignment", args=[couple.pk, assignment.pk])
            pages["homework"].append((client, "get", url, None))
        finished = SectionDone.objects.filter(couple=couple, section="affection").count() == 2
        if finished:
            url = reverse("boundaries:section", args=[couple.pk, "affection"])
            pages["matches"].append((client, "get", url, None))
        _feed, token = Feed.issue(user, couple)
        pages["feed"].append((anonymous, "get", reverse("blocks:feed", args=[token]), None))
    # The therapist with the most couples (300 in a full data set).
    busiest = CareLink.objects.active().values("therapist__user").order_by().annotate(n=Count("pk"))
    top = max(busiest, key=lambda row: row["n"])
    therapist = User.objects.get(pk=top["therapist__user"])
    pages[f"caseload ({top['n']} couples)"] = [(signed_in_client(therapist), "get", reverse("clinic:caseload"), None)]
    return pages


def measure_pages(requests: int, partners: int) -> list[dict]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    results = []
    for name, cases in key_pages(sample_partners(partners)).items():
        if not cases:
            print(f"pages: no case for {name}; skipped")
            continue
        counts = set()
        for client, method, url, data in cases:  # warm up, then count (the count run is not timed)
            response = getattr(client, method)(url, data)
            assert response.status_code in (200, 302), (name, url, response.status_code)
            with CaptureQueriesContext(connection) as ctx:
                getattr(client, method)(url, data)
            counts.add(len(ctx.captured_queries))  # every statement sent, savepoints included
        times = []
        for i in range(requests):
            client, method, url, data = cases[i % len(cases)]
            started = time.perf_counter()
            response = getattr(client, method)(url, data)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 302), (name, url, response.status_code)
        reset_queries()
        times.sort()
        row = {
            "page": name,
            "queries": max(counts),
            "queries_min": min(counts),
            "median_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(len(times) * 0.95) - 1], 1),
            "requests": requests,
            "couples": len(cases),
        }
        results.append(row)
        print(
            f"pages: {name:<24} queries {row['queries']:>2}  median {row['median_ms']:>6.1f} ms  "
            f"p95 {row['p95_ms']:>6.1f} ms",
            flush=True,
        )
    return results


# --- phase 3: load with gunicorn and wrk ----------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 -- our own loopback server
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def wrk(url: str, duration: int, connections: int, cookie: str | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "-s", str(LUA)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    found = dict(pair.split("=") for pair in line.split()[1:])
    return {
        "rps": round(int(found["requests"]) / (int(found["duration_us"]) / 1e6), 1),
        "p95_ms": round(int(found["p95_us"]) / 1000, 1),
        "p50_ms": round(int(found["p50_us"]) / 1000, 1),
        "errors": int(found["errors"]),
        "requests": int(found["requests"]),
    }


def load(env: dict, duration: int, connections: int, partner_email: str) -> dict | None:
    missing = [tool for tool in ("wrk",) if shutil.which(tool) is None]
    gunicorn = Path(PYTHON).with_name("gunicorn")
    if not gunicorn.exists():
        missing.append("gunicorn (pip install -e . installs it)")
    if missing:
        print(f"load: skipped, missing {', '.join(missing)} (e.g. apt-get install -y wrk)")
        return None
    from tandem.accounts.models import User

    client = signed_in_client(User.objects.get(email=partner_email))
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 -- our own gunicorn, fixed arguments
        [str(gunicorn), "tandem.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        wait_for(f"{base}/bench/floor/")
        # The cookie must really sign in: the home page then names the partner's space.
        request = urllib.request.Request(f"{base}/", headers={"Cookie": cookie})  # noqa: S310
        body = urllib.request.urlopen(request, timeout=10).read().decode()  # noqa: S310
        if "data-quick-exit" not in body:
            raise RuntimeError("the session cookie did not sign in; the home page looked signed out")
        results = {}
        for name, path, with_cookie in (("floor", "/bench/floor/", False), ("home", "/", True)):
            wrk(f"{base}{path}", 3, connections, cookie if with_cookie else None)  # warm-up
            results[name] = wrk(f"{base}{path}", duration, connections, cookie if with_cookie else None)
        results["home"]["share_of_floor"] = round(results["home"]["rps"] / results["floor"]["rps"], 3)
        results["settings"] = {"workers": 2, "connections": connections, "duration_s": duration, "wrk_threads": 2}
        for name in ("floor", "home"):
            r = results[name]
            share = f"  = {r['share_of_floor']:.2f} x floor" if "share_of_floor" in r else ""
            print(f"load: {name:<6} {r['rps']:>8.1f} req/s  p95 {r['p95_ms']:>6.1f} ms  errors {r['errors']}{share}")
        return results
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


# --- main ------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    parser.add_argument("--database-url", help="postgres://… (required with --db postgres); a database of its own")
    parser.add_argument("--couples", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--partners", type=int, default=20, help="couples the page requests are spread over")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--keep-jit", action="store_true", help="PostgreSQL: leave JIT on (off by default, see above)")
    args = parser.parse_args()
    if args.db == "postgres" and not args.database_url:
        parser.error("--db postgres needs --database-url")
    if args.db == "postgres" and "options=" not in args.database_url and not args.keep_jit:
        # PostgreSQL's JIT compiles the caseload's 300-row query on every request
        # (~50 ms of a ~70 ms query, measured); an OLTP site turns it off, and so
        # does the README's production advice.
        args.database_url += ("&" if "?" in args.database_url else "?") + "options=-c%20jit%3Doff"
    name = f"{args.db}-{args.couples}"
    sqlite_path = STATE / f"{name}.sqlite3" if args.db == "sqlite" else None
    env = production_env(name, args.database_url, sqlite_path)
    report: dict = {"db": args.db, "couples": args.couples, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    report["cpus"] = os.cpu_count()
    report["load_before"] = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None
    report["seed"] = seed_if_needed(env, args.couples, args.seed)
    django_setup(env)
    report["pages"] = measure_pages(args.requests, args.partners)
    if not args.skip_load:
        report["load"] = load(env, args.duration, args.connections, sample_partners(1)[0].email)
    report["load_after"] = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else None
    print_summary(report)
    out = STATE / f"results-{name}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nwritten: {out.relative_to(ROOT)}")


def print_summary(report: dict) -> None:
    print(f"\n## {report['db']}, N={report['couples']:,} couples ({report['date']}, {report['cpus']} CPUs)\n")
    print("| page | SQL queries | median ms | p95 ms |")
    print("|---|---:|---:|---:|")
    for row in report["pages"]:
        flag = "" if row["queries"] <= QUERY_BUDGET else " (over budget)"
        print(f"| {row['page']} | {row['queries']}{flag} | {row['median_ms']} | {row['p95_ms']} |")
    if load := report.get("load"):
        print("\n| load (gunicorn, 2 workers) | req/s | p95 ms | errors | share of floor |")
        print("|---|---:|---:|---:|---:|")
        for name in ("floor", "home"):
            r = load[name]
            print(f"| {name} | {r['rps']} | {r['p95_ms']} | {r['errors']} | {r.get('share_of_floor', 1.0)} |")


if __name__ == "__main__":
    main()
