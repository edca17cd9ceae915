"""Write-then-share: nothing of the partner's answer leaves the server before both are in."""

from django.urls import reverse

from tandem.couples.visibility import Visibility
from tandem.homework import services
from tandem.homework.models import Assignment, Response
from tandem.testkit.base import TandemTestCase, make_assignment, signed_in_session
from tandem.testkit.urls import urls_with_params

ALICE_WORDS = "the way you hum while cooking"
BO_WORDS = "your laugh when you are tired"


class WriteThenShareTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.assignment.refresh_from_db()

    def url(self, name="assignment"):
        return reverse(f"homework:{name}", args=[self.couple.pk, self.assignment.pk])

    def write(self, user, words, reveal_as="shared", **headers):
        self.login(user)
        return self.client.post(self.url("answer"), {"body": words, "reveal_as": reveal_as}, headers=headers)

    def every_get_body_for(self, user) -> str:
        """Every page and fragment a partner can GET for this couple, concatenated."""
        self.login(user)
        kwargs = {
            "couple_id": self.couple.pk,
            "assignment_id": self.assignment.pk,
            "slug": "appreciations",
            "action": "message",
            "run_id": 0,
        }
        bodies = []
        for name, params in urls_with_params().items():
            if not name.startswith("homework:") or "run_id" in params:
                continue
            url = reverse(name, kwargs={k: kwargs[k] for k in params})
            for headers in ({}, {"HX-Request": "true"}):
                response = self.client.get(url, headers=headers)
                bodies.append(response.content.decode())
        bodies.append(self.client.get("/").content.decode())
        return "\n".join(bodies)

    def test_the_assignment_is_active_after_both_opted_in(self):
        self.assertEqual(self.assignment.status, Assignment.Status.ACTIVE)

    def test_first_answer_is_sealed_and_unreadable_anywhere(self):
        self.write(self.alice, ALICE_WORDS)
        answer = Response.objects.get(author=self.alice)
        self.assertEqual(answer.visibility, Visibility.SEALED)
        everything = self.every_get_body_for(self.bo)
        self.assertNotIn(ALICE_WORDS, everything)
        # Bo may know it exists (sealed), never its words.
        self.assertIn("has written their part", everything)
        # The therapist can't open homework pages at all.
        self.login(self.theo)
        self.assertEqual(self.client.get(self.url()).status_code, 404)

    def test_reveal_when_the_second_answer_arrives(self):
        self.write(self.alice, ALICE_WORDS)
        response = self.write(self.bo, BO_WORDS)
        self.assertRedirects(response, self.url())
        self.assignment.refresh_from_db()
        self.assertIsNotNone(self.assignment.revealed_at)
        self.assertEqual(self.assignment.status, Assignment.Status.COMPLETED)
        for reader, other_words in ((self.alice, BO_WORDS), (self.bo, ALICE_WORDS)):
            self.login(reader)
            self.assertContains(self.client.get(self.url()), other_words)

    def test_htmx_submit_returns_the_panel_and_reveals_in_place(self):
        self.write(self.alice, ALICE_WORDS)
        response = self.write(self.bo, BO_WORDS, **{"HX-Request": "true"})
        body = response.content.decode()
        self.assertIn('id="work-panel"', body)
        self.assertIn(ALICE_WORDS, body)
        self.assertNotIn("<html", body)

    def test_an_answer_can_be_changed_until_the_reveal_only(self):
        self.write(self.alice, "first draft")
        self.write(self.alice, ALICE_WORDS)
        self.assertEqual(Response.objects.get(author=self.alice).body, ALICE_WORDS)
        self.write(self.bo, BO_WORDS)
        self.login(self.alice)
        response = self.write(self.alice, "rewriting history")
        self.assertContains(response, "already shared")
        self.assertEqual(Response.objects.get(author=self.alice).body, ALICE_WORDS)

    def test_care_team_reveal_only_with_a_linked_therapist(self):
        self.write(self.alice, ALICE_WORDS, reveal_as="care_team")
        self.write(self.bo, BO_WORDS)
        visibilities = dict(Response.objects.values_list("author__display_name", "visibility"))
        self.assertEqual(visibilities, {"Alice": "care_team", "Bo": "shared"})

    def test_private_is_not_a_reveal_choice(self):
        response = self.write(self.alice, ALICE_WORDS, reveal_as="private")
        self.assertContains(response, "Choose who reads your answer")
        self.assertContains(response, ALICE_WORDS)  # the text is kept
        self.assertFalse(Response.objects.exists())

    def test_empty_and_too_long_answers(self):
        self.assertContains(self.write(self.alice, "   "), "Write something first")
        long = "x" * 5001
        response = self.write(self.alice, long)
        self.assertContains(response, "under 5000 characters (it has 5001)")
        self.assertContains(response, long)
        self.assertFalse(Response.objects.exists())

    def test_a_failed_edit_keeps_the_saved_answer(self):
        self.write(self.alice, ALICE_WORDS)
        self.write(self.alice, "")
        self.assertEqual(Response.objects.get(author=self.alice).body, ALICE_WORDS)

    def test_replies_after_the_reveal_only(self):
        self.login(self.alice)
        response = self.client.post(self.url("reply"), {"body": "thank you"})
        self.assertContains(response, "Replies open once both answers are shared")
        self.write(self.alice, ALICE_WORDS)
        self.write(self.bo, BO_WORDS)
        self.login(self.alice)
        self.client.post(self.url("reply"), {"body": "thank you, truly"})
        self.login(self.bo)
        self.assertContains(self.client.get(self.url()), "thank you, truly")
        self.assertContains(self.client.post(self.url("reply"), {"body": ""}), "Write a reply first")

    def test_therapist_reads_care_team_answers_through_the_audited_helper_only(self):
        self.write(self.alice, ALICE_WORDS, reveal_as="care_team")
        self.write(self.bo, BO_WORDS)
        from django.test import RequestFactory

        from tandem.couples.access import couple_access_or_404

        request = RequestFactory().get("/")
        request.user = self.theo
        request.session = signed_in_session(self.theo)  # therapists need a session past two-factor
        readable = couple_access_or_404(request, self.couple.pk).entries(Response)
        self.assertEqual(list(readable.values_list("body", flat=True)), [ALICE_WORDS])

    def test_paused_homework_takes_no_answer(self):
        services.pause(self.assignment, self.bo)
        response = self.write(self.alice, ALICE_WORDS)
        self.assertContains(response, "paused for now")
        self.assertFalse(Response.objects.exists())
