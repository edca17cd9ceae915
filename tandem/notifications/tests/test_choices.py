"""Choices per type of waiting item, the detail opt-in, and when a person was turned on (``told_from``)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.notifications import delivery, types
from tandem.notifications.models import Channel, Delivery, NotificationSettings
from tandem.notifications.tests.helpers import vapid_keys
from tandem.testkit.base import TandemTestCase

KEYS = vapid_keys()
BASE = {"channel": "push", "quiet_from": "22:00", "quiet_until": "07:00", "daily_cap": "3"}


@override_settings(**KEYS)
class PerTypeChoiceTests(TandemTestCase):
    def setUp(self):
        self.login(self.alice)
        self.url = reverse("notifications:settings")
        self.codes = [kind.code for kind in types.registered(self.alice)]

    def test_every_registered_type_is_a_checkbox_all_on_by_default(self):
        self.assertIn("block", self.codes)  # turns registered the waiting items' types
        response = self.client.get(self.url)
        for kind in types.registered(self.alice):
            self.assertContains(response, f'value="{kind.code}"')
            self.assertContains(response, escape(str(kind.label)))
        self.assertEqual(response.content.decode().count('name="tell_about"'), len(self.codes))
        self.assertEqual(response.content.decode().count("checked"), len(self.codes) + 1)  # + the channel
        self.assertContains(response, "Say what kind of thing is waiting")

    def test_a_therapists_types_are_offered_to_therapists_only(self):
        self.assertNotContains(self.client.get(self.url), 'value="safety"')
        self.login(self.theo)
        self.assertContains(self.client.get(self.url), 'value="safety"')

    def test_unticked_types_are_saved_as_off_and_shown_off(self):
        data = {**BASE, "tell_about": [c for c in self.codes if c != "block"], "detailed_wording": "on"}
        self.assertRedirects(self.client.post(self.url, data), self.url)
        choice = NotificationSettings.objects.get(user=self.alice)
        self.assertEqual((choice.kinds_off, choice.detailed_wording), (["block"], True))
        page = self.client.get(self.url).content.decode()
        self.assertEqual(page.count('name="tell_about"'), len(self.codes))
        self.assertNotRegex(page, r'value="block"[^>]*checked')

    def test_none_ticked_is_all_off(self):
        self.client.post(self.url, BASE)
        self.assertEqual(NotificationSettings.objects.get(user=self.alice).kinds_off, self.codes)

    def test_an_unknown_type_is_refused_clearly_and_nothing_saved_is_lost(self):
        NotificationSettings.objects.create(user=self.alice, channel=Channel.EMAIL, kinds_off=["agreement"])
        data = {**BASE, "tell_about": ["block", "pigeon"], "daily_cap": "5"}
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 422)
        self.assertContains(
            response, "Choose what to be told about from the list (“pigeon” is not on it).", status_code=422
        )
        self.assertContains(response, 'value="5"', status_code=422)  # what was typed stays on the page
        choice = NotificationSettings.objects.get(user=self.alice)
        self.assertEqual((choice.channel, choice.kinds_off, choice.daily_cap), (Channel.EMAIL, ["agreement"], 3))

    def test_a_type_no_longer_offered_keeps_its_choice(self):
        NotificationSettings.objects.create(user=self.alice, kinds_off=["gone_type", "block"])
        self.client.post(self.url, {**BASE, "tell_about": self.codes})
        self.assertEqual(NotificationSettings.objects.get(user=self.alice).kinds_off, ["gone_type"])


class ToldFromTests(TandemTestCase):
    def test_set_when_turned_on_kept_while_on_and_set_again_after_off(self):
        before = timezone.now()
        choice = NotificationSettings.objects.create(user=self.alice, channel=Channel.PUSH)
        self.assertGreaterEqual(choice.told_from, before)
        first = choice.told_from
        choice = NotificationSettings.objects.get(pk=choice.pk)
        choice.channel = Channel.EMAIL
        choice.save()
        self.assertEqual(NotificationSettings.objects.get(pk=choice.pk).told_from, first)
        choice.channel = Channel.NONE
        choice.save(update_fields=["channel"])
        self.assertEqual(NotificationSettings.objects.get(pk=choice.pk).told_from, first)
        choice = NotificationSettings.objects.get(pk=choice.pk)
        choice.channel = Channel.PUSH
        choice.save(update_fields=["channel"])  # told_from joins the fields saved
        self.assertGreater(NotificationSettings.objects.get(pk=choice.pk).told_from, first)

    def test_nowhere_is_never_told_from(self):
        self.assertIsNone(NotificationSettings.objects.create(user=self.alice).told_from)

    def test_the_page_sets_it_when_a_channel_is_chosen(self):
        self.login(self.alice)
        self.client.post(reverse("notifications:settings"), BASE)
        self.assertIsNotNone(NotificationSettings.objects.get(user=self.alice).told_from)


class WordingTests(TandemTestCase):
    """The phrase comes from the registry, only for a person who opted in, never for a digest."""

    NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)

    def queued(self, kind: str, **fields) -> Delivery:
        NotificationSettings.objects.update_or_create(user=self.alice, defaults={"channel": Channel.EMAIL, **fields})
        return Delivery.objects.create(user=self.alice, channel=Channel.EMAIL, kind=kind, key=f"{kind}:1")

    def test_default_words_are_neutral_whatever_the_type(self):
        item = self.queued("block")
        self.assertEqual(delivery.wording(item)[0], "Tandem: something is waiting for you")
        self.assertEqual(delivery.push_body(item), "Something is waiting for you.")

    def test_opted_in_the_type_is_named_in_its_phrase(self):
        item = self.queued("block", detailed_wording=True)
        self.assertEqual(delivery.wording(item)[0], "Tandem: a time together is proposed to you")
        self.assertEqual(delivery.push_body(item), "A time together is proposed to you.")

    def test_a_type_without_a_phrase_and_a_digest_stay_neutral(self):
        types.register("plain", "Plain")
        try:
            self.assertEqual(
                delivery.push_body(self.queued("plain", detailed_wording=True)), "Something is waiting for you."
            )
        finally:
            types._registry.pop("plain")
        digest = Delivery.objects.create(user=self.alice, channel=Channel.EMAIL, kind=Delivery.DIGEST)
        self.assertEqual(delivery.push_body(digest), "Some things are waiting for you.")
