"""Help and safety: open to everyone, and linked from the same place on every page."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase


class HelpTests(TandemTestCase):
    def test_signed_out_visitors_get_the_crisis_guidance_without_logging_in(self):
        page = self.client.get(reverse("home:help"))
        self.assertContains(page, "<h1>Help and safety</h1>", html=True)
        self.assertContains(page, "emergency number")  # content/crisis.md, the deployment's file
        self.assertContains(page, "data-quick-exit")
        # The deployment's longer safety page asks for a log-in: not linked for a visitor.
        self.assertNotContains(page, reverse("safety:info"))

    def test_a_partner_also_gets_the_longer_safety_page(self):
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("home:help")), reverse("safety:info"))

    def test_the_link_sits_in_the_footer_of_every_kind_of_page(self):
        """Same place, same words (WCAG 3.2.6): signed out, a partner, a therapist's desk."""
        footer_link = f'<a href="{reverse("home:help")}" data-help>Help and safety</a>'
        for who, url in (
            (None, reverse("accounts:login")),
            (self.alice, "/"),
            (self.alice, reverse("homework:this_week", args=[self.couple.pk])),
            (self.una, reverse("clinic:caseload")),
        ):
            with self.subTest(url=url):
                self.client.logout()
                if who:
                    self.login(who)
                body = self.client.get(url, follow=True).content.decode()
                footer = body[body.index('<footer class="site-footer">') :]
                self.assertIn(footer_link, footer)

    def test_help_answers_get_only(self):
        self.assertEqual(self.client.post(reverse("home:help")).status_code, 405)
