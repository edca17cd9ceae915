""" "Homework completed" is one event: sent once per completed assignment, of
every kind; programs and milestones move only because they listen to it."""

from __future__ import annotations

import ast
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from tandem.homework import kinds, programs, services
from tandem.homework.content import library
from tandem.homework.models import Assignment
from tandem.homework.receivers import on_homework_completed as advance_after
from tandem.homework.signals import homework_completed
from tandem.testkit.base import TandemTestCase, make_assignment
from tandem.wins.models import Milestone
from tandem.wins.receivers import on_homework_completed as milestones_after


def listening_turns(a, b):
    steps = []
    for speaker, listener in ((a, b), (b, a)):
        steps += [
            lambda x, s=speaker: kinds.listening.say(x, s, "message", "m"),
            lambda x, li=listener: kinds.listening.say(x, li, "restatement", "r"),
            lambda x, s=speaker: kinds.listening.say(x, s, "confirmation"),
        ]
    return steps


# One exercise of each kind, and every step it takes to complete it, in order.
JOURNEYS = {
    "checkin": (
        "daily-check-in",
        lambda a, b: [lambda x: kinds.checkin.answer(x, a, "ok"), lambda x: kinds.checkin.answer(x, b, "ok")],
    ),
    "write_then_share": (
        "appreciations",
        lambda a, b: [
            lambda x: kinds.write_then_share.submit_answer(x, a, "from a"),
            lambda x: kinds.write_then_share.submit_answer(x, b, "from b"),
        ],
    ),
    "listening": ("reflective-listening", listening_turns),
    "joint_journal": (
        "misunderstanding-journal",
        lambda a, b: [
            kinds.joint_journal.agree_on,
            lambda x: kinds.joint_journal.perspective(x, a, "a"),
            lambda x: kinds.joint_journal.perspective(x, b, "b"),
            lambda x: kinds.joint_journal.restate(x, a, "heard b"),
            lambda x: kinds.joint_journal.restate(x, b, "heard a"),
            lambda x: kinds.joint_journal.next_time(x, a, "try"),
            lambda x: kinds.joint_journal.done(x, a),
            lambda x: kinds.joint_journal.done(x, b),
        ],
    ),
    "activity": (
        "plan-the-week",
        lambda a, b: [lambda x: kinds.activity.mark_done(x, a), lambda x: kinds.activity.mark_done(x, b)],
    ),
    "touch": (
        "sensate-focus-1",
        lambda a, b: [
            lambda x: kinds.touch.ready_today(x, a),
            lambda x: kinds.touch.ready_today(x, b),
            lambda x: kinds.touch.mark_done(x, a),
            lambda x: kinds.touch.mark_done(x, b),
        ],
    ),
}


@contextmanager
def heard():
    """Every ``homework_completed`` sent meanwhile, as (sender, assignment id)."""
    sent = []

    def listener(sender, assignment, **kwargs):
        sent.append((sender, assignment.pk))

    homework_completed.connect(listener, dispatch_uid="test-listener")
    try:
        yield sent
    finally:
        homework_completed.disconnect(dispatch_uid="test-listener")


@contextmanager
def without(receiver, uid):
    """The receiver disconnected for a moment: what happens then is not its doing."""
    connected = homework_completed.disconnect(dispatch_uid=uid)
    assert connected, f"{uid} does not listen to homework_completed"
    try:
        yield
    finally:
        homework_completed.connect(receiver, dispatch_uid=uid)


class CompletionEventTests(TandemTestCase):
    def test_every_kind_has_a_journey_here(self):
        self.assertEqual(set(JOURNEYS), set(kinds.KINDS))

    def test_sent_exactly_once_when_each_kind_completes(self):
        for key, (slug, journey) in JOURNEYS.items():
            with self.subTest(key):
                assignment = make_assignment(self.couple, slug, by=self.alice)
                self.assertEqual(assignment.kind, key)
                services.opt_in(assignment, self.bo)
                steps = journey(self.alice, self.bo)
                with heard() as sent:
                    for step in steps[:-1]:
                        step(assignment)
                    self.assertEqual(sent, [], "sent before the last step")
                    steps[-1](assignment)
                    assignment.refresh_from_db()
                    self.assertEqual(assignment.status, Assignment.Status.COMPLETED)
                    self.assertEqual(sent, [(Assignment, assignment.pk)])
                    # Trying the last step again changes nothing and tells no one.
                    with self.assertRaises(services.HomeworkError):
                        steps[-1](assignment)
                    self.assertEqual(sent, [(Assignment, assignment.pk)])

    def test_programs_and_milestones_listen(self):
        receivers = {ref() for _key, ref, *_rest in homework_completed.receivers}
        self.assertLessEqual({advance_after, milestones_after}, receivers)


class ReceiverTests(TandemTestCase):
    def run_and_first_step(self):
        run = programs.start(self.couple, library().programs["hard-season"], self.alice)
        first = programs.progress(run).current
        for user in (self.alice, self.bo):
            services.opt_in(first, user)
        return run, first

    def complete_by_hand(self, assignment):
        """Completed in the database only: nothing but the event can move anything."""
        Assignment.objects.filter(pk=assignment.pk).update(
            status=Assignment.Status.COMPLETED, completed_at=timezone.now()
        )
        assignment.refresh_from_db()

    def test_the_event_alone_moves_the_program_on(self):
        run, first = self.run_and_first_step()
        self.complete_by_hand(first)
        self.assertEqual(programs.progress(run).current, None)
        homework_completed.send(sender=Assignment, assignment=first)
        self.assertEqual(programs.progress(run).current.step_index, 1)

    def test_the_event_alone_records_the_milestone(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        self.complete_by_hand(assignment)
        self.assertFalse(Milestone.objects.exists())
        homework_completed.send(sender=Assignment, assignment=assignment)
        self.assertEqual(set(Milestone.objects.values_list("kind", flat=True)), {"first_homework"})

    def test_without_the_programs_receiver_a_completed_step_opens_nothing(self):
        run, first = self.run_and_first_step()
        with without(advance_after, "homework_completed_programs"):
            for step in JOURNEYS[first.kind][1](self.alice, self.bo):
                step(first)
        first.refresh_from_db()
        self.assertEqual(first.status, Assignment.Status.COMPLETED)
        self.assertIsNone(programs.progress(run).current)
        # The milestone still came: it listens on its own.
        self.assertTrue(Milestone.objects.filter(kind="first_homework").exists())

    def test_without_the_wins_receiver_no_milestone(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(assignment, self.bo)
        with without(milestones_after, "wins_homework_completed"):
            for step in JOURNEYS["write_then_share"][1](self.alice, self.bo):
                step(assignment)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.COMPLETED)
        self.assertFalse(Milestone.objects.exists())

    def test_the_last_step_of_a_program_is_celebrated_by_the_same_completion(self):
        # Programs hear the event before wins (INSTALLED_APPS order), so the
        # finished program is counted by the completion that finished it.
        run = programs.start(self.couple, library().programs["hard-season"], self.alice)
        while (current := programs.progress(run).current) is not None:
            for part in current.parts.filter(opted_in_at__isnull=True):
                services.opt_in(current, part.user)
            with heard() as sent:
                for step in JOURNEYS[current.kind][1](self.alice, self.bo):
                    step(current)
            self.assertEqual(sent, [(Assignment, current.pk)])
        run.refresh_from_db()
        self.assertIsNotNone(run.finished_at)
        self.assertTrue(Milestone.objects.filter(kind="program_finished", ref=str(run.pk)).exists())


class DirectionTests(TandemTestCase):
    def test_no_homework_module_imports_wins(self):
        root = Path(settings.BASE_DIR) / "tandem" / "homework"
        offenders = []
        for path in sorted(root.rglob("*.py")):
            if "tests" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
                if any(name.startswith("tandem.wins") for name in names):
                    offenders.append(str(path.relative_to(root)))
        self.assertEqual(offenders, [])
