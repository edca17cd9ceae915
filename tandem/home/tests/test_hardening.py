"""Web hardening: script payloads in every form, same-host redirects, invite codes.

The payload sweep is driven by the pages themselves: every page of the page
audit is fetched, every POST form on it is filled with a script/HTML payload
in each free-text field (other fields get a plausible value) and sent. Then
every page is fetched again, as each person, and no page may carry the
payload unescaped. A new form is swept without anyone adding it here.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.urls import reverse

from tandem.home.tests import test_pages
from tandem.testkit.base import TandemTestCase

PAYLOAD = "<script>alert('zq1')</script>\"'><img src=x onerror=alert('zq2')>"
RAW_MARKERS = ("<script>alert('zq1')", "<img src=x onerror=alert('zq2')")
# Forms that would end the session or the space under test; each has its own tests.
SKIP_ACTIONS = ("logout", "/leave/", "/end/", "delete", "everywhere", "revoke", "pause-everything")


class Forms(HTMLParser):
    """Every POST form on a page: its action and the fields it would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": {}, "text": []}
        if self._form is None:
            return
        fields = self._form["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("text", "search", "email", "url", "tel", "password"):
                self._form["text"].append(name)
                fields[name] = PAYLOAD
            elif kind == "hidden":
                fields[name] = attrs.get("value") or ""
            elif kind == "date":
                fields[name] = (dt.date.today() + dt.timedelta(days=9)).isoformat()
            elif kind == "time":
                fields[name] = "19:30" if name not in fields else "20:30"
            elif kind == "number":
                fields[name] = attrs.get("value") or attrs.get("min") or "1"
            elif kind in ("radio", "checkbox"):
                fields.setdefault(name, attrs.get("value") or "on")
        elif tag == "textarea" and name:
            self._form["text"].append(name)
            fields[name] = PAYLOAD
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            fields.setdefault(self._select, attrs["value"])
        elif tag == "button" and name and attrs.get("value"):
            fields.setdefault(name, attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


class PayloadSweepTests(test_pages.EveryPageTests):
    """Built on the page audit for its people, objects and list of pages."""

    def pages_as(self, people) -> list[tuple]:
        return [(who, url) for _name, who, url in self.pages() if who in people]

    def test_every_form_field_is_escaped_everywhere(self):
        people = [self.alice, self.bo, self.theo]
        sent = 0
        for who, url in self.pages_as(people):
            self.login(who)
            page = self.client.get(url)
            if page.status_code != 200:
                continue
            parser = Forms()
            parser.feed(page.content.decode())
            for form in parser.forms:
                action = form["action"] or url
                if not form["text"] or any(skip in action for skip in SKIP_ACTIONS):
                    continue
                if urlsplit(action).netloc:
                    continue  # never posts off-site (there are none; the page audit checks that)
                self.client.post(action, form["fields"])
                sent += 1
        self.assertGreaterEqual(sent, 15, "the sweep reached the site's forms")
        shown_escaped = set()
        for who, url in self.pages_as(people):
            self.login(who)
            body = self.client.get(url).content.decode()
            if "&lt;script&gt;alert(" in body:
                shown_escaped.add(url)
            with self.subTest(url=url, who=who.display_name):
                found = [marker for marker in RAW_MARKERS if marker in body]
                self.assertEqual(found, [], f"{url} shows a payload unescaped")
        # The payloads really were saved and shown back (escaped) on several pages.
        self.assertGreaterEqual(len(shown_escaped), 5, shown_escaped)


# The page audit's own tests run in their own module, not again here.
for _name in [name for name in dir(test_pages.EveryPageTests) if name.startswith("test_")]:
    if _name != "test_every_form_field_is_escaped_everywhere":
        setattr(PayloadSweepTests, _name, None)


class RedirectTests(TandemTestCase):
    def test_next_goes_to_this_site_only(self):
        for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"):
            with self.subTest(target=target):
                self.login(self.alice)
                response = self.client.post(reverse("boundaries:pause_everything"), {"next": target})
                self.assertEqual(response.status_code, 302)
                self.assertFalse(urlsplit(response["Location"]).netloc, response["Location"])
                self.assertFalse(response["Location"].startswith(("//", "/\\", "javascript:")))
                self.client.post(reverse("boundaries:pause_everything"), {"lift": "1"})

    def test_login_next_goes_to_this_site_only(self):
        from tandem.testkit.base import PASSWORD

        for target in ("https://evil.example/", "//evil.example/x"):
            with self.subTest(target=target):
                self.client.logout()
                response = self.client.post(
                    reverse("accounts:login") + f"?next={target}", {"username": self.olga.email, "password": PASSWORD}
                )
                location = response.get("Location", "")
                self.assertFalse(urlsplit(location).netloc, location)

    def test_every_state_change_is_post_with_csrf(self):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True)
        strict.force_login(self.alice)
        response = strict.post(reverse("boundaries:pause_everything"), {})
        self.assertEqual(response.status_code, 403)  # no CSRF token: refused
        self.assertEqual(strict.get(reverse("couples:leave", args=[self.couple.pk])).status_code, 200)
        self.assertTrue(self.couple.is_open)  # a GET never changes anything


class InviteCodeTests(TandemTestCase):
    def test_codes_are_too_many_to_guess(self):
        import math

        from tandem.core.invites import CODE_ALPHABET, CODE_LENGTH, new_code

        bits = CODE_LENGTH * math.log2(len(set(CODE_ALPHABET)))
        # 2^49 codes; with redemption throttled per account and address, out of reach.
        self.assertGreaterEqual(bits, 48)
        self.assertEqual(len({new_code() for _ in range(2000)}), 2000)
