"""The couple rules hold in the database, not only in the code."""

from django.db import IntegrityError, transaction

from tandem.couples.models import Couple, Membership
from tandem.testkit.base import TandemTestCase, make_person


class ConstraintTests(TandemTestCase):
    def assert_refused(self, **fields):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Membership.objects.create(**fields)

    def test_same_person_twice_in_one_couple(self):
        couple = Couple.objects.create()
        nadia = make_person("nadia@example.org", "Nadia")
        Membership.objects.create(couple=couple, user=nadia, slot=1)
        self.assert_refused(couple=couple, user=nadia, slot=2, active=False)

    def test_at_most_two_partners(self):
        third = make_person("third@example.org", "Ren")
        self.assert_refused(couple=self.couple, user=third, slot=1)
        self.assert_refused(couple=self.couple, user=third, slot=3)

    def test_one_active_couple_per_person(self):
        self.assert_refused(couple=Couple.objects.create(), user=self.alice, slot=1)

    def test_a_closed_membership_does_not_block_a_new_couple(self):
        Membership.objects.filter(user=self.alice).update(active=False)
        Membership.objects.create(couple=Couple.objects.create(), user=self.alice, slot=1)

    def test_email_unique_whatever_the_case(self):
        from tandem.accounts.models import User

        with self.assertRaises(IntegrityError), transaction.atomic():
            User.objects.create(email="ALICE@example.org", display_name="Imposter")
