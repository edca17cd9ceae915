"""The installable app: a valid manifest, a root-scoped worker that keeps no page, a neutral offline page."""

from __future__ import annotations

import json
import re

from django.contrib.staticfiles import finders
from django.test import SimpleTestCase
from django.urls import reverse

from tandem.testkit.base import TandemTestCase


class ManifestTests(SimpleTestCase):
    def test_the_manifest_is_valid_json_with_what_installing_needs(self):
        response = self.client.get("/manifest.webmanifest")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        manifest = json.loads(response.content)
        self.assertEqual(manifest["name"], "Tandem")
        self.assertEqual((manifest["start_url"], manifest["scope"], manifest["display"]), ("/", "/", "standalone"))
        for colour in ("theme_color", "background_color"):
            self.assertRegex(manifest[colour], r"^#[0-9a-f]{6}$")
        sizes = {icon["sizes"] for icon in manifest["icons"]}
        self.assertTrue({"192x192", "512x512", "any"} <= sizes)
        self.assertTrue(any(icon.get("purpose") == "maskable" for icon in manifest["icons"]))

    def test_the_colours_are_the_stylesheets(self):
        css = open(finders.find("tandem/app.css"), encoding="utf-8").read()  # noqa: SIM115
        root = css.split("@media", 1)[0]
        manifest = json.loads(self.client.get("/manifest.webmanifest").content)
        self.assertIn(f"--accent: {manifest['theme_color']};", root)
        self.assertIn(f"--bg: {manifest['background_color']};", root)

    def test_every_icon_is_a_real_image_of_its_size(self):
        manifest = json.loads(self.client.get("/manifest.webmanifest").content)
        for icon in manifest["icons"]:
            name = icon["src"].removeprefix("/static/")
            path = finders.find(name)
            self.assertIsNotNone(path, icon["src"])
            with open(path, "rb") as file:
                head = file.read(24)
            if icon["type"] == "image/png":
                self.assertEqual(head[:8], b"\x89PNG\r\n\x1a\n")
                width, height = int.from_bytes(head[16:20]), int.from_bytes(head[20:24])
                self.assertEqual(f"{width}x{height}", icon["sizes"])

    def test_every_page_links_the_manifest(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, '<link rel="manifest" href="/manifest.webmanifest">')
        self.assertContains(response, '<meta name="theme-color" content="#2f5d62">')


class ServiceWorkerTests(SimpleTestCase):
    def worker(self) -> str:
        response = self.client.get("/sw.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(response["Service-Worker-Allowed"], "/")
        self.assertEqual(response["Cache-Control"], "no-cache")
        return response.content.decode()

    def test_it_is_served_from_the_root_with_its_addresses_filled_in(self):
        source = self.worker()
        self.assertNotIn("__", source.replace("__proto__", ""))
        self.assertIn('var OFFLINE_URL = "/offline/";', source)
        self.assertIn('var STATIC_PREFIX = "/static/";', source)

    def test_it_stores_only_static_files_and_the_offline_page(self):
        source = self.worker()
        # Exactly two places write to a cache: the offline page at install, and cacheable() static files.
        puts = re.findall(r"cache\.put\(([^,]+),", source)
        self.assertEqual(puts, ["OFFLINE_URL", "request"])
        self.assertNotIn("addAll", source)
        self.assertIn("if (cacheable(request, response)) cache.put(request", source)
        rule = source.split("function cacheable", 1)[1].split("\n}\n", 1)[0]
        self.assertIn("url.pathname.indexOf(STATIC_PREFIX) !== 0) return false", rule)
        self.assertIn('control.indexOf("no-store") === -1 && control.indexOf("private") === -1', rule)
        # Navigations (every page, signed in or not) go to the network and are never put.
        navigate = source.split('request.mode === "navigate"', 1)[1].split("return;", 1)[0]
        self.assertNotIn("put", navigate)

    def test_the_offline_page_is_fetched_without_cookies(self):
        self.assertIn('fetch(OFFLINE_URL, { credentials: "omit"', self.worker())


class OfflinePageTests(TandemTestCase):
    def test_it_is_the_same_signed_in_or_not_and_says_nothing_personal(self):
        anonymous = self.client.get("/offline/")
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)  # signed in indeed
        signed_in = self.client.get("/offline/")
        self.assertEqual(anonymous.content, signed_in.content)
        self.assertNotContains(signed_in, self.alice.display_name)
        self.assertNotContains(signed_in, self.alice.email)
        self.assertNotContains(signed_in, "csrf")
        self.assertContains(signed_in, "You're offline")
        self.assertContains(signed_in, "data-quick-exit")

    def test_get_only(self):
        self.assertEqual(self.client.post("/offline/").status_code, 405)
        self.assertEqual(self.client.post("/manifest.webmanifest").status_code, 405)
