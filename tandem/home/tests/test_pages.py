"""Every page: security headers, nothing from another host, neutral title,
a quick exit when signed in, one h1, and labelled inputs."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from tandem.authoring.tests.factories import make_practice_exercise
from tandem.clinic.models import CareInvite
from tandem.couples.models import Invite
from tandem.measures import services as measures
from tandem.measures.instruments import GAD7
from tandem.testkit.base import TandemTestCase, make_assignment, make_block, make_couple, make_person
from tandem.testkit.urls import all_url_names

# Pages that only accept POST; their effects are tested with their features.
POST_ONLY = {
    "couples:create",
    "couples:invite_create",
    "couples:invite_revoke",
    "accounts:logout",
    "security:sessions_end",
    "clinic:invite_create",
    "clinic:invite_revoke",
    "clinic:invite_renew",
    "clinic:link_consent",
    "homework:propose",
    "homework:opt_in",
    "homework:set_aside",
    "homework:pause",
    "homework:resume",
    "homework:renew",
    "homework:answer",
    "homework:reply",
    "homework:step",
    "homework:debrief",
    "homework:hint",
    "drafts:save",
    "clinic:approve_stage",
    "homework:program_start",
    "homework:program_stop",
    "boundaries:vocabulary",
    "homework:program_offer_again",
    "checkins:rapid",
    "seasons:ready",
    "blocks:act",
    "clinic:assign",
    "clinic:schedule_cancel",
    "clinic:note_add",
    "clinic:care_settings",
    "authoring:share",
    "measures:share",
    "safety:reply",
    "wins:note_read",
    "safety:thread_read",
    "safety:channel_read",
    "measures:clinic_plan",
    "measures:clinic_flag_seen",
    "boundaries:finish",
    "boundaries:answer",
    "boundaries:add_item",
    "boundaries:pause_everything",
    "boundaries:agreement_action",
    "boundaries:share_matches",
    "notifications:subscribe",
    "notifications:remove",
}
# Pages that only redirect somewhere covered here.
REDIRECT_ONLY = {"homework:start", "checkins:start", "blocks:start", "privacy:export_fhir"}
# Calendar files, not pages: tested in tandem/blocks/tests/test_feeds.py;
# the session answer for app.js: tandem/accounts/tests/test_signed_out.py.
NOT_HTML = {"blocks:feed", "blocks:block_ics", "measures:clinic_fhir", "accounts:session"}
# The installable app's manifest and service worker: tandem/core/tests/test_pwa.py.
NOT_HTML |= {"core:manifest", "core:service_worker"}
# A fragment of home for htmx polling (no title, no h1 of its own): tandem/turns/tests/test_views.py.
NOT_HTML |= {"turns:waiting"}
# What live pages poll (the number alone, one assignment's stamp): tandem/turns/tests/test_live.py.
NOT_HTML |= {"turns:count", "turns:stamp"}
ALLOWED_TITLES = {"Tandem"}


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.external: list[str] = []
        self.inline_scripts = 0
        self.inline_styles = 0
        self.h1 = 0
        self.title = ""
        self._in_title = False
        self.inputs: list[str] = []
        self.labels: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href", "action", "srcset"):
            value = attrs.get(key) or ""
            # Links to other sites are fine only for the quick exit (it is a
            # way out, not something the page loads).
            if re.match(r"^(https?:)?//", value) and "data-quick-exit" not in attrs:
                self.external.append(f"{tag} {key}={value}")
        if tag == "script" and not attrs.get("src"):
            self.inline_scripts += 1
        if tag == "style" or "style" in attrs:
            self.inline_styles += 1
        if tag == "h1":
            self.h1 += 1
        if tag == "title":
            self._in_title = True
        if tag == "label" and attrs.get("for"):
            self.labels.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.inputs.append(attrs.get("id") or "")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


class EveryPageTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nadia = make_person("nadia@example.org", "Nadia")
        cls.solo_couple = make_couple(cls.nadia)
        cls.invite = Invite.objects.create(couple=cls.solo_couple, created_by=cls.nadia)
        cls.care_invite = CareInvite.objects.create(therapist=cls.una.therapist)
        cls.newcomer = make_person("new@example.org", "Noa")
        cls.assignment = make_assignment(cls.couple)
        from tandem.homework.content import library
        from tandem.homework.programs import start

        cls.program_run = start(cls.couple, library().programs["hard-season"], cls.alice)
        cls.block = make_block(cls.couple, cls.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        cls.proposal = make_block(cls.couple, cls.alice, status="proposed")
        cls.practice_exercise = make_practice_exercise(cls.theo)
        measures.record(
            measures.schedule(cls.couple, cls.alice, "gad7", "once", created_by=cls.theo),
            {item.link_id: 1 for item in GAD7.items},
        )
        measures.schedule(cls.couple, cls.alice, "csi4", "once", created_by=cls.theo)
        from tandem.safety import services as safety

        cls.safety_thread = safety.send(cls.couple, cls.alice, "A private word").thread
        cls.shared_exercise = make_practice_exercise(cls.una, slug="morning-tea", shared=True)

    def pages(self):
        """(who, url) for every GET page of the site; fails when a page is missing."""
        c = self.couple.pk
        pages = {
            "home:home": [
                (None, "/"),
                (self.alice, "/"),
                (self.nadia, "/"),
                (self.newcomer, "/"),
            ],  # theo: "/" is his caseload
            "accounts:signup": [(None, reverse("accounts:signup"))],
            "accounts:login": [(None, reverse("accounts:login"))],
            "accounts:profile": [(self.alice, reverse("accounts:profile"))],
            "accounts:signed_in": [(self.alice, reverse("accounts:signed_in"))],
            "accounts:password_change": [(self.alice, reverse("accounts:password_change"))],
            "accounts:password_changed": [(self.alice, reverse("accounts:password_changed"))],
            "accounts:reset": [(None, reverse("accounts:reset"))],
            "accounts:reset_sent": [(None, reverse("accounts:reset_sent"))],
            "accounts:reset_confirm": [(None, reverse("accounts:reset_confirm", args=["MQ", "x-y"]))],
            "accounts:reset_done": [(None, reverse("accounts:reset_done"))],
            "accounts:email_change": [(self.alice, reverse("accounts:email_change"))],
            "accounts:email_confirm": [(self.alice, reverse("accounts:email_confirm", args=["not-a-token"]))],
            "security:login_code": [(None, reverse("security:login_code"))],
            "security:confirm": [(self.alice, reverse("security:confirm")), (self.theo, reverse("security:confirm"))],
            "security:two_factor": [
                (self.alice, reverse("security:two_factor")),  # setting it up, with the QR code
                (self.theo, reverse("security:two_factor")),  # on
            ],
            "security:recovery_codes": [(self.theo, reverse("security:recovery_codes"))],
            "security:two_factor_disable": [(self.theo, reverse("security:two_factor_disable"))],
            "security:sessions": [(self.alice, reverse("security:sessions"))],
            "notifications:settings": [(self.alice, reverse("notifications:settings"))],
            "core:offline": [(None, reverse("core:offline")), (self.alice, reverse("core:offline"))],
            "home:help": [
                (None, reverse("home:help")),
                (self.alice, reverse("home:help")),
                (self.theo, reverse("home:help")),
            ],
            "home:couple": [
                (self.alice, reverse("home:couple", args=[c])),
                (self.nadia, reverse("home:couple", args=[self.solo_couple.pk])),
            ],
            "couples:leave": [(self.alice, reverse("couples:leave", args=[c]))],
            "couples:join_code": [(self.newcomer, reverse("couples:join_code"))],
            "couples:join": [
                (self.newcomer, reverse("couples:join", args=[self.invite.token])),
                (self.alice, reverse("couples:join", args=[self.invite.token])),
                (None, reverse("couples:join", args=[self.invite.token])),  # signed out: who invited, what Tandem is
            ],
            "couples:consent_question": [(self.alice, reverse("couples:consent_question", args=[c]))],
            "clinic:caseload": [(self.theo, reverse("clinic:caseload"))],
            "clinic:practice": [(self.theo, reverse("clinic:practice"))],
            "clinic:register": [(self.newcomer, reverse("clinic:register"))],
            "clinic:couple": [(self.theo, reverse("clinic:couple", args=[c]))],
            "clinic:audit_log": [(self.alice, reverse("clinic:audit_log", args=[c]))],
            "authoring:list": [(self.theo, reverse("authoring:list"))],
            "measures:overview": [
                (self.alice, reverse("measures:overview", args=[c])),
                (self.bo, reverse("measures:overview", args=[c])),
            ],
            "measures:fill": [(self.alice, reverse("measures:fill", args=[c, "csi4"]))],
            "measures:clinic": [(self.theo, reverse("measures:clinic", args=[c]))],
            "safety:channel": [
                (self.alice, reverse("safety:channel", args=[c])),
                (self.bo, reverse("safety:channel", args=[c])),
                (self.nadia, reverse("safety:channel", args=[self.solo_couple.pk])),
            ],
            "safety:info": [(self.bo, reverse("safety:info"))],
            "safety:clinic": [(self.theo, reverse("safety:clinic", args=[c]))],
            "safety:thread": [(self.theo, reverse("safety:thread", args=[c, self.safety_thread.pk]))],
            "authoring:new": [(self.theo, reverse("authoring:new"))],
            "authoring:exercise": [
                (self.theo, reverse("authoring:exercise", args=[self.practice_exercise.pk])),
                (self.theo, reverse("authoring:exercise", args=[self.shared_exercise.pk])),
            ],
            "clinic:link_code": [(self.olga, reverse("clinic:link_code"))],
            "clinic:link_join": [(self.olga, reverse("clinic:link_join", args=[self.care_invite.token]))],
            "clinic:link_end": [(self.alice, reverse("clinic:link_end", args=[c, self.link.pk]))],
            "clinic:history": [(self.alice, reverse("clinic:history", args=[c, self.link.pk]))],
            "homework:this_week": [(self.alice, reverse("homework:this_week", args=[c]))],
            "homework:library": [(self.alice, reverse("homework:library", args=[c]))],
            "homework:history": [(self.alice, reverse("homework:history", args=[c]))],
            "homework:load": [(self.alice, reverse("homework:load", args=[c]))],
            "checkins:today": [(self.alice, reverse("checkins:today", args=[c]))],
            "checkins:recent": [(self.alice, reverse("checkins:recent", args=[c]))],
            "checkins:progress": [(self.alice, reverse("checkins:progress", args=[c]))],
            "checkins:week": [(self.alice, reverse("checkins:week", args=[c]))],
            "checkins:schedule": [(self.alice, reverse("checkins:schedule"))],
            "seasons:season": [(self.alice, reverse("seasons:season", args=[c]))],
            "wins:celebrate": [(self.alice, reverse("wins:celebrate", args=[c]))],
            "boundaries:overview": [(self.alice, reverse("boundaries:overview", args=[c]))],
            "boundaries:history": [(self.alice, reverse("boundaries:history", args=[c]))],
            "boundaries:agreements": [(self.alice, reverse("boundaries:agreements", args=[c]))],
            "boundaries:section": [(self.alice, reverse("boundaries:section", args=[c, "affection"]))],
            "blocks:agenda": [
                (self.alice, reverse("blocks:agenda", args=[c])),
                (self.bo, reverse("blocks:agenda", args=[c])),
            ],
            "blocks:plan": [(self.alice, reverse("blocks:plan", args=[c]))],
            "blocks:find": [
                (self.alice, reverse("blocks:find", args=[c])),
                (self.alice, reverse("blocks:find", args=[c]) + "?minutes=60"),
            ],
            "blocks:free_times": [(self.alice, reverse("blocks:free_times"))],
            "blocks:reminders": [(self.alice, reverse("blocks:reminders", args=[c]))],
            "blocks:feed_settings": [(self.alice, reverse("blocks:feed_settings", args=[c]))],
            "blocks:block": [
                (self.alice, reverse("blocks:block", args=[c, self.block.pk])),
                (self.bo, reverse("blocks:block", args=[c, self.proposal.pk])),
            ],
            "blocks:change": [(self.alice, reverse("blocks:change", args=[c, self.block.pk]))],
            "homework:program": [(self.alice, reverse("homework:program", args=[c, self.program_run.pk]))],
            "homework:exercise": [(self.alice, reverse("homework:exercise", args=[c, "mirror-of-desire"]))],
            "homework:assignment": [
                (self.alice, reverse("homework:assignment", args=[c, self.assignment.pk])),
                (self.bo, reverse("homework:assignment", args=[c, self.assignment.pk])),
            ],
            "privacy:export": [(self.alice, reverse("privacy:export")), (self.theo, reverse("privacy:export"))],
            "privacy:delete": [(self.alice, reverse("privacy:delete"))],
        }
        missing = all_url_names() - set(pages) - POST_ONLY - REDIRECT_ONLY - NOT_HTML
        missing = {name for name in missing if not name.startswith("admin:")}
        self.assertEqual(missing, set(), "add these pages to the page audit")
        for name, visits in pages.items():
            for who, url in visits:
                yield name, who, url

    def test_every_page(self):
        for name, who, url in self.pages():
            with self.subTest(page=name, who=who and who.display_name):
                if who:
                    self.login(who)
                else:
                    self.client.logout()
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200, url)
                headers = response.headers
                csp = headers["Content-Security-Policy"]
                self.assertIn("default-src 'self'", csp)
                self.assertIn("script-src 'self'", csp)
                self.assertNotIn("unsafe-inline", csp)
                self.assertNotIn("unsafe-eval", csp)
                self.assertEqual(headers["X-Content-Type-Options"], "nosniff")
                self.assertEqual(headers["Referrer-Policy"], "same-origin")
                for feature in ("camera=()", "microphone=()", "geolocation=()"):
                    self.assertIn(feature, headers["Permissions-Policy"])
                self.assertEqual(headers["X-Frame-Options"], "DENY")

                audit = PageAudit()
                audit.feed(response.content.decode())
                self.assertEqual(audit.external, [], "loads from another host")
                self.assertEqual(audit.inline_scripts, 0, "inline script would be blocked by the CSP")
                self.assertEqual(audit.inline_styles, 0, "inline style would be blocked by the CSP")
                self.assertIn(audit.title.strip(), ALLOWED_TITLES)
                self.assertEqual(audit.h1, 1, "one h1 per page")
                unlabelled = [i for i in audit.inputs if i not in audit.labels]
                self.assertEqual(unlabelled, [], "every input has a label")
                if who:
                    self.assertContains(response, "data-quick-exit")
                    self.assertIn("no-store", headers["Cache-Control"])

    def test_quick_exit_goes_to_the_configured_address(self):
        self.login(self.alice)
        with self.settings(QUICK_EXIT_URL="https://weather.example/"):
            self.assertContains(self.client.get("/"), 'href="https://weather.example/" data-quick-exit')

    def test_404_page_has_headers_too(self):
        response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assertIn("Content-Security-Policy", response.headers)
        self.assertIn("Permissions-Policy", response.headers)

    def test_htmx_is_vendored(self):
        from django.contrib.staticfiles import finders

        path = finders.find("tandem/htmx.min.js")
        self.assertIsNotNone(path)
        with open(path) as fh:
            self.assertIn("htmx", fh.read(200))
