"""Export: the person's notification choices, devices, deliveries and sessions,
without the push capability (endpoint and keys) and without anyone else's."""

from __future__ import annotations

from tandem.notifications import services as notifications
from tandem.notifications.models import Channel, Delivery, NotificationSettings
from tandem.notifications.tests.helpers import Browser
from tandem.privacy.export import build_export
from tandem.privacy.tests.test_export import as_text
from tandem.security.models import SessionRecord
from tandem.testkit.base import TandemTestCase


class ExportDevicesTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.browser = Browser()
        notifications.subscribe(
            cls.alice, cls.browser.endpoint, cls.browser.p256dh, cls.browser.auth, "Firefox on Android"
        )
        NotificationSettings.objects.create(user=cls.alice, channel=Channel.PUSH, daily_cap=5)
        Delivery.objects.create(user=cls.alice, channel=Channel.PUSH, kind="block", key="block:1", state="sent")
        SessionRecord.objects.create(user=cls.alice, device="Chrome on Linux")
        bo_browser = Browser()
        notifications.subscribe(cls.bo, bo_browser.endpoint, bo_browser.p256dh, bo_browser.auth, "Safari on iPhone")
        Delivery.objects.create(user=cls.bo, channel=Channel.EMAIL, kind="agreement", key="agreement:9")
        SessionRecord.objects.create(user=cls.bo, device="Edge on Windows")

    def test_her_choices_devices_deliveries_and_sessions_are_in_it(self):
        settings = build_export(self.alice)["settings"]
        self.assertEqual(settings["notifications"]["choices"]["channel"], "push")
        self.assertEqual(settings["notifications"]["choices"]["daily_cap"], 5)
        self.assertEqual([d["device"] for d in settings["notifications"]["devices"]], ["Firefox on Android"])
        self.assertEqual(
            [(d["kind"], d["state"]) for d in settings["notifications"]["deliveries"]], [("block", "sent")]
        )
        self.assertEqual([s["device"] for s in settings["sessions"]], ["Chrome on Linux"])

    def test_the_push_capability_and_the_partners_devices_stay_out(self):
        text = as_text(build_export(self.alice))
        for secret in (self.browser.endpoint, self.browser.p256dh, self.browser.auth):
            self.assertNotIn(secret, text)
        for theirs in ("Safari on iPhone", "Edge on Windows", "agreement:9"):
            self.assertNotIn(theirs, text)

    def test_someone_who_never_chose_exports_no_choices(self):
        self.assertIsNone(build_export(self.theo)["settings"]["notifications"]["choices"])
