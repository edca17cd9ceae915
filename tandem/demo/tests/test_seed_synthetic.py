"""manage.py seed_synthetic: deterministic, realistic, renderable, and not for real sites."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tandem.accounts.models import User
from tandem.blocks.models import Block
from tandem.boundaries.models import Answer, SectionDone
from tandem.checkins.models import CheckIn
from tandem.clinic.models import AuditEntry, CareConsent, CareLink, Therapist
from tandem.couples.models import Couple, Membership
from tandem.demo import synthetic
from tandem.homework.models import Assignment, Part, Response
from tandem.measures.models import MeasureResponse
from tandem.testkit.base import TandemTestCase

TODAY = dt.date(2026, 11, 28)


def fingerprint() -> list:
    """What the data says (decrypted), in a fixed order: equal for equal data sets."""
    mine = {"couple__memberships__user__email__endswith": synthetic.EMAIL_DOMAIN}
    return [
        # Not the password hash: its salt is random (the password is the same).
        list(
            User.objects.filter(email__endswith=synthetic.EMAIL_DOMAIN)
            .order_by("pk")
            .values_list("pk", "email", "display_name", "pronouns", "time_zone", "consent_level", "date_joined")
        ),
        list(
            Couple.objects.filter(memberships__user__email__endswith=synthetic.EMAIL_DOMAIN)
            .distinct()
            .order_by("pk")
            .values_list()
        ),
        [(c.pk, c.author_id, c.local_date, c.mood, c.capacity, c.note, c.visibility) for c in
         CheckIn.objects.filter(**mine).distinct().order_by("pk")],
        list(Assignment.objects.filter(**mine).distinct().order_by("pk").values_list("pk", "status", "exercise__slug")),
        [(r.pk, r.step, r.body) for r in Response.objects.filter(**mine).distinct().order_by("pk")],
        list(Block.objects.filter(**mine).distinct().order_by("pk").values_list("pk", "weekdays", "first_start")),
        list(Answer.objects.filter(**mine).distinct().order_by("pk").values_list("pk", "item_key", "value")),
        list(MeasureResponse.objects.filter(**mine).distinct().order_by("pk").values_list("pk", "total")),
        list(AuditEntry.objects.filter(**mine).distinct().order_by("pk").values_list("pk", "at", "object_type")),
    ]  # fmt: skip


class _Undo(Exception):
    pass


def seeded_then_undone(couples: int, seed: int) -> list:
    """Seed inside a transaction, read the fingerprint, roll the data back."""
    try:
        with transaction.atomic():
            synthetic.seed(couples, seed=seed, today=TODAY)
            found = fingerprint()
            raise _Undo
    except _Undo:
        pass
    return found


class DeterminismTests(TandemTestCase):
    def test_same_seed_same_data_other_seed_other_data(self):
        first = seeded_then_undone(3, seed=11)
        self.assertGreater(len(first[2]), 100)  # check-ins were made
        self.assertEqual(seeded_then_undone(3, seed=11), first)
        self.assertNotEqual(seeded_then_undone(3, seed=12), first)


class SeededDataTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        # Two couples per therapist here (300 in real runs), so several therapists appear.
        with mock.patch.object(synthetic, "COUPLES_PER_THERAPIST", 2):
            cls.counts = synthetic.seed(6, seed=3, today=dt.date.today())
        cls.partner = User.objects.get(email=f"p0a@{synthetic.EMAIL_DOMAIN}")
        cls.couple = Couple.objects.get(memberships__user=cls.partner)
        cls.therapist = User.objects.get(email=f"therapist0@{synthetic.EMAIL_DOMAIN}")

    def test_realistic_counts(self):
        partners = User.objects.filter(email__regex=r"^p\d+[ab]@")
        self.assertEqual(partners.count(), 12)
        self.assertEqual(Membership.objects.filter(user__in=partners, active=True).count(), 12)
        for person in partners:
            # A year on their own rhythm: from "now and then" to nearly daily, one a local day at most.
            n = CheckIn.objects.filter(author=person).count()
            self.assertTrue(5 <= n <= 366, (person.email, n))
        statuses = set(
            Assignment.objects.filter(couple__memberships__user__in=partners).values_list("status", flat=True)
        )
        self.assertLessEqual({"completed", "lapsed", "active"}, statuses)
        kinds = set(Assignment.objects.values_list("exercise__kind", flat=True))
        self.assertGreaterEqual(len(kinds), 4)
        self.assertEqual(Part.objects.count(), 2 * Assignment.objects.count())
        self.assertTrue(Block.objects.filter(status="active").exists())
        self.assertTrue(Answer.objects.exists() and SectionDone.objects.exists())
        # 60 % of the couples are linked, two per therapist here.
        self.assertEqual(CareLink.objects.active().filter(couple__memberships__user__in=partners).distinct().count(), 3)
        self.assertEqual(Therapist.objects.filter(user__email__endswith=synthetic.EMAIL_DOMAIN).count(), 2)
        self.assertEqual(CareConsent.objects.filter(user__in=partners).count(), 6)
        self.assertTrue(MeasureResponse.objects.exists())
        self.assertTrue(AuditEntry.objects.filter(therapist=self.therapist, object_type="clinic.caseload").exists())
        self.assertEqual(self.counts["checkins.CheckIn"], CheckIn.objects.count())
        self.assertTrue(self.partner.check_password(synthetic.PASSWORD))

    def test_ids_continue_after_the_seed(self):
        # Explicit ids must not leave the database's own sequences behind (PostgreSQL).
        CheckIn.objects.create(
            couple=self.couple, author=self.partner, local_date=TODAY + dt.timedelta(days=400),
            mood=3, energy=3, stress=3, closeness=3,
        )  # fmt: skip

    def test_key_pages_render_for_a_seeded_partner(self):
        self.client.force_login(self.partner)
        c = [self.couple.pk]
        assignment = Assignment.objects.filter(couple=self.couple).first()
        for url in [
            "/",
            reverse("home:couple", args=c),
            reverse("checkins:today", args=c),
            reverse("checkins:recent", args=c),
            reverse("checkins:progress", args=c),
            reverse("homework:this_week", args=c),
            reverse("homework:history", args=c),
            reverse("homework:assignment", args=[self.couple.pk, assignment.pk]),
            reverse("boundaries:overview", args=c),
            reverse("boundaries:section", args=[self.couple.pk, "affection"]),
            reverse("blocks:agenda", args=c),
            reverse("measures:overview", args=c),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_key_pages_render_for_a_seeded_therapist(self):
        self.client.force_login(self.therapist)
        response = self.client.get(reverse("clinic:caseload"))
        self.assertEqual(response.status_code, 200)
        linked = CareLink.objects.active().filter(therapist__user=self.therapist)
        self.assertEqual(linked.count(), 2)
        for link in linked:
            for name in ("clinic:couple", "measures:clinic"):
                with self.subTest(name=name):
                    self.assertEqual(self.client.get(reverse(name, args=[link.couple_id])).status_code, 200)


class CommandTests(TandemTestCase):
    @override_settings(DEBUG=False)
    def test_refuses_production_settings_without_the_flag(self):
        with self.assertRaisesMessage(CommandError, "DEBUG=True"):
            call_command("seed_synthetic", "--couples", "1", stdout=StringIO())
        self.assertFalse(User.objects.filter(email__endswith=synthetic.EMAIL_DOMAIN).exists())
        call_command("seed_synthetic", "--couples", "1", "--allow-production-settings", stdout=StringIO())
        # One couple: too few for a linked therapist (60 % of 1 rounds down).
        self.assertEqual(User.objects.filter(email__endswith=synthetic.EMAIL_DOMAIN).count(), 2)

    @override_settings(DEBUG=True)
    def test_runs_once_per_database(self):
        out = StringIO()
        call_command("seed_synthetic", "--couples", "2", "--seed", "4", "--today", "2026-11-28", stdout=out)
        self.assertIn("Seeded 2 couples", out.getvalue())
        with self.assertRaisesMessage(CommandError, "already holds synthetic data"):
            call_command("seed_synthetic", "--couples", "2", stdout=StringIO())
