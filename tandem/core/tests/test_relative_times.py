"""Relative times read "just now" under a minute, and "… ago" after, on every page (``|ago``)."""

import datetime as dt

from django.template import Context, Template
from django.test import SimpleTestCase
from django.utils import timezone

from tandem.core.templatetags.relative import ago


class AgoTests(SimpleTestCase):
    def test_under_a_minute_is_just_now(self):
        now = timezone.now()
        for seconds in (0, 1, 59):
            self.assertEqual(ago(now - dt.timedelta(seconds=seconds), now), "just now")
        self.assertEqual(ago(now + dt.timedelta(seconds=5), now), "just now")  # a clock a little ahead

    def test_later_it_says_how_long_ago(self):
        now = timezone.now()
        self.assertEqual(ago(now - dt.timedelta(minutes=1), now), "1\xa0minute ago")
        self.assertEqual(ago(now - dt.timedelta(hours=3, minutes=5), now), "3\xa0hours, 5\xa0minutes ago")

    def test_nothing_says_nothing(self):
        self.assertEqual(ago(None), "")

    def test_every_template_has_it_without_loading_it(self):
        rendered = Template("{{ at|ago }}").render(Context({"at": timezone.now()}))
        self.assertEqual(rendered, "just now")
