"""Telling: each event tells the one person it waits on, once, through the worker; nobody else.

The events are the waiting items' own (``test_items.EVENTS``): what makes an
item is what is told, with no second list.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.clinic import services as clinic
from tandem.homework.content import library
from tandem.homework.kinds import listening
from tandem.notifications import delivery, services
from tandem.notifications.models import Channel, Delivery, NotificationSettings
from tandem.notifications.tests.helpers import Browser, PushService, vapid_keys
from tandem.safety import services as safety
from tandem.testkit.base import (
    at_once,
    link_therapist,
    make_assignment,
    make_block,
    make_couple,
    make_person,
    run_queued,
)
from tandem.turns import items, receivers, tell
from tandem.turns.tests.test_items import EVENTS, WaitingCase, active, quiet_couple, stage_approval, suggestion

KEYS = vapid_keys()
# Events whose last step writes with ``update()`` (no save, no signal): the sweep tells them.
SWEEP_ONLY = {stage_approval, quiet_couple}


def choose(user, channel=Channel.PUSH, **fields) -> NotificationSettings:
    """Turn notifications on (no quiet hours, so nothing waits for the morning)."""
    fields = {"quiet_from": dt.time(0), "quiet_until": dt.time(0), "daily_cap": 20, **fields}
    choice, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"channel": channel, **fields})
    return choice


def told() -> list[tuple[int, str]]:
    return sorted(Delivery.objects.values_list("user_id", "kind"))


@override_settings(**KEYS)
class TellCase(WaitingCase):
    def setUp(self):
        # The class's own transaction (setUpTestData saved a care link) never commits in a TestCase:
        # each test is a transaction of its own for telling.
        vars(connections["default"]).pop("_tandem_tell", None)
        for person in self.everyone():
            choose(person)
        # Notifications were turned on a moment ago: what the events make begins to wait after.
        NotificationSettings.objects.update(told_from=timezone.now() - dt.timedelta(seconds=5))

    def happen(self, event):
        """The event as requests would make it: saved, committed, then the worker runs the queued tells."""
        with self.captureOnCommitCallbacks(execute=True):
            result = event(self)
        run_queued(tell.tell_couple)
        return result

    def run_event(self, event, check):
        with self.subTest(event=event.__name__), transaction.atomic():
            check(event)
            transaction.set_rollback(True)


class EventTests(TellCase):
    def test_each_event_tells_the_right_person_once_and_nobody_else(self):
        def check(event):
            person, code, _move = self.happen(event)
            self.assertEqual(told(), [(person.pk, code)])
            (queued,) = Delivery.objects.all()
            self.assertEqual((queued.channel, queued.state), (Channel.PUSH, Delivery.State.QUEUED))
            (item,) = items.for_person(person)
            self.assertEqual(queued.key, tell.key_of(item))

        for event in EVENTS:
            if event not in SWEEP_ONLY:
                self.run_event(event, check)

    def test_the_sweep_tells_the_same_and_what_no_save_announced(self):
        def check(event):
            person, code, _move = event(self)
            self.assertEqual(tell.tell_everyone(), 1)
            self.assertEqual(told(), [(person.pk, code)])

        for event in EVENTS:
            self.run_event(event, check)

    def test_telling_again_tells_nothing_new(self):
        def check(event):
            person, _code, _move = self.happen(event)
            self.assertEqual(tell.tell(person), [])
            self.assertEqual(tell.tell_everyone(), 0)
            self.happen(lambda t: None)
            self.assertEqual(Delivery.objects.count(), 1)

        for event in EVENTS:
            if event not in SWEEP_ONLY:
                self.run_event(event, check)

    def test_a_type_switched_off_is_not_told_and_the_others_are(self):
        NotificationSettings.objects.filter(user=self.bo).update(kinds_off=[items.HOMEWORK_YES])
        self.happen(suggestion)
        self.assertEqual(told(), [])
        self.happen(lambda t: make_block(t.couple, t.alice, status="proposed"))
        self.assertEqual(told(), [(self.bo.pk, items.BLOCK)])

    def test_what_waited_before_notifications_were_turned_on_is_not_told(self):
        NotificationSettings.objects.filter(user=self.bo).delete()
        self.happen(suggestion)
        choose(self.bo)
        self.assertEqual(tell.tell(self.bo), [])  # the suggestion waited already
        self.happen(lambda t: make_block(t.couple, t.alice, status="proposed"))
        self.assertEqual(told(), [(self.bo.pk, items.BLOCK)])

    def test_nobody_who_chose_nowhere_is_told_nor_costs_an_item_query(self):
        NotificationSettings.objects.filter(user=self.bo).update(channel=Channel.NONE)
        with self.assertNumQueries(1):
            self.assertEqual(tell.tell(self.bo), [])
        self.happen(suggestion)
        self.assertEqual(told(), [])

    def test_a_listening_turn_that_comes_back_is_told_again(self):
        assignment = self.happen(lambda t: active(t.couple, "reflective-listening", t.alice))
        self.assertEqual(told(), [(self.alice.pk, items.HOMEWORK_TURN)])  # Alice speaks first
        moves = [(self.alice, "message"), (self.bo, "restatement"), (self.alice, "message")]  # "not quite"
        for who, step in moves:  # each its own request
            self.happen(lambda t, who=who, step=step: listening.say(assignment, who, step, "words"))
        for person in (self.alice, self.bo):
            turns = Delivery.objects.filter(user=person, kind=items.HOMEWORK_TURN).values_list("key", flat=True)
            # Twice each (Alice: to speak, to confirm; Bo: to restate, to restate again), each its own key.
            self.assertEqual(len(set(turns)), 2, person)
        self.assertEqual(Delivery.objects.count(), 4)

    def test_an_ended_care_link_tells_its_therapist_nothing(self):
        self.happen(lambda t: (clinic.end_link(t.link), link_therapist(t.couple, t.una)))
        Delivery.objects.all().delete()  # the new link was told to nobody: it is active already
        self.happen(lambda t: safety.send(t.couple, t.alice, "hi"))
        self.assertEqual(told(), [(self.una.pk, items.SAFETY)])


class WhenTests(TellCase):
    def tasks(self) -> list[list]:
        return [r.args_kwargs["args"] for r in DBTaskResult.objects.filter(task_path=tell.tell_couple.module_path)]

    def test_one_task_per_couple_per_transaction(self):
        with self.captureOnCommitCallbacks(execute=True), transaction.atomic():
            make_assignment(self.couple, "appreciations", by=self.alice)
            make_block(self.couple, self.alice, status="proposed")
            make_block(self.other_couple, self.olga, status="proposed")
        self.assertEqual(sorted(self.tasks()), sorted([[str(self.couple.pk)], [str(self.other_couple.pk)]]))
        # A later transaction is told on its own.
        with self.captureOnCommitCallbacks(execute=True):
            make_block(self.couple, self.bo, status="proposed")
        self.assertEqual(len(self.tasks()), 3)

    def test_a_transaction_rolled_back_tells_nothing(self):
        with self.captureOnCommitCallbacks(execute=True):
            with transaction.atomic():
                make_block(self.couple, self.alice, status="proposed")
                transaction.set_rollback(True)
            make_block(self.other_couple, self.olga, status="proposed")
        self.assertEqual(self.tasks(), [[str(self.other_couple.pk)]])

    def test_the_request_only_enqueues_the_worker_computes(self):
        computed = AssertionError("computed in the request")
        with mock.patch.object(items, "for_person", side_effect=computed), self.captureOnCommitCallbacks(execute=True):
            make_block(self.couple, self.alice, status="proposed")
        self.assertEqual(len(self.tasks()), 1)
        self.assertEqual(told(), [])
        run_queued(tell.tell_couple)
        self.assertEqual(told(), [(self.bo.pk, items.BLOCK)])

    def test_fixtures_tell_nothing(self):
        block = make_block(self.couple, self.alice, status="proposed")
        with self.captureOnCommitCallbacks(execute=True):
            receivers.on_saved(type(block), block, raw=True)
        self.assertEqual(self.tasks(), [])

    def test_the_sweep_command_tells_and_sends(self):
        make_block(self.couple, self.alice, status="proposed")
        out = StringIO()
        with PushService().patch():
            call_command("tell_waiting", stdout=out)
        self.assertIn("Queued 1 notification;", out.getvalue())
        # No device: the delivery is recorded as failed, saying why; the item stays.
        self.assertEqual(Delivery.objects.get().why, "no device has notifications turned on")
        self.assertEqual(len(items.for_person(self.bo)), 1)

    def test_the_model_list_covers_every_source(self):
        """Each source's model is in ``receivers.SOURCES`` (a new source is wired there)."""
        models = {model for model, _path in receivers.SOURCES}
        for source in items.sources(self.alice):
            self.assertTrue(
                source.model in models or source.model.__name__ == "SafetyThread",  # told by its messages
                source.model,
            )


@override_settings(**KEYS)
class WordingTests(TellCase):
    """What the push service carries, decrypted as the phone would."""

    def pushed(self, person) -> dict:
        subscription = services.subscribe(person, (browser := Browser()).endpoint, browser.p256dh, browser.auth, "x")
        self.assertTrue(subscription)
        (queued,) = Delivery.objects.filter(user=person)
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.handle(queued.pk), "sent")
        (sent,) = service.requests
        return json.loads(browser.decrypt(sent["data"]))

    def test_by_default_the_payload_says_only_that_something_waits(self):
        self.happen(lambda t: make_block(t.couple, t.alice, status="proposed"))
        self.assertEqual(self.pushed(self.bo)["body"], "Something is waiting for you.")

    def test_detail_is_a_personal_opt_in_and_names_only_the_kind(self):
        NotificationSettings.objects.filter(user=self.bo).update(detailed_wording=True)
        self.happen(lambda t: make_block(t.couple, t.alice, status="proposed"))
        self.assertEqual(
            self.pushed(self.bo), {"title": "Tandem", "body": "A time together is proposed to you.", "url": "/"}
        )

    def test_even_with_detail_no_exercise_title_is_pushed(self):
        NotificationSettings.objects.filter(user=self.bo).update(detailed_wording=True)
        title = library().exercise("mirror-of-desire").title
        self.happen(lambda t: make_assignment(t.couple, "mirror-of-desire", by=t.alice))
        payload = self.pushed(self.bo)
        self.assertEqual(payload["body"], "A suggestion waits for your yes.")
        self.assertNotIn(title.lower(), json.dumps(payload).lower())

    def test_detail_by_email_says_the_kind_in_the_subject(self):
        from django.core import mail

        choose(self.bo, Channel.EMAIL, detailed_wording=True)
        NotificationSettings.objects.filter(user=self.bo).update(told_from=timezone.now() - dt.timedelta(seconds=5))
        self.happen(lambda t: make_block(t.couple, t.alice, status="proposed"))
        delivery.handle(Delivery.objects.get().pk)
        self.assertEqual(mail.outbox[0].subject, "Tandem: a time together is proposed to you")

    def test_every_type_has_a_neutral_phrase(self):
        for code in items.CODES:
            phrase = str(tell.PHRASES[code])
            self.assertTrue(phrase and phrase == phrase.lower()[:1] + phrase[1:], code)
            for word in ("paus", "declin", "said no", "safety", "risk", "sex", "touch", "intim"):
                self.assertNotIn(word, phrase, code)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing workers are tested on PostgreSQL (CI runs it)")
@override_settings(**KEYS)
class RacingTellsTests(TransactionTestCase):
    def test_two_workers_telling_the_same_couple_push_once(self):
        for round_ in range(3):
            a = make_person(f"tell-a{round_}@example.org", "Ash")
            b = make_person(f"tell-b{round_}@example.org", "Bea")
            couple = make_couple(a, b)
            choose(b)
            browser = Browser()
            services.subscribe(b, browser.endpoint, browser.p256dh, browser.auth, "x")
            NotificationSettings.objects.filter(user=b).update(told_from=timezone.now() - dt.timedelta(seconds=5))
            make_block(couple, a, status="proposed")
            barrier = threading.Barrier(2)
            errors: list[BaseException] = []

            def work(couple_id=str(couple.pk), barrier=barrier, errors=errors):
                try:
                    barrier.wait(timeout=10)
                    tell.tell_couple.call(couple_id)
                    for pk in Delivery.objects.filter(state=Delivery.State.QUEUED).values_list("pk", flat=True):
                        delivery.handle(pk)
                except BaseException as exc:
                    errors.append(exc)
                finally:
                    connections.close_all()

            service = PushService()
            with service.patch():
                at_once(work)
            self.assertEqual(errors, [])
            self.assertEqual(Delivery.objects.filter(user=b).count(), 1)
            self.assertEqual(len(service.requests), 1)
