"""What open pages poll to stay live: the header's count (``turns:count``)
and one assignment's turn stamp (``turns:stamp``). Both answer GET only,
write nothing, cost a fixed few queries, answer 304 when the page already
has the answer, and a signed-out poll gets 403 (never a redirect a script
would read as the answer); the stamp is for the couple's partners only and
changes when a move changes the page, and only then."""

from __future__ import annotations

from django.urls import reverse

from tandem.drafts import services as drafts
from tandem.homework import services
from tandem.homework.kinds import listening, touch, write_then_share
from tandem.homework.kinds.base import draft_slot
from tandem.testkit.base import TandemTestCase, make_assignment, make_block
from tandem.turns.tests.test_views import statements

WRITES = {"INSERT", "UPDATE", "DELETE"}


def writes(sql: list[str]) -> list[str]:
    return [s for s in sql if s.split()[0].upper() in WRITES]


class CountTests(TandemTestCase):
    url = "/waiting/count/"

    def test_the_number_alone_with_a_stamp_and_304_when_unchanged(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        self.login(self.bo)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"1")
        self.assertEqual(response["ETag"], '"1"')
        self.assertIn("no-store", response["Cache-Control"])
        unchanged = self.client.get(self.url, headers={"If-None-Match": '"1"'})
        self.assertEqual(unchanged.status_code, 304)
        self.assertEqual(unchanged.content, b"")
        # Something new waits: the page's old stamp no longer matches.
        make_block(self.couple, self.alice, status="proposed")
        changed = self.client.get(self.url, headers={"If-None-Match": '"1"'})
        self.assertEqual((changed.status_code, changed.content), (200, b"2"))

    def test_only_mine(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        for person in (self.alice, self.olga, self.theo, self.una):
            self.login(person)
            self.assertEqual(self.client.get(self.url).content, b"0", person)

    def test_signed_out_gets_403_with_no_body_not_a_redirect(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.content, b"")
        self.assertNotIn("Location", response)

    def test_get_only_writes_nothing_fixed_queries(self):
        self.login(self.bo)
        self.client.get(self.url)
        _response, few = statements(self.client, self.url)
        for days in (2, 3, 4):
            make_block(self.couple, self.alice, status="proposed", days_ahead=days)
        make_assignment(self.couple, "appreciations", by=self.alice)
        response, many = statements(self.client, self.url)
        self.assertEqual(response.content, b"4")
        self.assertEqual(writes(many), [])
        self.assertEqual(len(few), len(many))
        # session, person, session record, the count (one query whatever the number).
        self.assertEqual(len(many), 4)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_every_signed_in_page_says_where_and_how_often_to_poll(self):
        self.login(self.bo)
        with self.settings(LIVE_POLL_SECONDS=15, LIVE_TURN_POLL_SECONDS=5):
            html = self.client.get(reverse("accounts:profile")).content.decode()
        self.assertIn('data-waiting-url="/waiting/count/"', html)
        self.assertIn('data-poll-ms="15000"', html)
        self.assertIn('data-turn-poll-ms="5000"', html)
        self.assertIn("data-waiting-said", html)  # the polite line the new number is said in
        self.client.logout()
        self.assertNotIn("data-waiting-url", self.client.get(reverse("accounts:login")).content.decode())


class StampTests(TandemTestCase):
    def setUp(self):
        # Alice proposed, so Alice (role a) speaks first; both said yes.
        self.assignment = make_assignment(self.couple, "reflective-listening", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.url = reverse("turns:stamp", args=[self.couple.pk, self.assignment.pk])
        self.page = reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk])

    def stamp(self, user) -> str:
        self.login(user)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_partners_only_404_for_anyone_else(self):
        self.assertTrue(self.stamp(self.alice))
        for person in (self.olga, self.theo, self.una):
            self.login(person)
            self.assertEqual(self.client.get(self.url).status_code, 404, person)
        # Another couple's assignment through this couple's address, and the other way round.
        self.login(self.olga)
        other = make_assignment(self.other_couple, "appreciations", by=self.olga)
        self.assertEqual(self.client.get(reverse("turns:stamp", args=[self.couple.pk, other.pk])).status_code, 404)
        self.login(self.bo)
        self.assertEqual(self.client.get(reverse("turns:stamp", args=[self.couple.pk, other.pk])).status_code, 404)

    def test_signed_out_gets_403_with_no_body(self):
        response = self.client.get(self.url)
        self.assertEqual((response.status_code, response.content), (403, b""))
        self.assertNotIn("Location", response)

    def test_the_page_carries_the_same_stamp_and_304_when_unchanged(self):
        stamp = self.stamp(self.bo)
        html = self.client.get(self.page).content.decode()
        self.assertIn(f'id="turn-region" data-turn-stamp="{stamp}"', html)
        self.assertIn(f'data-turn-poll="{self.url}"', html)
        response = self.client.get(self.url, headers={"If-None-Match": f'"{stamp}"'})
        self.assertEqual((response.status_code, response.content), (304, b""))

    def test_changes_when_the_partner_moves(self):
        seen = [self.stamp(self.bo)]
        listening.say(self.assignment, self.alice, "message", "I miss our walks.")
        seen.append(self.stamp(self.bo))
        listening.say(self.assignment, self.bo, "restatement", "You miss our walks.")
        seen.append(self.stamp(self.bo))
        listening.say(self.assignment, self.alice, "confirmation")
        seen.append(self.stamp(self.bo))
        self.assertEqual(len(set(seen)), 4, seen)
        # Both partners see each move.
        self.assertNotEqual(self.stamp(self.alice), seen[0])

    def test_unchanged_by_what_changes_nothing_on_the_page(self):
        before = self.stamp(self.bo)
        # Looking (the page, the stamp), my own draft, and anything of another couple.
        self.client.get(self.page)
        drafts.keep(self.bo, self.couple, draft_slot(self.assignment, "restatement"), "Half a thought")
        drafts.keep(self.alice, self.couple, draft_slot(self.assignment, "message"), "Alice's half thought")
        make_assignment(self.other_couple, "appreciations", by=self.olga)
        make_assignment(self.couple, "appreciations", by=self.alice)  # another exercise of ours
        self.assertEqual(self.stamp(self.bo), before)

    def test_a_private_ready_today_changes_nothing_for_the_partner(self):
        touching = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(touching, self.bo)
        url = reverse("turns:stamp", args=[self.couple.pk, touching.pk])
        self.login(self.bo)
        before = self.client.get(url).content
        touch.ready_today(touching, self.alice)
        self.assertEqual(self.client.get(url).content, before)  # "ready" is private until both said it
        touch.ready_today(touching, self.bo)  # both: the session opens, on both pages
        self.login(self.alice)
        alice_before = self.client.get(url).content
        self.assertNotEqual(alice_before, b"")
        self.login(self.bo)
        self.assertNotEqual(self.client.get(url).content, before)

    def test_a_sealed_answer_changes_it_but_its_words_do_not(self):
        words = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(words, self.bo)
        url = reverse("turns:stamp", args=[self.couple.pk, words.pk])
        self.login(self.bo)
        before = self.client.get(url).content
        answer = write_then_share.submit_answer(words, self.alice, "The way you laugh.")
        after = self.client.get(url).content
        self.assertNotEqual(after, before)  # "your partner's answer is in" is on the page
        # Alice rewords her sealed answer: Bo may not read it, so his stamp stays.
        type(answer).objects.filter(pk=answer.pk).update(body="The way you sing.")
        self.assertEqual(self.client.get(url).content, after)

    def test_a_hold_changes_it_and_the_region_says_so(self):
        before = self.stamp(self.bo)
        services.pause(self.assignment, self.alice)
        self.assertNotEqual(self.stamp(self.bo), before)
        region = self.client.get(self.page, headers={"HX-Request": "true", "HX-Target": "turn-region"})
        self.assertContains(region, 'data-testid="held"')
        self.assertContains(region, "paused for now")
        self.assertNotContains(region, "/step/")  # no step form to send into a held exercise…
        self.assertNotContains(region, "Alice")  # …and never who paused

    def test_the_region_alone_for_the_live_page(self):
        listening.say(self.assignment, self.alice, "message", "I miss our walks.")
        stamp = self.stamp(self.bo)
        response = self.client.get(self.page, headers={"HX-Request": "true", "HX-Target": "turn-region"})
        body = response.content.decode()
        self.assertNotIn("<html", body)
        self.assertTrue(body.strip().startswith('<div id="turn-region"'))
        self.assertIn(f'data-turn-stamp="{stamp}"', body)
        self.assertIn("I miss our walks.", body)
        self.assertIn('id="body-restatement"', body)  # Bo's turn now
        self.assertIn('id="pause-heading"', body)
        # A step's own answer is still the work panel alone (with the new stamp).
        posted = self.client.post(
            reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "restatement"]),
            {"body": "You miss our walks."},
            headers={"HX-Request": "true", "HX-Target": "work-panel"},
        ).content.decode()
        self.assertTrue(posted.strip().startswith('<section class="card" id="work-panel"'))
        self.assertIn(f'data-turn-stamp="{self.stamp(self.bo)}"', posted)

    def test_get_only_writes_nothing_fixed_queries(self):
        self.login(self.bo)
        self.client.get(self.url)
        _response, few = statements(self.client, self.url)
        listening.say(self.assignment, self.alice, "message", "One")
        listening.say(self.assignment, self.bo, "restatement", "Two")
        listening.say(self.assignment, self.alice, "confirmation")
        listening.say(self.assignment, self.bo, "message", "Three")
        response, many = statements(self.client, self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(writes(many), [])
        self.assertEqual(len(few), len(many))
        # session, person, session record, the couple door, the assignment with its stamp.
        self.assertEqual(len(many), 5)
        self.assertEqual(self.client.post(self.url).status_code, 405)
