"""What the main partner and therapist pages say, read as a person reads
them (the visible text, tags stripped): no double full stops, no "1 weeks",
and no heading said twice on one page."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from django.urls import reverse

from tandem.checkins.models import CheckIn
from tandem.homework import kinds, services
from tandem.homework.content import library
from tandem.homework.programs import start as start_program
from tandem.measures import services as measures
from tandem.measures.instruments import GAD7
from tandem.safety import services as safety
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, make_assignment, make_block

# Where one block of text ends and another begins: text is read per block,
# so "Saved." in one paragraph and "…" in the next are not one "..".
BLOCKS = {
    "p", "li", "div", "section", "article", "header", "footer", "nav", "main", "aside", "form", "fieldset",
    "legend", "label", "button", "a", "option", "select", "td", "th", "tr", "table", "caption", "ul", "ol",
    "dl", "dt", "dd", "details", "summary", "h1", "h2", "h3", "h4", "h5", "h6", "br", "textarea", "title",
}  # fmt: skip
HEADINGS = {"h1", "h2", "h3"}
# Two full stops (perhaps a space apart) that are not part of an ellipsis "...".
DOUBLE_STOP = re.compile(r"(?<!\.)\.\s?\.(?!\.)|…\.")
# The counted words the pages use: "1 weeks" is wrong wherever it shows.
WRONG_PLURAL = re.compile(
    r"(?<![\d.,])\b1 (check-in|minute|week|day|time|step|point|notification|answer|message|couple)s\b|\(s\)"
)


class Reading(HTMLParser):
    """The page's visible text, block by block, and its h1-h3 headings."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.headings: list[str] = []
        self._text: list[str] = []
        self._heading: list[str] | None = None
        self._skip = 0  # inside <script> or <style>: not text anyone reads

    def _end_block(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._skip += 1
        if tag in BLOCKS:
            self._end_block()
        if tag in HEADINGS:
            self._heading = []

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._skip -= 1
        if tag in HEADINGS and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None
        if tag in BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if self._skip:
            return
        self._text.append(data)
        if self._heading is not None:
            self._heading.append(data)

    def close(self):
        super().close()
        self._end_block()


def read(html: str) -> Reading:
    reading = Reading()
    reading.feed(html)
    reading.close()
    return reading


class ReadingTests(TandemTestCase):
    """The reader itself: what it counts as a problem, and what it doesn't."""

    def test_it_finds_what_it_looks_for(self):
        self.assertTrue(DOUBLE_STOP.search(read("<p>Turned on 3 March, 2:05 p.m..</p>").blocks[0]))
        self.assertTrue(DOUBLE_STOP.search(read("<p>Done <strong>with care.</strong>.</p>").blocks[0]))
        self.assertFalse(any(DOUBLE_STOP.search(b) for b in read("<p>Saving...</p><p>Wait… then.</p>").blocks))
        self.assertFalse(any(DOUBLE_STOP.search(b) for b in read("<p>Saved.</p><p>.</p><p>Next.</p>").blocks[:1]))
        self.assertTrue(WRONG_PLURAL.search("over the last 1 weeks"))
        self.assertFalse(WRONG_PLURAL.search("over the last 11 weeks, 2.1 points"))
        self.assertEqual(read("<h2>Pause</h2><p>x</p><h3>Pause <span>it</span></h3>").headings, ["Pause", "Pause it"])


class FullStopTests(TandemTestCase):
    def test_a_sentence_ends_once(self):
        from django.template import engines

        render = engines["django"].from_string("Homework: {{ t|full_stop }}")
        for title, said in (("Breathe", "Breathe."), ("Breathe.", "Breathe."), ("Ready?", "Ready?"), ("", "")):
            with self.subTest(title=title):
                self.assertEqual(render.render({"t": title}), f"Homework: {said}")
        self.assertEqual(render.render({"t": "<b>"}), "Homework: &lt;b&gt;.")  # still escaped


class WordingTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        c = cls.couple
        cls.assignment = make_assignment(c)  # suggested
        cls.done = make_assignment(c, "cooperative-challenge", by=cls.alice)
        services.opt_in(cls.done, cls.bo)
        kinds.activity.mark_done(cls.done, cls.alice)
        kinds.activity.mark_done(cls.done, cls.bo)
        cls.program_run = start_program(c, library().programs["hard-season"], cls.alice)
        cls.block = make_block(c, cls.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        cls.proposal = make_block(c, cls.alice, status="proposed")
        for who in (cls.alice, cls.bo):
            CheckIn.objects.create(
                couple=c, author=who, local_date=who.today(), mood=4, energy=3, stress=2, closeness=5,
                note="A long day.", visibility="shared",
            )  # fmt: skip
        measures.record(
            measures.schedule(c, cls.alice, "gad7", "once", created_by=cls.theo),
            {item.link_id: 1 for item in GAD7.items},
        )
        safety.send(c, cls.alice, "A private word.")
        # One week exactly: "for about a week", never "1 weeks".
        seasons.start(c, cls.alice, reason="", reason_shared=False, expected_weeks=1)

    def pages(self):
        c = self.couple.pk
        partner = [
            reverse("home:home"),
            reverse("home:couple", args=[c]),
            reverse("homework:this_week", args=[c]),
            reverse("homework:library", args=[c]),
            reverse("homework:history", args=[c]),
            reverse("homework:load", args=[c]),
            reverse("homework:assignment", args=[c, self.assignment.pk]),
            reverse("homework:assignment", args=[c, self.done.pk]),
            reverse("homework:exercise", args=[c, "mirror-of-desire"]),
            reverse("homework:program", args=[c, self.program_run.pk]),
            reverse("checkins:today", args=[c]),
            reverse("checkins:recent", args=[c]),
            reverse("checkins:progress", args=[c]),
            reverse("checkins:week", args=[c]),
            reverse("blocks:agenda", args=[c]),
            reverse("blocks:block", args=[c, self.block.pk]),
            reverse("blocks:find", args=[c]),
            reverse("boundaries:overview", args=[c]),
            reverse("boundaries:agreements", args=[c]),
            reverse("wins:celebrate", args=[c]),
            reverse("seasons:season", args=[c]),
            reverse("measures:overview", args=[c]),
            reverse("safety:channel", args=[c]),
            reverse("accounts:profile"),
            reverse("notifications:settings"),
            reverse("security:sessions"),
        ]
        therapist = [
            reverse("clinic:caseload"),
            reverse("clinic:couple", args=[c]),
            reverse("clinic:practice"),
            reverse("measures:clinic", args=[c]),
            reverse("safety:clinic", args=[c]),
            reverse("authoring:list"),
        ]
        return [(self.alice, url) for url in partner] + [(self.theo, url) for url in therapist]

    def readings(self):
        for who, url in self.pages():
            self.login(who)
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            yield who, url, read(response.content.decode())

    def test_the_main_pages_read_well(self):
        for who, url, reading in self.readings():
            with self.subTest(who=who.display_name, url=url):
                doubled = [block for block in reading.blocks if DOUBLE_STOP.search(block)]
                self.assertEqual(doubled, [], "two full stops in a row")
                plurals = [block for block in reading.blocks if WRONG_PLURAL.search(block)]
                self.assertEqual(plurals, [], "a wrong plural")
                repeated = [text for text, n in Counter(reading.headings).items() if n > 1]
                self.assertEqual(repeated, [], "the same heading twice on one page")
