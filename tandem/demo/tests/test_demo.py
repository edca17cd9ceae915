from io import StringIO

from django.core.management import CommandError, call_command
from django.test import TestCase

from tandem.accounts.models import User
from tandem.clinic.models import CareLink
from tandem.demo.management.commands.load_demo import DEMO_PASSWORD


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

    def test_refuses_without_debug(self):
        with self.assertRaisesMessage(CommandError, "only runs with DEBUG=True"):
            call_command("load_demo", stdout=StringIO())
