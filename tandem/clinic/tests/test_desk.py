"""The therapist's desk: the landing after log-in, their own navigation, the
caseload right after giving, programs, and refusals worded for the therapist."""

from __future__ import annotations

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.clinic import caseload
from tandem.clinic.models import AuditEntry
from tandem.couples.models import Membership
from tandem.homework import programs
from tandem.homework.content import library
from tandem.homework.models import Assignment, ProgramRun
from tandem.security.tests.helpers import code_for
from tandem.testkit.base import PASSWORD, TandemTestCase, link_therapist, make_couple, make_person

PARTNER_ONLY = ("checkins", "homework", "calendar", "home")
DESK = ["caseload", "exercises", "practice"]


def nav_keys(response) -> list[str]:
    return re.findall(r'data-nav="([a-z]+)"', response.content.decode())


class LandingTests(TandemTestCase):
    def log_in(self, user, **extra):
        return self.client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, **extra})

    def test_a_therapist_lands_on_the_caseload_after_the_code(self):
        self.assertRedirects(self.log_in(self.theo), reverse("security:login_code"))
        response = self.client.post(reverse("security:login_code"), {"code": code_for(self.theo)})
        self.assertRedirects(response, reverse("clinic:caseload"))
        page = self.client.get(reverse("clinic:caseload"))
        self.assertContains(page, "Alice & Bo")
        self.assertNotContains(page, "Start our couple space")

    def test_a_partner_still_lands_at_home(self):
        self.assertRedirects(self.log_in(self.alice), reverse("home:home"))

    def test_a_therapist_who_is_also_a_partner_lands_at_home(self):
        make_couple(self.una, make_person("pat@example.org", "Pat"))
        self.log_in(self.una)
        response = self.client.post(reverse("security:login_code"), {"code": code_for(self.una)})
        self.assertRedirects(response, reverse("home:home"))

    def test_a_next_page_asked_for_still_wins(self):
        target = reverse("accounts:profile")
        self.log_in(self.theo, next=target)
        response = self.client.post(reverse("security:login_code"), {"code": code_for(self.theo)})
        self.assertRedirects(response, target)

    def test_the_log_in_page_sends_a_signed_in_therapist_to_the_caseload(self):
        self.login(self.theo)
        self.assertRedirects(self.client.get(reverse("accounts:login")), reverse("clinic:caseload"))


class NavigationTests(TandemTestCase):
    def test_a_therapist_without_a_couple_has_the_desk_only(self):
        self.login(self.theo)
        page = self.client.get(reverse("clinic:caseload"))
        self.assertEqual(nav_keys(page), [*DESK, "profile"])
        self.assertContains(page, 'data-nav="caseload" aria-current="page"')
        self.assertNotContains(page, "Pause everything")
        self.assertContains(page, f'class="brand" href="{reverse("clinic:caseload")}"')
        # The same on a page that is not the desk's.
        self.assertEqual(nav_keys(self.client.get(reverse("accounts:profile"))), [*DESK, "profile"])

    def test_a_partner_has_no_desk_items(self):
        self.login(self.alice)
        keys = nav_keys(self.client.get(reverse("accounts:profile")))
        self.assertEqual(keys, ["home", "checkins", "homework", "calendar", "profile"])

    def test_a_new_account_keeps_the_partner_items_that_lead_to_a_couple_space(self):
        self.login(make_person("new@example.org", "New"))
        self.assertEqual(
            nav_keys(self.client.get(reverse("accounts:profile"))), ["home", "checkins", "homework", "profile"]
        )

    def test_a_therapist_who_is_also_a_partner_keeps_both(self):
        make_couple(self.una, make_person("pat@example.org", "Pat"))
        self.login(self.una)
        page = self.client.get(reverse("clinic:practice"))
        self.assertEqual(nav_keys(page), ["home", "checkins", "homework", "calendar", *DESK, "profile"])
        self.assertContains(page, 'data-nav="practice" aria-current="page"')
        self.assertContains(page, f'action="{reverse("boundaries:pause_everything")}"')

    def test_leaving_the_couple_brings_the_desk_only_back(self):
        couple = make_couple(self.una, make_person("pat@example.org", "Pat"))
        Membership.objects.filter(couple=couple, user=self.una).update(active=False)
        self.login(self.una)
        self.assertEqual(nav_keys(self.client.get(reverse("accounts:profile"))), [*DESK, "profile"])


class CaseloadAfterGivingTests(TandemTestCase):
    def give(self, item: str, **data):
        self.login(self.theo)
        return self.client.post(
            reverse("clinic:assign", args=[self.couple.pk]), {"item": item, "cadence": "once", "due_days": "7", **data}
        )

    def row_html(self) -> str:
        page = self.client.get(reverse("clinic:caseload")).content.decode()
        return page.split('data-testid="caseload-row"')[1].split("</tr>")[0]

    def test_homework_given_shows_at_once_as_given_not_none(self):
        self.assertContains(self.give("exercise:appreciations"), "", status_code=302)
        row = self.row_html()
        self.assertIn("1 given · 0 done", row)
        self.assertNotIn("none given", row)
        # Not yet due: not low adherence, nothing to worry about.
        (found,) = caseload.rows(self.theo.therapist)
        self.assertIsNone(found.adherence)
        self.assertFalse(found.needs_attention)

    def test_before_anything_is_given_it_says_none_given(self):
        self.login(self.theo)
        self.assertIn("none given", self.row_html())

    def test_a_running_program_and_its_step(self):
        self.give("program:reconnect")
        run = ProgramRun.objects.get(couple=self.couple)
        total = len(programs.run_steps(run))  # steps as written: five daily check-ins are one step
        self.assertIn(f"Reconnect: step 1 of {total}", self.row_html())
        times = programs.run_steps(run)[0].times
        for index in range(times):
            Assignment.objects.create(
                couple=self.couple,
                exercise=run.assignments.first().exercise,
                program_run=run,
                step_index=index,
                status="completed",
                completed_at=run.started_at,
            )
            (found,) = caseload.rows(self.theo.therapist)
            expected = 1 if index + 1 < times else 2
            self.assertEqual([(p.title, p.step, p.total) for p in found.programs], [("Reconnect", expected, total)])
        self.assertIn(f"Reconnect: step 2 of {total}", self.row_html())

    def test_a_stopped_program_is_not_shown(self):
        run = programs.start(self.couple, library().programs["reconnect"], self.alice)
        programs.stop(run)
        self.login(self.theo)
        self.assertIn('data-testid="programs" class="none">—', self.row_html())

    def test_the_couple_page_shows_the_program_and_open_homework_waiting(self):
        self.give("program:reconnect")
        self.give("exercise:appreciations")
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertContains(page, 'data-testid="program"')
        self.assertContains(page, "step 1 of")
        self.assertContains(page, "waiting for the couple")
        self.assertContains(page, "due ")
        self.assertContains(page, "<h1>Alice & Bo</h1>")

    def test_query_count_stays_bounded_with_programs(self):
        self.give("program:reconnect")

        def count() -> int:
            self.client.get(reverse("clinic:caseload"))
            with CaptureQueriesContext(connection) as queries:
                self.client.get(reverse("clinic:caseload"))
            return len(queries)

        small = count()
        for i in range(5):
            couple = make_couple(make_person(f"p{i}a@example.org", f"A{i}"), make_person(f"p{i}b@example.org", f"B{i}"))
            link_therapist(couple, self.theo)
            programs.start(couple, library().programs["reconnect"], couple.partners()[0])
        self.assertEqual(count(), small)
        self.assertLessEqual(small, 17)

    def test_every_row_is_still_audited(self):
        self.give("exercise:appreciations")
        before = AuditEntry.objects.filter(object_type="clinic.caseload").count()
        self.client.get(reverse("clinic:caseload"))
        self.assertEqual(AuditEntry.objects.filter(object_type="clinic.caseload").count(), before + 1)


class RefusalWordingTests(TandemTestCase):
    def give(self, item: str):
        self.login(self.theo)
        return self.client.post(
            reverse("clinic:assign", args=[self.couple.pk]), {"item": item, "cadence": "once", "due_days": "7"}
        )

    def test_a_program_the_couple_is_doing_is_refused_in_the_therapists_words(self):
        run = programs.start(self.couple, library().programs["reconnect"], self.alice)
        total = len(programs.run_steps(run))
        for index in range(programs.run_steps(run)[0].times):  # the five daily check-ins: step 1 done
            Assignment.objects.create(
                couple=self.couple,
                exercise=run.assignments.first().exercise,
                program_run=run,
                step_index=index,
                status="completed",
                completed_at=run.started_at,
            )
        response = self.give("program:reconnect")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"This couple is already doing Reconnect — it is at step 2 of {total}.")
        self.assertNotContains(response, "You are already doing")
        # Refused, not saved to be tried again later.
        self.assertFalse(self.theo.therapist.schedules.exists())

    def test_partners_still_read_it_in_their_own_voice(self):
        run = programs.start(self.couple, library().programs["reconnect"], self.alice)
        self.assertEqual(programs.already_doing(run, therapist=False), "You are already doing this program.")
        with self.assertRaisesMessage(Exception, "You are already doing this program."):
            programs.start(self.couple, library().programs["reconnect"], self.bo)
        with self.assertRaisesMessage(Exception, "This couple is already doing Reconnect"):
            programs.start(self.couple, library().programs["reconnect"], self.theo)

    def test_homework_that_builds_on_another_says_so_about_this_couple(self):
        from tandem.homework import services

        spec = library().exercise("boundaries-conversation")
        for by, words in ((self.theo, "which this couple hasn't done yet"), (self.alice, "together first")):
            try:
                services.propose(self.couple, spec, by, source="therapist" if by == self.theo else "couple")
            except services.HomeworkError as error:
                self.assertIn(words, str(error))
                if by == self.theo:
                    self.assertNotIn("you", str(error).lower())
            else:  # pragma: no cover - the couple's level may hold it first
                self.fail("given although it builds on another")


class DoorTests(TandemTestCase):
    def test_outsiders_partners_and_the_unlinked_therapist_get_404(self):
        pages = [reverse("clinic:couple", args=[self.couple.pk]), reverse("clinic:practice")]
        for user in [*self.outsiders, self.alice]:
            self.login(user)
            with self.subTest(user=user.display_name):
                self.assertEqual(self.client.get(pages[0]).status_code, 404)
                if not user.is_therapist:
                    self.assertEqual(self.client.get(pages[1]).status_code, 404)

    def test_the_unlinked_therapist_sees_no_one_on_their_caseload(self):
        self.login(self.una)
        page = self.client.get(reverse("clinic:caseload"))
        self.assertNotContains(page, "Alice")
        self.assertContains(page, "No couple is linked with you yet.")

    def test_the_practice_page_keeps_the_invite_form_and_its_refusals(self):
        self.login(self.theo)
        page = self.client.get(reverse("clinic:practice"))
        self.assertContains(page, "Harbour Practice")
        self.assertContains(page, "1 linked couple")
        refused = self.client.post(reverse("clinic:invite_create"), {"label": "x" * 500})
        self.assertEqual(refused.status_code, 200)
        self.assertContains(refused, "x" * 100)  # the note is kept beside its error
        self.assertTemplateUsed(refused, "clinic/practice.html")


class DeskHomeTests(TandemTestCase):
    """On the desk, the caseload is home: "/" leads there, and what waits on the therapist shows there first."""

    def test_home_leads_a_desk_therapist_to_the_caseload_and_a_partner_stays(self):
        self.login(self.theo)
        self.assertRedirects(self.client.get(reverse("home:home")), reverse("clinic:caseload"))
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)

    def test_the_caseload_shows_the_therapists_waiting_items_and_the_count_sits_on_caseload(self):
        from tandem.safety import services as safety

        safety.send(self.couple, self.alice, "Could we talk about Tuesday?")
        self.login(self.theo)
        page = self.client.get(reverse("clinic:caseload")).content.decode()
        self.assertIn('data-testid="waiting"', page)
        self.assertIn("A message waiting for you", page)
        self.assertRegex(page, r'<a class="tab" href="/clinic/[^"]*" data-nav="caseload"[^>]*data-waiting-link')
        self.assertIn('<span class="count" data-waiting-count>1', page)
        self.assertNotIn('data-nav="home"', page)
