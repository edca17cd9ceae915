"""Every URL answers only the methods it serves: anything else is a 405.

Each URL is tried as a visitor, a partner and a therapist (some pages are
only reachable by one of them; an access check may come first for the
others, and answers 302 or 404). For every method no page serves (PUT,
DELETE, PATCH), nobody may be served, and whoever reaches the view gets a
405 naming what it does serve (``Allow``); a page whose ``Allow`` has no
POST refuses POST too.
"""

from django.test import Client

from tandem.testkit.base import TandemTestCase
from tandem.testkit.urls import sample_urls

UNSERVED = ("PUT", "DELETE", "PATCH")


class MethodTests(TandemTestCase):
    def test_every_url_answers_only_the_methods_it_serves(self):
        urls = sample_urls()
        answers: dict[tuple[str, str], list[int]] = {}
        allowed: dict[str, set[str]] = {}
        post_on_get_only: dict[str, list[int]] = {}
        for who in (None, self.alice, self.theo):
            client = Client()
            if who is not None:
                client.force_login(who)
            for name, url in urls.items():
                for method in UNSERVED:
                    response = client.generic(method, url)
                    answers.setdefault((name, method), []).append(response.status_code)
                    if response.status_code == 405:
                        allow = {m.strip() for m in response["Allow"].split(",")}
                        allowed.setdefault(name, set()).update(allow)
                        if method == "DELETE" and "POST" not in allow:
                            post_on_get_only.setdefault(name, []).append(client.post(url).status_code)

        served = {key: codes for key, codes in answers.items() if any(code < 300 for code in codes)}
        self.assertEqual(served, {}, "served a method it should refuse")
        unchecked = {key: codes for key, codes in answers.items() if 405 not in codes}
        self.assertEqual(unchecked, {}, "nobody got a 405: the view checks no method")
        self.assertEqual({name: allow for name, allow in allowed.items() if allow & set(UNSERVED)}, {})
        self.assertEqual({name: codes for name, codes in post_on_get_only.items() if set(codes) != {405}}, {})
        self.assertGreater(len(post_on_get_only), 30)  # the GET-only pages were really tried
