"""Every hold is decided in one place and looks the same everywhere.

For each hold: every page that shows homework (this week, the assignment,
the library and the exercise page, the program, home, the calendar, the
therapist's couple page) shows it held with the same reason and offers no
form the server would refuse; a form opened before the hold is refused with
that reason, and the words typed into it come back. And the Python form of
``holds`` agrees with its SQL form for every code.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.blocks.models import Block
from tandem.boundaries import services as boundaries
from tandem.boundaries.catalogue import catalogue
from tandem.boundaries.models import CouplePause
from tandem.couples import services as couples
from tandem.homework import holds, programs, services
from tandem.homework.content import library
from tandem.homework.models import Assignment, Debrief, Exercise, Response
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, make_assignment, make_block

TYPED = "Twenty minutes of careful words about what I would like us to try."


def pause_one(case, assignment):
    services.pause(assignment, case.bo)


def pause_everything(case, assignment):
    CouplePause.objects.create(couple=case.couple, user=case.bo)


def hard_season(case, assignment):
    seasons.start(case.couple, case.bo, reason="work", reason_shared=False, expected_weeks=2)


def lower_level(case, assignment):
    case.bo.consent_level = assignment.exercise.intimacy_level - 1
    case.bo.save(update_fields=["consent_level"])


def say_no(case, assignment):
    (item, *_rest) = assignment.spec.boundary_items
    section = next(slug for slug, found in catalogue().items() if any(i.key == item for i in found.items))
    boundaries.save_answers(case.couple, case.bo, section, {item: ("no", "")})


def close_space(case, assignment):
    couples.leave_couple(case.couple)


# hold -> (the homework it is shown on, how it starts)
ASSIGNMENT_HOLDS = {
    holds.PAUSED: ("mirror-of-desire", pause_one),
    holds.PAUSED_EVERYTHING: ("mirror-of-desire", pause_everything),
    holds.HARD_SEASON: ("mirror-of-desire", hard_season),
    holds.CONSENT_LEVEL: ("mirror-of-desire", lower_level),
    holds.BOUNDARIES: ("tactile-game", say_no),  # the exercise needs a boundary item
    holds.CLOSED: ("mirror-of-desire", close_space),
}
# How the partner's words are sent, per kind: (url name, extra args, data).
SUBMIT = {
    "write_then_share": ("homework:answer", (), {"body": TYPED, "reveal_as": "shared"}),
    "activity": ("homework:step", ("plan",), {"body": TYPED}),
}


@contextmanager
def rolled_back():
    """Each hold on a fresh copy of the same couple: everything done inside is undone."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def item_with(html: str, marker: str) -> str:
    """The list item of a page that holds ``marker`` (a link), or "" when none does."""
    return next((chunk.split("</li>")[0] for chunk in html.split("<li") if marker in chunk), "")


class HoldCase(TandemTestCase):
    def as_program_step(self, slug: str, program: str = "reconnect") -> Assignment:
        """``slug`` under way as the current step of a running program, with a block planned for it."""
        run = programs.start(self.couple, library().programs[program], self.alice)
        index = next(o.index for o in programs.occurrences(programs.run_steps(run)) if o.step.exercise == slug)
        run.assignments.all().delete()  # the first step, opened by the start
        for done in range(index):  # the steps before it, done together
            before = make_assignment(self.couple, "appreciations", by=self.alice)
            Assignment.objects.filter(pk=before.pk).update(status="completed", program_run=run, step_index=done)
        assignment = make_assignment(self.couple, slug, by=self.alice)
        services.opt_in(assignment, self.bo)
        Assignment.objects.filter(pk=assignment.pk).update(program_run=run, step_index=index)
        assignment.refresh_from_db()
        make_block(self.couple, self.alice, kind="homework", assignment=assignment)
        return assignment

    def get(self, name: str, *args, user=None):
        self.login(user or self.alice)
        return self.client.get(reverse(name, args=[self.couple.pk, *args]))


class EveryPageAgreesTests(HoldCase):
    def test_each_hold_is_shown_refused_and_worded_alike_on_every_page(self):
        for code, (slug, start_hold) in ASSIGNMENT_HOLDS.items():
            with self.subTest(hold=code), rolled_back():
                self.check_pages(code, slug, start_hold)

    def check_pages(self, code: str, slug: str, start_hold) -> None:
        assignment = self.as_program_step(slug)
        url = reverse("homework:assignment", args=[self.couple.pk, assignment.pk])
        submit_name, submit_args, data = SUBMIT[assignment.kind]
        submit_url = reverse(submit_name, args=[self.couple.pk, assignment.pk, *submit_args])
        # Before the hold Alice has the form open.
        self.assertContains(self.get("homework:assignment", assignment.pk), f'action="{submit_url}"')
        start_hold(self, assignment)
        self.couple.refresh_from_db()
        reason = escape(holds.reason(code))
        self.assertTrue(reason)

        # This week: under "On hold for now", with the reason; never under "Open for us now".
        page = self.get("homework:this_week").content.decode()
        opened, held = page.split('data-testid="open-rows"')[1], page.split('data-testid="held-rows"')[1]
        self.assertNotIn(url, opened.split("</section>")[0])
        self.assertIn(reason, item_with(held, url))

        # The assignment page: the reason, and no form to submit.
        page = self.get("homework:assignment", assignment.pk)
        self.assertContains(page, reason)
        self.assertNotContains(page, f'action="{submit_url}"')

        # The program page: its current step, held with the same words.
        page = self.get("homework:program", assignment.program_run_id)
        self.assertContains(page, reason)

        # The library and the exercise page: held (no "suggest" form), or not
        # listed at all when saying more would hint at a partner.
        spec_url = reverse("homework:exercise", args=[self.couple.pk, slug])
        listed = item_with(self.get("homework:library").content.decode(), f'href="{spec_url}"')
        exercise_page = self.get("homework:exercise", slug)
        if code in (holds.CONSENT_LEVEL, holds.BOUNDARIES):
            self.assertEqual(listed, "")
            self.assertEqual(exercise_page.status_code, 404)
        elif code == holds.PAUSED:  # the pause is of that one homework, not of the exercise
            self.assertNotIn('data-testid="held"', listed)
            self.assertContains(exercise_page, "Suggest this to us")
        else:
            self.assertIn(reason, listed)
            self.assertContains(exercise_page, reason)
            self.assertNotContains(exercise_page, "Suggest this to us")

        # The calendar (and, while the space is open, home): the block for it is held too.
        self.assertIn(reason, item_with(self.get("blocks:agenda").content.decode(), assignment.exercise.title))
        if code != holds.CLOSED:  # a closed space is no longer anyone's home page
            self.login(self.alice)
            self.assertIn(reason, item_with(self.client.get("/").content.decode(), assignment.exercise.title))
            # The therapist reads the same hold in the therapist's words.
            page = self.get("clinic:couple", user=self.theo)
            therapist = escape(holds.reason(code, therapist=True))
            self.assertIn(therapist, item_with(page.content.decode(), assignment.exercise.title))

        # Submitted anyway, from the page opened before: refused with the
        # reason, nothing saved, and the words shown back to copy.
        self.login(self.alice)
        response = self.client.post(submit_url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, reason)
        self.assertContains(response, escape(TYPED))
        self.assertContains(response, 'data-testid="unsaved"')
        self.assertNotContains(response, f'action="{submit_url}"')
        self.assertFalse(Response.objects.filter(assignment=assignment).exists())
        # With htmx the refreshed panel carries both too.
        response = self.client.post(submit_url, data, headers={"HX-Request": "true"})
        self.assertContains(response, reason)
        self.assertContains(response, escape(TYPED))

    def test_a_held_suggestion_can_be_set_aside_but_not_said_yes_to(self):
        assignment = make_assignment(self.couple, "mirror-of-desire", by=self.alice)
        hard_season(self, assignment)
        page = self.get("homework:assignment", assignment.pk, user=self.bo)
        self.assertContains(page, escape(holds.reason(holds.HARD_SEASON)))
        self.assertNotContains(page, "Yes, I")
        self.assertContains(page, "Not this one")
        with self.assertRaisesMessage(services.HomeworkError, holds.reason(holds.HARD_SEASON)):
            services.opt_in(assignment, self.bo)

    def test_lapsed_homework_offers_no_new_start_while_that_would_be_held(self):
        assignment = make_assignment(self.couple, "mirror-of-desire", by=self.alice)
        Assignment.objects.filter(pk=assignment.pk).update(status="lapsed", lapsed_at=timezone.now())
        pause_everything(self, assignment)
        page = self.get("homework:assignment", assignment.pk)
        self.assertContains(page, escape(holds.reason(holds.PAUSED_EVERYTHING)))
        self.assertNotContains(page, "Start it again")
        with self.assertRaisesMessage(services.HomeworkError, holds.reason(holds.PAUSED_EVERYTHING)):
            services.renew(assignment, self.alice)

    def test_words_sent_after_the_homework_lapsed_come_back_too(self):
        assignment = make_assignment(self.couple, "mirror-of-desire", by=self.alice)
        services.opt_in(assignment, self.bo)
        Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - dt.timedelta(minutes=1))
        self.login(self.alice)
        response = self.client.post(
            reverse("homework:answer", args=[self.couple.pk, assignment.pk]), SUBMIT["write_then_share"][2]
        )
        self.assertContains(response, "wasn&#x27;t done in time")
        self.assertContains(response, 'data-testid="unsaved"')
        self.assertContains(response, escape(TYPED))


class TouchGateTests(HoldCase):
    def test_a_stage_not_yet_open_is_held_on_every_page_that_offers_it(self):
        run = programs.start(self.couple, library().programs["sensate-focus"], self.alice)
        for person in (self.alice, self.bo):
            person.consent_level = 3
            person.save(update_fields=["consent_level"])
        # Both repeats of stage 1 done; stage 2 waits for two "comfortable" (and, linked, the go-ahead).
        stage_one = Exercise.objects.snapshot(library().exercise("sensate-focus-1"))
        run.assignments.all().delete()
        for index in (0, 1):
            done = Assignment.objects.create(
                couple=self.couple, exercise=stage_one, status="completed", program_run=run, step_index=index
            )
        Debrief.objects.create(couple=self.couple, assignment=done, author=self.alice, feeling=4, comfortable=True)
        facts = holds.of_couple(self.couple)
        self.assertEqual(facts.spec(library().exercise("sensate-focus-2")), holds.TOUCH_GATE)
        reason = escape(facts.reason(holds.TOUCH_GATE))
        self.assertIn("therapist", reason)  # the linked therapist asked to approve stages

        spec_url = reverse("homework:exercise", args=[self.couple.pk, "sensate-focus-2"])
        self.assertIn(reason, item_with(self.get("homework:library").content.decode(), f'href="{spec_url}"'))
        page = self.get("homework:exercise", "sensate-focus-2")
        self.assertContains(page, reason)
        self.assertNotContains(page, "Suggest this to us")
        self.assertContains(self.get("homework:program", run.pk), reason)
        # Proposed anyway (from a page opened earlier): refused with the same words.
        due = (self.alice.today() + dt.timedelta(days=5)).isoformat()
        self.login(self.alice)
        response = self.client.post(reverse("homework:propose", args=[self.couple.pk, "sensate-focus-2"]), {"due": due})
        self.assertContains(response, reason)
        self.assertFalse(Assignment.objects.filter(exercise__slug="sensate-focus-2").exists())

        # Bo says comfortable and the therapist approves: the stage opens everywhere.
        Debrief.objects.create(couple=self.couple, assignment=done, author=self.bo, feeling=4, comfortable=True)
        Assignment.objects.filter(pk=done.pk).update(approved_at=timezone.now())
        self.assertEqual(holds.of_couple(self.couple).spec(library().exercise("sensate-focus-2")), "")
        self.assertContains(self.get("homework:exercise", "sensate-focus-2"), "Suggest this to us")


class PythonAndSQLAgreeTests(HoldCase):
    """``of_couple(...).assignment/block`` and ``with_holds()`` give the same code for every hold."""

    def agree(self, assignment: Assignment, expected: str) -> None:
        facts = holds.of_couple(self.couple)
        self.assertEqual(Assignment.objects.with_holds().get(pk=assignment.pk).hold, expected)
        self.assertEqual(facts.assignment(Assignment.objects.get(pk=assignment.pk)), expected)
        for block in Block.objects.filter(assignment=assignment).select_related("assignment__exercise"):
            self.assertEqual(Block.objects.with_holds().get(pk=block.pk).hold, expected)
            self.assertEqual(facts.block(block), expected)

    def test_every_hold_alike_in_both_forms(self):
        for code, (slug, start_hold) in {"": ("tactile-game", lambda case, a: None), **ASSIGNMENT_HOLDS}.items():
            with self.subTest(hold=code or "none"), rolled_back():
                assignment = make_assignment(self.couple, slug, by=self.alice)
                make_block(self.couple, self.alice, kind="homework", assignment=assignment)
                self.agree(assignment, "")
                start_hold(self, assignment)
                self.couple.refresh_from_db()
                self.agree(assignment, code)

    def test_the_first_hold_in_precedence_is_the_one_given(self):
        assignment = make_assignment(self.couple, "tactile-game", by=self.alice)
        starts = [say_no, lower_level, pause_one, hard_season, pause_everything, close_space]
        expected = [holds.BOUNDARIES, holds.CONSENT_LEVEL, holds.PAUSED, holds.HARD_SEASON]
        expected += [holds.PAUSED_EVERYTHING, holds.CLOSED]
        for start_hold, code in zip(starts, expected, strict=True):
            start_hold(self, assignment)
            self.couple.refresh_from_db()
            self.agree(assignment, code)

    def test_talk_homework_is_held_only_by_its_own_pause_or_a_closed_space(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        make_block(self.couple, self.alice, kind="homework", assignment=assignment)
        for start_hold in (hard_season, pause_everything):
            start_hold(self, assignment)
        self.agree(assignment, "")
        pause_one(self, assignment)
        self.agree(assignment, holds.PAUSED)

    def test_closeness_blocks_wait_for_pause_everything_and_the_level_not_for_a_season(self):
        block = make_block(self.couple, self.alice, kind="closeness")

        def both(expected):
            self.assertEqual(Block.objects.with_holds().get(pk=block.pk).hold, expected)
            self.assertEqual(holds.of_couple(self.couple).block(block), expected)
            self.assertEqual(holds.of_couple(self.couple).closeness(), expected)

        both(holds.CONSENT_LEVEL)  # both partners start at level 0
        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save(update_fields=["consent_level"])
        both("")
        hard_season(self, None)
        both("")
        pause_everything(self, None)
        both(holds.PAUSED_EVERYTHING)

    def test_a_couple_still_waiting_for_a_partner_is_at_level_zero(self):
        self.alice.consent_level = 3
        self.alice.save(update_fields=["consent_level"])
        facts = holds.of_couple(self.other_couple)
        self.assertEqual(facts.level, 0)
        self.assertTrue(facts.complete)
        couple = couples.create_couple(self.una)
        facts = holds.of_couple(couple)
        self.assertEqual((facts.level, facts.complete), (0, False))

    def test_the_couple_facts_are_one_query(self):
        with self.assertNumQueries(1):
            holds.of_couple(self.couple)
