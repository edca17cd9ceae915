"""Load a demo couple and their therapist, and print how to log in.

Safe to run again: existing demo accounts are reused, and their password is
reset to the printed one. Refuses to run with DEBUG off, so a demo password
can never appear on a real server by accident.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.blocks import services as blocks
from tandem.blocks.models import FreeTime
from tandem.clinic.models import CareConsent, CareLink, Therapist
from tandem.couples.models import Couple, Membership
from tandem.couples.visibility import Visibility
from tandem.homework import programs, services
from tandem.homework.content import library
from tandem.homework.kinds import listening
from tandem.measures import services as measures
from tandem.measures.models import MeasurePlan
from tandem.notifications.models import Channel, NotificationSettings
from tandem.wins.models import GratitudeNote

DEMO_PASSWORD = "tandem-demo-2026"  # noqa: S105 -- printed on purpose; DEBUG-only command
PEOPLE = [
    ("robin@demo.tandem.test", "Robin", "they/them"),
    ("sam@demo.tandem.test", "Sam", "she/her"),
    ("dr.lee@demo.tandem.test", "Dr Morgan Lee", ""),
]


class Command(BaseCommand):
    help = "Create a demo couple (two partners) and a linked therapist. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (tests only).")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo only runs with DEBUG=True: demo passwords don't belong on a real server.")
        robin, sam, lee = (self._person(email, name, pronouns) for email, name, pronouns in PEOPLE)
        therapist, _ = Therapist.objects.get_or_create(
            user=lee, defaults={"practice_name": "Riverside Couples Practice"}
        )

        couple = Couple.objects.filter(memberships__user=robin, memberships__active=True).first()
        if couple is None:
            couple = Couple.objects.create()
            Membership.objects.create(couple=couple, user=robin, slot=1)
            Membership.objects.create(couple=couple, user=sam, slot=2)
        link = CareLink.objects.current().filter(couple=couple).first()
        if link is None:
            link = CareLink.objects.create(couple=couple, therapist=therapist)
        for partner in (robin, sam):
            CareConsent.objects.get_or_create(link=link, user=partner)
        if not link.is_active:
            link.status = CareLink.Status.ACTIVE
            link.activated_at = timezone.now()
            link.save()

        if not couple.program_runs.exists():
            # Something to look at: the Reconnect program, its first step waiting for Sam's yes.

            programs.start(couple, library().programs["reconnect"], robin)

        if not couple.blocks.exists():
            self._calendar(couple, robin, sam)
        self._workspace(couple, link, robin, sam)
        self._waiting(couple, robin, sam)

        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at http://127.0.0.1:8000/account/login/ as:"))
        for email, name, _pronouns in PEOPLE:
            self.stdout.write(f"  {name:<15} {email:<28} password: {DEMO_PASSWORD}")
        # Therapists can't open any couple without two-factor; the demo does
        # not fake it, so the first log-in walks through the real set-up.
        self.stdout.write(
            "Dr Morgan Lee is asked to set up two-factor at the first log-in: scan the QR code with any "
            "authenticator app (or type its key), then enter the 6-digit code."
        )

    def _calendar(self, couple, robin: User, sam: User) -> None:
        """A weekly connection conversation both have said yes to, and some free times."""
        import datetime as dt

        today = robin.today()
        next_sunday = today + dt.timedelta(days=(6 - today.weekday()) or 7)
        proposal = blocks.propose(
            couple,
            robin,
            kind="conversation",
            assignment=None,
            start_date=next_sunday,
            start_time=dt.time(19, 30),
            duration_minutes=30,
            time_zone=robin.time_zone,
            weekdays="SU",
            interval=1,
            until=None,
            count=None,
        )
        blocks.accept(proposal, sam)
        for person, windows in ((robin, [(1, 18, 22), (3, 18, 22), (5, 9, 12)]), (sam, [(1, 19, 21), (5, 10, 13)])):
            for weekday, start, end in windows:
                FreeTime.objects.get_or_create(
                    user=person, weekday=weekday, start_time=dt.time(start), end_time=dt.time(end)
                )

    def _workspace(self, couple, link, robin: User, sam: User) -> None:
        """Something on the therapist's side: a next session, a questionnaire for each partner."""
        import datetime as dt

        if link.next_session is None:
            link.next_session = robin.today() + dt.timedelta(days=6)
            link.save(update_fields=["next_session"])
        if not MeasurePlan.objects.filter(couple=couple).exists():
            for partner in (robin, sam):
                measures.schedule(
                    couple, partner, "csi4", "every_n_weeks", created_by=link.therapist.user, link=link, every_weeks=4
                )

    def _waiting(self, couple, robin: User, sam: User) -> None:
        """The turn-taking loop (issue 16), so home shows items waiting for each partner:
        Sam has the program's first step to say yes to and a thank-you note to read;
        Robin has a listening turn and a time together to accept. Sam is told by e-mail."""
        import datetime as dt

        if not couple.assignments.filter(exercise__slug="reflective-listening").exists():
            # Sam proposes, so Sam speaks first; Robin's yes, then Sam's message: Robin's turn.
            talk = services.propose(couple, library().exercise("reflective-listening"), sam)
            services.opt_in(talk, robin)
            listening.say(talk, sam, "message", "I loved our walk on Sunday. Can we make it a habit?")
        if not couple.blocks.filter(proposed_by=sam).exists():
            today = sam.today()
            blocks.propose(
                couple,
                sam,
                kind="conversation",
                assignment=None,
                start_date=today + dt.timedelta(days=(2 - today.weekday()) % 7 or 7),  # next Wednesday
                start_time=dt.time(20, 0),
                duration_minutes=20,
                time_zone=sam.time_zone,
                weekdays="",
                interval=1,
                until=None,
                count=None,
            )
        if not GratitudeNote.objects.filter(couple=couple, author=robin).exists():
            GratitudeNote.objects.create(
                couple=couple,
                author=robin,
                text="Thank you for making dinner on Tuesday.",
                visibility=Visibility.SHARED,
            )
        NotificationSettings.objects.update_or_create(user=sam, defaults={"channel": Channel.EMAIL})

    def _person(self, email: str, name: str, pronouns: str) -> User:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, display_name=name, pronouns=pronouns, time_zone="Europe/Berlin"
            )
        user.set_password(DEMO_PASSWORD)
        user.save()
        return user
