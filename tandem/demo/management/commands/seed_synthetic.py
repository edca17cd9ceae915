"""Fill the database with a deterministic synthetic data set (see tandem/demo/synthetic.py).

For benchmarks and query-budget work only: every synthetic account shares one
printed password, so the command refuses to run with DEBUG off unless
``--allow-production-settings`` says this is a benchmark server, not a real one.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User
from tandem.demo import synthetic


class Command(BaseCommand):
    help = "Write N synthetic couples (a year of data each) and their therapists. Benchmarks only."

    def add_arguments(self, parser):
        parser.add_argument("--couples", type=int, required=True, help="How many couples (e.g. 10000).")
        parser.add_argument("--seed", type=int, default=1, help="Same seed (and --today) -> same data.")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="Anchor date (YYYY-MM-DD).")
        parser.add_argument(
            "--allow-production-settings",
            action="store_true",
            help="Run with DEBUG off (a benchmark server with production-like settings; never a real site).",
        )

    def handle(self, *args, couples: int, seed: int, today, allow_production_settings: bool, **options):
        if not settings.DEBUG and not allow_production_settings:
            raise CommandError(
                "seed_synthetic only runs with DEBUG=True: it creates accounts with a shared, printed password. "
                "On a benchmark server with production-like settings, add --allow-production-settings."
            )
        if couples < 1:
            raise CommandError("--couples must be at least 1.")
        if User.objects.filter(email__endswith=f"@{synthetic.EMAIL_DOMAIN}").exists():
            raise CommandError("This database already holds synthetic data; seed a fresh one.")
        started = time.monotonic()
        counts = synthetic.seed(couples, seed=seed, today=today, log=self.stdout.write)
        seconds = time.monotonic() - started
        for label, count in sorted(counts.items()):
            self.stdout.write(f"  {label:<28} {count:>10,}")
        self.stdout.write(f"  {'total rows':<28} {sum(counts.values()):>10,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {couples:,} couples in {seconds:.1f} s. Every synthetic account "
                f"(p<i>a@ / p<i>b@ / therapist<t>@{synthetic.EMAIL_DOMAIN}) has the password {synthetic.PASSWORD}."
            )
        )
