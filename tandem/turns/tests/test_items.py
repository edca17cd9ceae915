"""Waiting items: each event makes one item for the person whose move it is,
and none for anyone else; the item goes when they move; held items are not
items; no item says anything private."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.blocks import services as blocks
from tandem.boundaries import agreements
from tandem.boundaries import services as boundaries
from tandem.boundaries.models import Answer
from tandem.clinic import services as clinic
from tandem.clinic.models import CareLink
from tandem.homework import kinds, programs, services
from tandem.homework.content import library
from tandem.homework.kinds import checkin as checkin_kind
from tandem.homework.kinds import joint_journal, listening, touch, write_then_share
from tandem.homework.models import Assignment, Part
from tandem.measures import services as measures
from tandem.measures.instruments import CSI4, PHQ9
from tandem.measures.models import RiskFlag
from tandem.safety import services as safety
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, link_therapist, make_assignment, make_block, make_therapist
from tandem.turns import items
from tandem.wins.models import GratitudeNote

SEALED_WORDS = "MARKER-SEALED-WORDS"
SAFETY_WORDS = "MARKER-SAFETY-WORDS"
THANKS_WORDS = "MARKER-THANKS-WORDS"
AGREEMENT_WORDS = "MARKER-AGREEMENT-WORDS"
QUIET_DAYS = settings.QUIET_COUPLE_DAYS
# What no item may ever say (lower case): who paused, declined or said no, or a safety message.
FORBIDDEN = ("paus", "declin", "set aside", "said no", "refus", "safety", "risk", "marker-")


def active(couple, slug: str, by) -> Assignment:
    """Homework under way: proposed by ``by`` (role a), the other said yes."""
    assignment = make_assignment(couple, slug, by=by)
    services.opt_in(assignment, couple.partner_of(by))
    assignment.refresh_from_db()
    return assignment


class WaitingCase(TandemTestCase):
    def everyone(self):
        return [self.alice, self.bo, self.theo, self.una, self.olga, self.omar]

    def items_of(self, person) -> list[items.WaitingItem]:
        return items.for_person(person)

    def assert_only(self, person, code: str) -> items.WaitingItem:
        """``person`` has exactly one item, of ``code``; nobody else has any."""
        for other in self.everyone():
            found = self.items_of(other)
            if other == person:
                self.assertEqual([i.code for i in found], [code], other.display_name)
                self.assertEqual(items.count(other), 1, other.display_name)
            else:
                self.assertEqual(found, [], other.display_name)
                self.assertEqual(items.count(other), 0, other.display_name)
        return self.items_of(person)[0]


# --- the events: each makes one item; then the person moves ------------------------------------
# (test case, ) -> (person, code, move)


def suggestion(t):
    assignment = make_assignment(t.couple, "appreciations", by=t.alice)
    return t.bo, items.HOMEWORK_YES, lambda: services.opt_in(assignment, t.bo)


def suggestion_set_aside(t):
    assignment = make_assignment(t.couple, "appreciations", by=t.alice)
    return t.bo, items.HOMEWORK_YES, lambda: services.set_aside(assignment, t.bo)


def program_step(t):
    run = programs.start(t.couple, library().programs["hard-season"], t.alice)
    step = Assignment.objects.get(program_run=run)
    services.opt_in(step, t.alice)
    return t.bo, items.HOMEWORK_YES, lambda: services.opt_in(step, t.bo)


def therapist_homework(t):
    due = timezone.now() + dt.timedelta(days=5)
    assignment = services.propose(
        t.couple, library().exercise("appreciations"), t.theo, source=Assignment.Source.THERAPIST, due_at=due
    )
    services.opt_in(assignment, t.alice)
    return t.bo, items.HOMEWORK_YES, lambda: services.opt_in(assignment, t.bo)


def sealed_answer(t):
    assignment = active(t.couple, "appreciations", t.alice)
    write_then_share.submit_answer(assignment, t.alice, SEALED_WORDS)
    return t.bo, items.HOMEWORK_TURN, lambda: write_then_share.submit_answer(assignment, t.bo, "Mine too")


def listening_turn(t):
    assignment = active(t.couple, "reflective-listening", t.alice)
    listening.say(assignment, t.alice, "message", SEALED_WORDS)
    return t.bo, items.HOMEWORK_TURN, lambda: listening.say(assignment, t.bo, "restatement", "I heard")


def listening_first_turn(t):
    assignment = make_assignment(t.couple, "reflective-listening", by=t.bo)  # bo speaks first (role a)
    services.opt_in(assignment, t.alice)
    return t.bo, items.HOMEWORK_TURN, lambda: listening.say(assignment, t.bo, "message", "Hello")


def journal_turn(t):
    assignment = active(t.couple, "misunderstanding-journal", t.alice)
    joint_journal.agree_on(assignment)
    joint_journal.perspective(assignment, t.alice, SEALED_WORDS)

    def move():
        # My side shared, both sides are in: restating my partner's is my next move (an item
        # again), until I have.
        joint_journal.perspective(assignment, t.bo, "My side")
        joint_journal.restate(assignment, t.bo, "You felt unheard")

    return t.bo, items.HOMEWORK_TURN, move


def checkin_turn(t):
    assignment = active(t.couple, "daily-check-in", t.alice)
    checkin_kind.answer(assignment, t.alice, "Fine")
    return t.bo, items.HOMEWORK_TURN, lambda: checkin_kind.answer(assignment, t.bo, "Fine too")


def block_proposed(t):
    block = make_block(t.couple, t.alice, status="proposed")
    return t.bo, items.BLOCK, lambda: blocks.accept(block, t.bo)


def block_declined(t):
    block = make_block(t.couple, t.alice, status="proposed")
    return t.bo, items.BLOCK, lambda: blocks.decline(block, t.bo)


def block_change(t):
    block = make_block(t.couple, t.alice)
    plan = {f: getattr(block, f) for f in blocks.PLAN_FIELDS}
    plan["start_time"] = dt.time(20, 0)
    change = blocks.propose(t.couple, t.bo, replaces=block, **plan)
    return t.alice, items.BLOCK_CHANGE, lambda: blocks.accept(change, t.alice)


def agreement(t):
    made = agreements.create(t.couple, t.alice, "comfortable", AGREEMENT_WORDS, None)
    return t.bo, items.AGREEMENT, lambda: agreements.confirm(made.versions.first(), t.bo)


def agreement_new_version(t):
    made = agreements.create(t.couple, t.alice, "comfortable", AGREEMENT_WORDS, None)
    agreements.confirm(made.versions.first(), t.bo)
    version = agreements.edit(made, t.bo, AGREEMENT_WORDS + " again", None)
    return t.alice, items.AGREEMENT, lambda: agreements.confirm(version, t.alice)


def measure(t):
    plan = measures.schedule(t.couple, t.alice, "csi4", "once", created_by=t.theo)
    return t.alice, items.MEASURE, lambda: measures.record(plan, {i.link_id: 3 for i in CSI4.items})


def care_link(t):
    clinic.end_link(t.link)
    invite = clinic.create_care_invite(t.una.therapist)
    link = clinic.redeem_care_invite(invite, t.couple, t.alice)
    return t.bo, items.CARE_LINK, lambda: clinic.consent_to_link(link, t.bo)


def safety_message(t):
    message = safety.send(t.couple, t.alice, SAFETY_WORDS)
    return t.theo, items.SAFETY, lambda: safety.mark_read_by_therapist([message.thread])


def risk_flag(t):
    plan = measures.schedule(t.couple, t.alice, "phq9", "once", created_by=t.theo)
    measures.record(plan, {i.link_id: 2 for i in PHQ9.items})
    return t.theo, items.FLAG, lambda: measures.mark_seen(RiskFlag.objects.get())


def stage_approval(t):
    stage = make_assignment(t.couple, "sensate-focus-1", by=t.alice)
    Assignment.objects.filter(pk=stage.pk).update(status=Assignment.Status.COMPLETED, completed_at=timezone.now())
    return t.theo, items.STAGE, lambda: Assignment.objects.filter(pk=stage.pk).update(approved_at=timezone.now())


def thanks(t):
    note = GratitudeNote.objects.create(couple=t.couple, author=t.alice, text=THANKS_WORDS, visibility="shared")

    def move():
        t.client.force_login(t.bo)
        t.client.post(reverse("wins:note_read", args=[t.couple.pk, note.pk]))

    return t.bo, items.THANKS, move


def quiet_couple(t):
    """The link began long enough ago and nothing has moved since: quiet from a moment ago."""
    began = timezone.now() - dt.timedelta(days=QUIET_DAYS, seconds=1)
    CareLink.objects.filter(pk=t.link.pk).update(activated_at=began)

    def move():
        # The therapist's move: homework given starts the wait again.
        services.propose(t.couple, library().exercise("appreciations"), t.theo, source=Assignment.Source.THERAPIST)

    return t.theo, items.QUIET, move


EVENTS = [
    suggestion,
    suggestion_set_aside,
    program_step,
    therapist_homework,
    sealed_answer,
    listening_turn,
    listening_first_turn,
    journal_turn,
    checkin_turn,
    block_proposed,
    block_declined,
    block_change,
    agreement,
    agreement_new_version,
    measure,
    care_link,
    safety_message,
    risk_flag,
    stage_approval,
    thanks,
    quiet_couple,
]


class EventTests(WaitingCase):
    def run_event(self, event, check):
        """Each event in its own rolled-back transaction: they start from the same state."""
        with self.subTest(event=event.__name__), transaction.atomic():
            person, code, move = event(self)
            check(person, code, move)
            transaction.set_rollback(True)

    def test_nobody_waits_at_first(self):
        for person in self.everyone():
            self.assertEqual(self.items_of(person), [])

    def test_each_event_makes_one_item_for_the_right_person_only(self):
        for event in EVENTS:
            self.run_event(event, lambda person, code, move: self.assert_only(person, code))

    def test_the_item_goes_when_the_person_moves(self):
        def check(person, code, move):
            before = self.assert_only(person, code)
            move()
            self.assertNotIn(before.url, [i.url for i in self.items_of(person) if i.code == code])

        for event in EVENTS:
            self.run_event(event, check)

    def test_every_item_has_a_neutral_title_a_time_and_a_page(self):
        def check(person, code, move):
            item = self.assert_only(person, code)
            self.assertTrue(item.title and item.at and item.url.startswith("/"))
            self.client.force_login(person)
            self.assertEqual(self.client.get(item.url).status_code, 200, item.url)

        for event in EVENTS:
            self.run_event(event, check)

    def test_homework_from_the_therapist_reads_as_from_them_with_its_due_date(self):
        with transaction.atomic():
            person, _code, _move = therapist_homework(self)
            item = self.items_of(person)[0]
            transaction.set_rollback(True)
        self.assertEqual(item.by, self.theo.display_name)
        self.assertEqual(item.due, (timezone.now() + dt.timedelta(days=5)).astimezone(self.bo.zone).date())
        self.assertEqual(item.detail, library().exercise("appreciations").title)


class NewestFirstTests(WaitingCase):
    def test_newest_first_and_one_query_whatever_the_number(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        make_block(self.couple, self.alice, status="proposed")
        agreements.create(self.couple, self.alice, "comfortable", "Words", None)
        with CaptureQueriesContext(connection) as ctx:
            found = items.for_person(self.bo)
        self.assertEqual(len(ctx.captured_queries), 1)
        self.assertEqual([i.code for i in found], [items.AGREEMENT, items.BLOCK, items.HOMEWORK_YES])
        with CaptureQueriesContext(connection) as ctx:
            self.assertEqual(items.count(self.bo), 3)
        self.assertEqual(len(ctx.captured_queries), 1)


class HeldTests(WaitingCase):
    """Held items are not items (``holds`` decides), and nothing says whose hold it is."""

    def test_a_paused_homework_is_nobodys_item(self):
        assignment = active(self.couple, "appreciations", self.alice)
        write_then_share.submit_answer(assignment, self.alice, SEALED_WORDS)
        services.pause(assignment, self.alice)
        for person in self.everyone():
            self.assertEqual(self.items_of(person), [], person.display_name)
        services.resume(assignment, self.alice)
        self.assert_only(self.bo, items.HOMEWORK_TURN)

    def test_pause_everything_holds_intimate_homework_and_closeness(self):
        make_assignment(self.couple, "sensory-exploration", by=self.alice)
        make_block(self.couple, self.alice, status="proposed", kind="closeness")
        self.assertEqual(len(self.items_of(self.bo)), 2)
        boundaries.pause_everything(self.couple, self.bo)
        for person in self.everyone():
            self.assertEqual(self.items_of(person), [], person.display_name)
            self.assertEqual(items.count(person), 0)

    def test_a_hard_season_holds_intimate_homework(self):
        make_assignment(self.couple, "sensory-exploration", by=self.alice)
        seasons.start(self.couple, self.alice, reason="", reason_shared=False, expected_weeks=2)
        self.assertEqual(self.items_of(self.bo), [])

    def test_lapsed_homework_is_no_item(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
        self.assertEqual(self.items_of(self.bo), [])

    def test_a_closed_space_has_no_items(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        self.couple.closed_at = timezone.now()
        self.couple.save(update_fields=["closed_at"])
        self.assertEqual(self.items_of(self.bo), [])


class TherapistTests(WaitingCase):
    def test_only_through_an_active_link(self):
        safety.send(self.couple, self.alice, SAFETY_WORDS)
        self.assertEqual(len(self.items_of(self.theo)), 1)
        clinic.end_link(self.link)
        self.assertEqual(self.items_of(self.theo), [])

    def test_a_flag_stays_with_its_link(self):
        plan = measures.schedule(self.couple, self.alice, "phq9", "once", created_by=self.theo)
        measures.record(plan, {i.link_id: 2 for i in PHQ9.items})
        clinic.end_link(self.link)
        lee = make_therapist("lee@example.org", "Dr Lee")
        link_therapist(self.couple, lee)
        self.assertEqual(self.items_of(lee), [])
        self.assertEqual(self.items_of(self.theo), [])

    def test_no_stage_item_when_the_therapist_did_not_ask_to_approve(self):
        CareLink.objects.filter(pk=self.link.pk).update(stages_need_approval=False)
        with transaction.atomic():
            stage_approval(self)
            self.assertEqual(self.items_of(self.theo), [])
            transaction.set_rollback(True)


class PrivacyTests(WaitingCase):
    def test_no_item_text_says_anything_private_to_anyone(self):
        """All the events at once, plus a "no" boundary answer and a pause: check every text of every item."""
        for event in EVENTS:
            if event not in (care_link, suggestion_set_aside, block_declined):
                event(self)
        Answer.objects.create(couple=self.couple, author=self.alice, item_key="massage", value="no")
        paused = make_assignment(self.couple, "celebrate-a-small-win", by=self.alice)
        services.pause(paused, self.bo)
        seen = 0
        for person in self.everyone():
            for item in self.items_of(person):
                seen += 1
                text = " ".join([item.title, item.detail, item.by]).lower()
                for word in FORBIDDEN:
                    self.assertNotIn(word, text, (person.display_name, item))
                self.assertNotEqual(item.url, f"/couple/{self.couple.pk}/homework/{paused.pk}/")
        self.assertGreater(seen, 10)
        # The safety message is the therapist's item alone.
        self.assertEqual([i.code for i in self.items_of(self.bo) if i.code == items.SAFETY], [])
        self.assertEqual([i.code for i in self.items_of(self.alice) if i.code == items.SAFETY], [])

    def test_a_touch_ready_today_is_never_an_item(self):
        stage = active(self.couple, "sensate-focus-1", self.alice)
        touch.ready_today(stage, self.alice)
        for person in self.everyone():
            self.assertEqual(self.items_of(person), [], person.display_name)


class ListeningRuleTests(WaitingCase):
    """The listening kind's SQL rule agrees with its own walk (``listening.state``) at every turn."""

    def test_whose_move_matches_the_state(self):
        assignment = active(self.couple, "reflective-listening", self.alice)
        moves = [
            (self.alice, "message"),
            (self.bo, "restatement"),
            (self.alice, "message"),  # "not quite"
            (self.bo, "restatement"),
            (self.alice, "confirmation"),
            (self.bo, "message"),
            (self.alice, "restatement"),
        ]
        for who, step in [(None, None), *moves]:
            if who is not None:
                listening.say(assignment, who, step, "" if step == "confirmation" else "words")
            state = listening.state(assignment)
            movers = set(
                Part.objects.filter(assignment=assignment)
                .filter(kinds.get("listening").whose_move())
                .values_list("user_id", flat=True)
            )
            expected = {p.pk for p in (self.alice, self.bo) if state.my_turn(p)}
            self.assertEqual(movers, expected, (who, step))


class RevisitTests(WaitingCase):
    """An agreement's revisit date that came waits on both partners: either may look at it again."""

    def agreed(self, revisit_on):
        made = agreements.create(self.couple, self.alice, "revisit", AGREEMENT_WORDS, revisit_on)
        agreements.confirm(made.versions.first(), self.bo)
        return made

    def test_the_date_came_one_item_for_each_partner_and_nobody_else(self):
        made = self.agreed(self.alice.today())
        for person in self.everyone():
            codes = [i.code for i in self.items_of(person)]
            self.assertEqual(codes, [items.REVISIT] if person in (self.alice, self.bo) else [], person.display_name)
            self.assertEqual(items.count(person), len(codes))
        item = self.items_of(self.bo)[0]
        self.assertEqual(item.url, reverse("boundaries:agreements", args=[self.couple.pk]))
        self.assertNotIn("marker", " ".join([item.title, item.detail, item.by]).lower())
        self.login(self.bo)
        self.assertEqual(self.client.get(item.url).status_code, 200)
        # Alice proposes a new date: gone for both; Bo confirms it (his agreement item).
        version = agreements.edit(made, self.alice, AGREEMENT_WORDS, self.alice.today() + dt.timedelta(days=30))
        self.assertEqual(self.items_of(self.alice), [])
        self.assertEqual([i.code for i in self.items_of(self.bo)], [items.AGREEMENT])
        agreements.confirm(version, self.bo)
        for person in self.everyone():
            self.assertEqual(self.items_of(person), [], person.display_name)

    def test_no_item_before_the_date_nor_for_other_groups_nor_unconfirmed(self):
        self.agreed(self.alice.today() + dt.timedelta(days=1))
        agreements.create(self.couple, self.alice, "comfortable", AGREEMENT_WORDS, self.alice.today())
        self.assertEqual([i.code for i in self.items_of(self.alice)], [])
        self.assertEqual([i.code for i in self.items_of(self.bo)], [items.AGREEMENT])  # not a revisit

    def test_a_withdrawn_confirmation_is_no_revisit_item(self):
        made = self.agreed(self.alice.today())
        agreements.withdraw(made, self.bo)
        self.assertEqual(self.items_of(self.alice), [])
        self.assertEqual([i.code for i in self.items_of(self.bo)], [items.AGREEMENT])

    def test_a_closed_space_has_no_revisit_item(self):
        self.agreed(self.alice.today())
        self.couple.closed_at = timezone.now()
        self.couple.save(update_fields=["closed_at"])
        self.assertEqual(self.items_of(self.alice) + self.items_of(self.bo), [])


class ThanksTests(WaitingCase):
    def test_only_the_partner_thanked_can_say_they_read_it(self):
        note = GratitudeNote.objects.create(
            couple=self.couple, author=self.alice, text=THANKS_WORDS, visibility="shared"
        )
        url = reverse("wins:note_read", args=[self.couple.pk, note.pk])
        for person in (self.alice, self.olga, self.theo):
            self.login(person)
            self.assertEqual(self.client.post(url).status_code, 404, person.display_name)
        self.login(self.bo)
        self.assertEqual(self.client.get(url).status_code, 405)  # reading a page writes nothing
        self.assertEqual(self.client.get(reverse("wins:celebrate", args=[self.couple.pk])).status_code, 200)
        self.assert_only(self.bo, items.THANKS)
        self.assertRedirects(self.client.post(url), reverse("wins:celebrate", args=[self.couple.pk]))
        self.client.post(url)  # twice: nothing more
        self.assertEqual(self.items_of(self.bo), [])

    def test_the_page_offers_the_read_button_to_the_partner_thanked_only(self):
        GratitudeNote.objects.create(couple=self.couple, author=self.alice, text=THANKS_WORDS, visibility="shared")
        self.login(self.bo)
        self.assertContains(
            self.client.get(reverse("wins:celebrate", args=[self.couple.pk])), 'data-testid="new-thanks"'
        )
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("wins:celebrate", args=[self.couple.pk])), "new-thanks")


class QuietCoupleTests(WaitingCase):
    """A linked couple quiet for QUIET_COUPLE_DAYS: their therapist's item, saying only that."""

    def go_quiet(self, days=QUIET_DAYS + 1):
        CareLink.objects.filter(pk=self.link.pk).update(activated_at=timezone.now() - dt.timedelta(days=days))

    def test_not_before_the_days_have_passed(self):
        self.go_quiet(QUIET_DAYS - 1)
        self.assertEqual(self.items_of(self.theo), [])

    def test_the_couple_moving_ends_it(self):
        self.go_quiet()
        item = self.assert_only(self.theo, items.QUIET)
        self.assertIn(self.alice.display_name, item.detail)
        self.assertEqual(item.url, reverse("clinic:couple", args=[self.couple.pk]))
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)  # Alice's yes to it
        self.assertTrue(assignment.parts.filter(user=self.alice, opted_in_at__isnull=False).exists())
        self.assertEqual([i for i in self.items_of(self.theo) if i.code == items.QUIET], [])

    def test_only_what_the_therapist_may_know_counts_and_nothing_says_why(self):
        """A private check-in does not count as moving (it would tell of it); a pause and a hard
        season change nothing in the item's words."""
        from tandem.checkins.models import CheckIn

        self.go_quiet()
        CheckIn.objects.create(
            couple=self.couple,
            author=self.alice,
            visibility="private",
            local_date=self.alice.today(),
            mood=3,
            energy=3,
            stress=3,
            closeness=3,
        )
        paused = active(self.couple, "appreciations", self.alice)
        Part.objects.filter(assignment=paused).update(opted_in_at=timezone.now() - dt.timedelta(days=QUIET_DAYS + 1))
        services.pause(paused, self.bo)
        seasons.start(self.couple, self.bo, reason="", reason_shared=False, expected_weeks=2)
        [item] = [i for i in self.items_of(self.theo) if i.code == items.QUIET]
        text = " ".join([item.title, item.detail, item.by]).lower()
        for word in (*FORBIDDEN, "season", "bo paused"):
            self.assertNotIn(word, text)

    def test_an_ended_link_or_a_closed_space_makes_no_item(self):
        self.go_quiet()
        with transaction.atomic():
            clinic.end_link(self.link)
            self.assertEqual(self.items_of(self.theo), [])
            transaction.set_rollback(True)
        self.couple.closed_at = timezone.now()
        self.couple.save(update_fields=["closed_at"])
        self.assertEqual(self.items_of(self.theo), [])

    def test_the_key_is_stable_while_it_waits(self):
        self.go_quiet()
        self.assertEqual(self.items_of(self.theo)[0].key, self.items_of(self.theo)[0].key)
        self.assertTrue(self.items_of(self.theo)[0].key.startswith(f"quiet:{self.link.pk}:"))
