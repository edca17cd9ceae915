from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from tandem.accounts.models import User
from tandem.blocks.models import Block
from tandem.clinic.models import CareLink
from tandem.demo.management.commands.load_demo import DEMO_PASSWORD
from tandem.homework.models import ProgramRun, Response
from tandem.notifications.models import NotificationSettings
from tandem.turns import items


class LoadDemoTests(TestCase):
    def test_loads_a_linked_couple_and_prints_logins_and_can_run_twice(self):
        out = StringIO()
        call_command("load_demo", "--force", stdout=out)
        call_command("load_demo", "--force", stdout=StringIO())
        self.assertIn("robin@demo.tandem.test", out.getvalue())
        self.assertIn(DEMO_PASSWORD, out.getvalue())
        self.assertIn("set up two-factor at the first log-in", out.getvalue())
        robin = User.objects.get(email="robin@demo.tandem.test")
        self.assertTrue(robin.check_password(DEMO_PASSWORD))
        link = CareLink.objects.get()
        self.assertTrue(link.is_active)
        self.assertEqual({m.user.display_name for m in link.couple.memberships.all()}, {"Robin", "Sam"})
        self.assertEqual(link.therapist.user.email, "dr.lee@demo.tandem.test")

    def test_shows_the_turn_taking_loop_and_stays_the_same_when_run_again(self):
        call_command("load_demo", "--force", stdout=StringIO())
        robin, sam = (User.objects.get(email=f"{n}@demo.tandem.test") for n in ("robin", "sam"))

        def codes(person):
            return sorted(item.code for item in items.for_person(person))

        first = (codes(robin), codes(sam), Response.objects.count(), Block.objects.count())
        self.assertLessEqual({items.BLOCK, items.HOMEWORK_TURN}, set(first[0]))
        self.assertLessEqual({items.HOMEWORK_YES, items.THANKS}, set(first[1]))
        self.assertNotIn(items.HOMEWORK_TURN, first[1])  # Sam spoke: the turn is Robin's
        self.assertEqual(NotificationSettings.of(sam).channel, "email")
        self.assertEqual(NotificationSettings.of(robin).channel, "none")
        self.assertTrue(ProgramRun.objects.filter(slug="reconnect").exists())
        call_command("load_demo", "--force", stdout=StringIO())
        self.assertEqual((codes(robin), codes(sam), Response.objects.count(), Block.objects.count()), first)

    def test_refuses_without_debug(self):
        with self.assertRaisesMessage(CommandError, "only runs with DEBUG=True"):
            call_command("load_demo", stdout=StringIO())
