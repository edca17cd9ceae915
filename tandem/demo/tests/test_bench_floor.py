"""The benchmark floor page exists only when TANDEM_BENCH_FLOOR is on."""

import importlib

from django.test import SimpleTestCase, override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

import tandem.urls


def reload_urlconf() -> None:
    clear_url_caches()
    importlib.reload(tandem.urls)


class BenchFloorTests(SimpleTestCase):
    def tearDown(self) -> None:
        reload_urlconf()  # back to the URLconf of the real settings

    def test_absent_by_default(self):
        reload_urlconf()
        with self.assertRaises(NoReverseMatch):
            reverse("bench_floor")
        self.assertEqual(self.client.get("/bench/floor/").status_code, 404)

    @override_settings(TANDEM_BENCH_FLOOR=True)
    def test_when_enabled_it_answers_without_the_database(self):
        reload_urlconf()
        # SimpleTestCase refuses any database query, so this also proves "no database".
        response = self.client.get(reverse("bench_floor"))
        self.assertContains(response, "<p>floor</p>")
        self.assertEqual(self.client.post(reverse("bench_floor")).status_code, 405)
