"""The notifications page: choices saved, bad input refused clearly, devices added and removed (own only)."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from tandem.notifications.models import Channel, NotificationSettings, PushSubscription
from tandem.notifications.tests.helpers import Browser, vapid_keys
from tandem.testkit.base import TandemTestCase

KEYS = vapid_keys()
FIREFOX = "Mozilla/5.0 (Android 14; Mobile; rv:140.0) Gecko/140.0 Firefox/140.0"


@override_settings(**KEYS)
class SettingsPageTests(TandemTestCase):
    def setUp(self):
        self.login(self.alice)
        self.url = reverse("notifications:settings")

    def test_get_writes_nothing_and_offers_this_device(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'data-vapid-key="{KEYS["VAPID_PUBLIC_KEY"]}"')
        self.assertContains(response, "Turn on notifications on this device")
        self.assertFalse(NotificationSettings.objects.exists())

    def test_the_profile_links_here(self):
        self.assertContains(self.client.get(reverse("accounts:profile")), f'href="{self.url}"')

    def test_choices_are_saved(self):
        data = {"channel": "push", "quiet_from": "21:30", "quiet_until": "08:00", "daily_cap": "2"}
        self.assertRedirects(self.client.post(self.url, data), self.url)
        choice = NotificationSettings.objects.get(user=self.alice)
        self.assertEqual((choice.channel, choice.quiet_from, choice.daily_cap), (Channel.PUSH, dt.time(21, 30), 2))

    def test_bad_input_is_refused_saying_what_and_keeps_the_rest(self):
        data = {"channel": "pigeon", "quiet_from": "25:00", "quiet_until": "08:00", "daily_cap": "99"}
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 422)
        self.assertContains(response, "Choose where to be told from the list.", status_code=422)
        self.assertContains(response, "Enter a time such as 22:00.", status_code=422)
        self.assertContains(response, "Choose from 1 to 20 a day.", status_code=422)
        self.assertContains(response, 'value="08:00"', status_code=422)
        self.assertFalse(NotificationSettings.objects.exists())

    def test_without_vapid_keys_the_page_says_so(self):
        with self.settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY=""):
            response = self.client.get(self.url)
        self.assertContains(response, "isn't set up for notifications on devices")
        self.assertNotContains(response, "data-push ")


@override_settings(**KEYS)
class DeviceTests(TandemTestCase):
    def setUp(self):
        self.login(self.alice)
        self.browser = Browser()

    def post(self, **fields):
        data = {"endpoint": self.browser.endpoint, "p256dh": self.browser.p256dh, "auth": self.browser.auth, **fields}
        return self.client.post(reverse("notifications:subscribe"), data, headers={"user-agent": FIREFOX})

    def test_a_subscription_is_kept_with_its_device(self):
        response = self.post()
        self.assertEqual(response.status_code, 201)
        subscription = PushSubscription.objects.get()
        self.assertEqual((subscription.user, subscription.device), (self.alice, "Firefox on Android"))
        self.assertEqual(subscription.info()["keys"], {"p256dh": self.browser.p256dh, "auth": self.browser.auth})
        page = self.client.get(reverse("notifications:settings"))
        self.assertContains(page, "Stop notifications on Firefox on Android")

    def test_bad_subscriptions_are_refused_clearly(self):
        cases = {
            "http://push.example.net/x": ("endpoint", "A push endpoint must be an https address."),
            "c2hvcnQ": ("p256dh", "The browser sent a key (p256dh) of the wrong size."),
            "a+b/c": ("auth", "The browser sent a key (auth) that is not base64url."),
        }
        for value, (field, message) in cases.items():
            with self.subTest(field=field):
                response = self.post(**{field: value})
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.content.decode(), message)
        self.assertFalse(PushSubscription.objects.exists())

    def test_get_is_not_allowed(self):
        self.assertEqual(self.client.get(reverse("notifications:subscribe")).status_code, 405)

    def test_a_device_is_removed_by_its_owner_only(self):
        self.post()
        subscription = PushSubscription.objects.get()
        self.login(self.bo)
        self.client.post(reverse("notifications:remove"), {"device": subscription.pk})
        self.assertTrue(PushSubscription.objects.filter(pk=subscription.pk).exists())
        self.login(self.alice)
        response = self.client.post(reverse("notifications:remove"), {"device": subscription.pk})
        self.assertRedirects(response, reverse("notifications:settings"))
        self.assertFalse(PushSubscription.objects.exists())

    def test_this_browser_can_forget_itself_by_endpoint(self):
        self.post()
        response = self.client.post(
            reverse("notifications:remove"), {"endpoint": self.browser.endpoint}, headers={"x-requested-with": "fetch"}
        )
        self.assertEqual(response.status_code, 204)
        self.assertFalse(PushSubscription.objects.exists())

    def test_signed_out_nothing_is_kept(self):
        self.client.logout()
        self.post()
        self.assertFalse(PushSubscription.objects.exists())
