"""Prerequisites, due dates, the consent vocabulary, and content checks at start-up."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils import timezone

from tandem.boundaries.models import ConsentVocabulary
from tandem.homework import kinds, services
from tandem.homework.content import library
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment


class PrerequisiteTests(TandemTestCase):
    def test_an_exercise_waits_for_its_prerequisite(self):
        with self.assertRaisesMessage(services.HomeworkError, "Do “Our consent vocabulary” together first"):
            services.propose(self.couple, library().exercise("boundaries-conversation"), self.alice)
        first = make_assignment(self.couple, "consent-vocabulary", by=self.alice)
        services.opt_in(first, self.bo)
        kinds.write_then_share.submit_answer(first, self.alice, "a")
        kinds.write_then_share.submit_answer(first, self.bo, "b")
        services.propose(self.couple, library().exercise("boundaries-conversation"), self.alice)

    def test_the_reason_shows_on_the_exercise_page(self):
        self.login(self.alice)
        url = reverse("homework:propose", args=[self.couple.pk, "boundaries-conversation"])
        self.assertContains(self.client.post(url, {}), "builds on it")
        self.assertFalse(Assignment.objects.exists())


class DueDateTests(TandemTestCase):
    def propose(self, due):
        self.login(self.alice)
        return self.client.post(reverse("homework:propose", args=[self.couple.pk, "appreciations"]), {"due": due})

    def test_due_date_is_the_end_of_that_day(self):
        day = timezone.localdate() + timedelta(days=3)
        self.propose(day.isoformat())
        self.assertEqual(Assignment.objects.get().due_at.date(), day)

    def test_bad_and_past_dates(self):
        self.assertContains(self.propose("someday"), "Enter a date like")
        self.assertContains(self.propose("2026-02-30"), "2026-02-30 isn&#x27;t a real date: February 2026 has 28 days.")
        past = (timezone.localdate() - timedelta(days=1)).isoformat()
        response = self.propose(past)
        self.assertContains(response, "That date has passed")
        self.assertContains(response, past)
        self.assertFalse(Assignment.objects.exists())


class VocabularyTests(TandemTestCase):
    def url(self):
        return reverse("boundaries:vocabulary", args=[self.couple.pk])

    def test_saved_from_the_exercise_and_shown_to_both(self):
        assignment = make_assignment(self.couple, "consent-vocabulary", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.write_then_share.submit_answer(assignment, self.alice, "squeeze = pause")
        kinds.write_then_share.submit_answer(assignment, self.bo, "red = stop")
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "Save our words")
        self.client.post(self.url(), {"more": "yes please", "slower": "easy", "pause": "squeeze", "stop": "red"})
        self.login(self.alice)
        detail = self.client.get(reverse("home:couple", args=[self.couple.pk]))
        self.assertContains(detail, "squeeze")
        self.assertEqual(ConsentVocabulary.objects.get().updated_by, self.bo)

    def test_bad_input_keeps_what_was_typed_and_the_saved_list(self):
        self.login(self.alice)
        self.client.post(self.url(), {"stop": "red"})
        response = self.client.post(self.url(), {"more": "go on", "stop": ""})
        self.assertContains(response, "Agree on a way to say “stop”")
        self.assertContains(response, 'value="go on"')
        self.assertEqual(ConsentVocabulary.objects.get().stop, "red")
        self.assertContains(self.client.post(self.url(), {}), "at least one word")
        self.assertContains(self.client.post(self.url(), {"stop": "x" * 201}), "under 200 characters")

    def test_therapist_never_sees_it(self):
        ConsentVocabulary.objects.create(couple=self.couple, stop="pineapple")
        self.login(self.theo)
        self.assertNotContains(self.client.get(reverse("clinic:couple", args=[self.couple.pk])), "pineapple")


class ValidateCommandTests(SimpleTestCase):
    def test_good_library(self):
        out = StringIO()
        call_command("validate_content", stdout=out)
        self.assertIn("exercises and 4 programs are valid", out.getvalue())

    def test_broken_library_names_file_and_field(self):
        import shutil
        import tempfile

        from django.conf import settings

        root = Path(tempfile.mkdtemp())
        try:
            shutil.copytree(settings.CONTENT_DIR, root, dirs_exist_ok=True)
            path = root / "exercises" / "appreciations.md"
            path.write_text(path.read_text().replace("kind: write_then_share", "kind: poetry"))
            with self.assertRaisesMessage(CommandError, "appreciations.md: kind: must be one of"):
                call_command("validate_content", "--dir", str(root), stdout=StringIO())
        finally:
            shutil.rmtree(root)

    def test_a_server_refuses_to_start_with_broken_content(self):
        import os
        import shutil
        import subprocess
        import sys
        import tempfile

        from django.conf import settings

        root = Path(tempfile.mkdtemp())
        try:
            shutil.copytree(settings.CONTENT_DIR, root, dirs_exist_ok=True)
            path = root / "exercises" / "appreciations.md"
            path.write_text(path.read_text().replace("minutes: 15", "minutes: many"))
            env = {**os.environ, "DEBUG": "True", "CONTENT_DIR": str(root)}
            env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
            code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='tandem.settings'; django.setup()"
            result = subprocess.run(  # noqa: S603 -- fixed arguments
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
            )
            self.assertNotEqual(result.returncode, 0)
            self.assertIn("appreciations.md: minutes", result.stderr)
        finally:
            shutil.rmtree(root)


class RefusedStepTests(TandemTestCase):
    def test_reply_on_a_journal_is_a_message_not_a_crash(self):
        assignment = make_assignment(self.couple, "misunderstanding-journal", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.joint_journal.agree_on(assignment)
        kinds.joint_journal.perspective(assignment, self.alice, "a")
        kinds.joint_journal.perspective(assignment, self.bo, "b")
        self.login(self.alice)
        response = self.client.post(reverse("homework:reply", args=[self.couple.pk, assignment.pk]), {"body": "hi"})
        self.assertContains(response, "This exercise has no replies")

    def test_typed_words_come_back_when_the_partner_revealed_first(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.write_then_share.submit_answer(assignment, self.alice, "mine")
        kinds.write_then_share.submit_answer(assignment, self.bo, "theirs")
        self.login(self.alice)
        url = reverse("homework:answer", args=[self.couple.pk, assignment.pk])
        response = self.client.post(url, {"body": "a late edit I care about", "reveal_as": "shared"})
        self.assertContains(response, "Not saved yet")
        self.assertContains(response, "a late edit I care about")
