#!/usr/bin/env python3
"""Does a request take longer when an e-mail address has an account?

Usage (from the repository root; see bench/README.md):

    .venv/bin/python bench/email_timing.py                 # SQLite, a fresh file under var/bench/
    .venv/bin/python bench/email_timing.py --database-url postgres://postgres@127.0.0.1:5432/tandem_timing

Password reset and e-mail change must not tell an attacker whether an
address is known: the server time of a request for a known address and of
one for an unknown address should be the same. This script measures both
in this process (Django's test client, production-like settings: DEBUG off,
random keys, throttles raised out of the way), in pairs of requests — one
known, one unknown, in random order — and prints for each flow:

* the median server time of each kind;
* the median of the paired differences (known - unknown) with a 95 %
  bootstrap interval;
* in how many pairs the known address was slower, with a two-sided sign
  test;
* a verdict, by an equivalence margin (``--margin``, 0.25 ms): **within
  noise** when the whole interval lies within ± the margin, **DIFFERENT**
  when it lies wholly outside, **unclear** otherwise (run more pairs).

Why a margin and not "the interval contains zero": with enough pairs any
difference, however small, becomes significant, and on a shared machine
the noise is not independent from pair to pair, so intervals come out too
narrow. A quarter of a millisecond is far below what a network adds to
each request, and the throttles allow an attacker a handful of tries per
address an hour; the gap this measures before the fix was 7 to 9 ms.

Mail goes to a tiny SMTP sink on the loopback (tandem/testkit/smtp.py), so that code
which sends during the request pays what a real local relay costs. A
benchmark, not a test: it asserts nothing, and the numbers depend on the
machine (bench/README.md has the latest ones).
"""

from __future__ import annotations

import argparse
import base64
import math
import os
import random
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))


def configure(database_url: str | None, smtp_port: int) -> None:
    STATE.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        TANDEM_ENCRYPTION_KEYS="timing1:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        ALLOWED_HOSTS="testserver",
        HTTPS="False",
        BEHIND_PROXY="False",
        LOG_LEVEL="ERROR",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="False",
        # Measure the work of a request, not the refusal of a throttle.
        THROTTLE_RESET_ACCOUNT="1000000000",
        THROTTLE_RESET_ADDRESS="1000000000",
        DJANGO_SETTINGS_MODULE="tandem.settings",
    )
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        path = STATE / "email-timing.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)  # a fresh database each run
        os.environ["SQLITE_PATH"] = str(path)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--no-input", verbosity=0)
    call_command("collectstatic", "--no-input", verbosity=0)


def bootstrap_interval(diffs: list[float], rounds: int = 2000) -> tuple[float, float]:
    rng = random.Random(1)  # noqa: S311 - resampling, not secrets
    medians = sorted(statistics.median(rng.choices(diffs, k=len(diffs))) for _ in range(rounds))
    return medians[int(0.025 * rounds)], medians[int(0.975 * rounds) - 1]


def sign_test(slower: int, pairs: int) -> float:
    """Two-sided p-value of seeing this many (or a more lopsided) split by chance."""
    extreme = max(slower, pairs - slower)
    tail = sum(math.comb(pairs, k) for k in range(extreme, pairs + 1)) / 2**pairs
    return min(1.0, 2 * tail)


def measure(name: str, known, unknown, pairs: int, warmup: int, margin: float) -> dict:
    for i in range(warmup):
        known(-1 - i)
        unknown(-1 - i)
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    order = random.Random(7)  # noqa: S311
    for i in range(pairs):
        runs = [("known", known), ("unknown", unknown)]
        order.shuffle(runs)
        for kind, run in runs:
            started = time.perf_counter()
            run(i)
            times[kind].append((time.perf_counter() - started) * 1000)
    diffs = [k - u for k, u in zip(times["known"], times["unknown"], strict=True)]
    low, high = bootstrap_interval(diffs)
    slower = sum(d > 0 for d in diffs)
    p = sign_test(slower, pairs)
    if -margin <= low and high <= margin:
        verdict = "within noise"
    elif low > margin or high < -margin:
        verdict = "DIFFERENT"
    else:
        verdict = "unclear: run more pairs"
    result = {
        "flow": name,
        "known": statistics.median(times["known"]),
        "unknown": statistics.median(times["unknown"]),
        "diff": statistics.median(diffs),
        "low": low,
        "high": high,
        "slower": slower,
        "pairs": pairs,
        "p": p,
        "verdict": verdict,
    }
    print(
        f"{name}: known {result['known']:.2f} ms, unknown {result['unknown']:.2f} ms (medians); "
        f"known - unknown {result['diff']:+.2f} ms [95 % {low:+.2f} … {high:+.2f}]; "
        f"known slower in {slower} of {pairs} pairs (sign test p = {p:.2g}): {result['verdict']}",
        flush=True,
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--margin", type=float, default=0.25, help="equivalence margin in ms (default 0.25)")
    args = parser.parse_args()
    from tandem.testkit.smtp import SmtpSink

    sink = SmtpSink(keep=False).__enter__()  # for code that sends during the request: what a local relay costs
    configure(args.database_url, sink.port)

    from django.db import connection
    from django.test import Client

    from tandem.accounts.models import User

    User.objects.filter(email__endswith="@timing.example").delete()
    User.objects.create_user("known@timing.example", "a long enough passphrase", display_name="Known")
    mover = User.objects.create_user("mover@timing.example", "a long enough passphrase", display_name="Mover")
    run = secrets.token_hex(4)  # unknown addresses are new every time, as a prober's would be

    anonymous = Client()

    def reset(email: str):
        response = anonymous.post("/account/reset/", {"email": email})
        assert response.status_code == 302, response.status_code

    signed_in = Client()
    signed_in.force_login(mover)

    def change(email: str):
        response = signed_in.post("/account/email/", {"email": email})
        assert response.status_code == 302, response.status_code
        signed_in.cookies.pop("messages", None)  # the "we sent a link" notes would pile up in the cookie

    print(
        f"{args.pairs} pairs each, after {args.warmup} warm-up pairs; database: {connection.vendor}; "
        f"margin ±{args.margin} ms",
        flush=True,
    )
    results = [
        measure(
            "password reset",
            lambda i: reset("known@timing.example"),
            lambda i: reset(f"nobody-{run}-{i}@timing.example"),
            args.pairs,
            args.warmup,
            args.margin,
        ),
        measure(
            "e-mail change",
            lambda i: change("known@timing.example"),  # an address with an account
            lambda i: change(f"free-{run}-{i}@timing.example"),  # one without: the link goes out
            args.pairs,
            args.warmup,
            args.margin,
        ),
    ]
    print()
    print("| flow | known median ms | unknown median ms | known - unknown (95 %) | known slower | verdict |")
    print("|---|---:|---:|---|---:|---|")
    for r in results:
        print(
            f"| {r['flow']} | {r['known']:.2f} | {r['unknown']:.2f} | {r['diff']:+.2f} "
            f"({r['low']:+.2f} … {r['high']:+.2f}) | {r['slower']} / {r['pairs']} | {r['verdict']} |"
        )


if __name__ == "__main__":
    main()
