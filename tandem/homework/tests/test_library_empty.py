"""The library's empty-filter message says when the consent level is what hides
exercises, in the same neutral words for both partners (never whose level)."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase

LEVEL_HIDES = "Some exercises open only when you have both chosen a closer level."
NO_MATCH = "No exercise matches these filters."


class LibraryEmptyFilterTests(TandemTestCase):
    def library(self, user, **filters):
        self.login(user)
        return self.client.get(reverse("homework:library", args=[self.couple.pk]), filters)

    def set_levels(self, alice: int, bo: int) -> None:
        for person, level in ((self.alice, alice), (self.bo, bo)):
            person.consent_level = level
            person.save(update_fields=["consent_level"])

    def test_says_so_when_the_level_hides_what_the_filters_ask_for(self):
        self.set_levels(3, 0)  # the lower level counts: talk only
        pages = [self.library(person, level="2").content.decode() for person in (self.alice, self.bo)]
        for page in pages:
            self.assertIn(LEVEL_HIDES, page)
            self.assertIn(f'You can change yours in <a href="{reverse("accounts:profile")}">your profile</a>.', page)
            self.assertNotIn(NO_MATCH, page)
        # The same words for both: nothing says whose level it is.
        strip = lambda page: page[page.index("<main") : page.index("</main>")]  # noqa: E731
        self.assertEqual(strip(pages[0]).count(LEVEL_HIDES), strip(pages[1]).count(LEVEL_HIDES))
        for page in pages:  # as whole words: a random CSRF token may hold the letters "Bo"
            self.assertNotRegex(strip(page), r"\b(Alice|Bo)\b")

    def test_the_plain_message_when_nothing_is_hidden_by_the_level(self):
        self.set_levels(3, 3)
        page = self.library(self.alice, kind="touch", level="0")  # no touch exercise is talk only
        self.assertContains(page, NO_MATCH)
        self.assertNotContains(page, LEVEL_HIDES)

    def test_no_message_when_something_matches(self):
        self.set_levels(1, 1)
        page = self.library(self.bo, level="1")
        self.assertNotContains(page, LEVEL_HIDES)
        self.assertNotContains(page, NO_MATCH)

    def test_a_level_filter_within_reach_but_empty_says_nothing_of_levels(self):
        self.set_levels(0, 0)
        page = self.library(self.alice, kind="touch")  # every touch exercise is above talk
        self.assertContains(page, LEVEL_HIDES)
        page = self.library(self.alice, kind="checkin", minutes="10", level="0")
        self.assertNotContains(page, LEVEL_HIDES)

    def test_a_bad_filter_value_says_so_and_keeps_the_list(self):
        page = self.library(self.alice, level="9")
        self.assertContains(page, "Select a valid choice")
        self.assertNotContains(page, LEVEL_HIDES)
