from django.urls import reverse
from django.utils import timezone

from tandem.boundaries.models import CouplePause
from tandem.homework import kinds, services
from tandem.homework.content import library
from tandem.testkit.base import TandemTestCase, make_assignment


class PauseEverythingTests(TandemTestCase):
    def pause(self, user, lift=False, next_url="/"):
        self.login(user)
        data = {"next": next_url, **({"lift": "1"} if lift else {})}
        return self.client.post(reverse("boundaries:pause_everything"), data, follow=True)

    def test_the_control_is_on_every_signed_in_page(self):
        self.login(self.alice)
        for url in ("/", reverse("accounts:profile"), reverse("homework:this_week", args=[self.couple.pk])):
            page = self.client.get(url)
            self.assertContains(page, f'action="{reverse("boundaries:pause_everything")}"')
            # Its name, read out: "Pause everything" (the bar shows "Pause").
            self.assertContains(page, 'Pause<span class="visually-hidden"> everything</span>')

    def test_pauses_intimacy_homework_only_and_names_nobody(self):
        touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(touch, self.bo)
        talk = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(talk, self.bo)
        self.pause(self.bo)
        with self.assertRaisesMessage(services.HomeworkError, "paused for now"):
            kinds.touch.ready_today(touch, self.alice)
        kinds.write_then_share.submit_answer(talk, self.alice, "talk still works")
        with self.assertRaisesMessage(services.HomeworkError, "paused for now"):
            services.propose(self.couple, library().exercise("tactile-game"), self.alice)
        self.login(self.alice)
        page = self.client.get("/")
        self.assertContains(page, "Intimacy homework is paused for now.")
        self.assertNotContains(page, "Bo paused")

    def test_this_week_lists_intimacy_homework_as_paused(self):
        touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        make_assignment(self.couple, "appreciations", by=self.alice)
        self.pause(self.bo)
        self.login(self.alice)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        paused = page.content.decode().split('id="held-heading"')[1]
        self.assertIn(reverse("homework:assignment", args=[self.couple.pk, touch.pk]), paused)
        self.assertNotIn("Appreciations", paused)  # talk homework carries on
        self.assertNotContains(page, "Bo paused")
        self.pause(self.bo, lift=True)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertNotContains(page, 'id="held-heading"')

    def test_done_intimacy_homework_stays_done_while_everything_is_paused(self):
        from tandem.homework.models import Assignment

        touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        Assignment.objects.filter(pk=touch.pk).update(status="completed", completed_at=timezone.now())
        self.pause(self.bo)
        self.login(self.alice)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertNotContains(page, 'id="held-heading"')
        done = page.content.decode().split('id="done-heading"')[1]
        self.assertIn("done together", done)
        self.assertNotIn("paused for now", done)

    def test_only_the_pauser_can_lift_it(self):
        self.pause(self.bo)
        self.assertContains(self.pause(self.alice, lift=True), "no pause of yours")
        self.assertTrue(CouplePause.objects.exists())
        response = self.pause(self.bo, lift=True, next_url=reverse("accounts:profile"))
        self.assertContains(response, "Your pause is lifted")
        self.assertFalse(CouplePause.objects.exists())

    def test_next_must_stay_on_this_site(self):
        self.login(self.alice)
        response = self.client.post(reverse("boundaries:pause_everything"), {"next": "https://evil.example/"})
        self.assertRedirects(response, reverse("home:home"))

    def test_people_without_a_couple_get_404(self):
        from tandem.testkit.base import make_person

        self.login(make_person("solo@example.org", "Sol"))
        self.assertEqual(self.client.post(reverse("boundaries:pause_everything")).status_code, 404)
