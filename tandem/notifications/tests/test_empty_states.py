"""No device yet: the page says where to turn notifications on."""

from django.test import override_settings
from django.urls import reverse

from tandem.notifications.tests.helpers import vapid_keys
from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states


class EmptyDevicesTests(TandemTestCase):
    @override_settings(**vapid_keys())
    def test_no_device_says_to_use_the_button_on_the_device(self):
        self.login(self.alice)
        [state] = empty_states(self.client.get(reverse("notifications:settings")))
        self.assertIn("Turn them on from the phone or computer you'd like to be told on", state["text"])

    @override_settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY="")
    def test_without_push_on_the_server_it_promises_no_button(self):
        self.login(self.alice)
        [state] = empty_states(self.client.get(reverse("notifications:settings")))
        self.assertEqual(state["text"], "No device has notifications turned on.")
