"""The safety channel: sending, replying, reading, bad input, who gets 404."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import AuditEntry, CareLink
from tandem.couples.services import leave_couple
from tandem.safety import services
from tandem.safety.models import BODY_MAX, SafetyMessage, SafetyThread
from tandem.testkit.base import TandemTestCase, link_therapist, make_therapist

SECRET = "I am scared to say this in front of them"


class SafetyTestCase(TandemTestCase):
    def channel_url(self, couple=None) -> str:
        return reverse("safety:channel", args=[(couple or self.couple).pk])

    def clinic_url(self, couple=None) -> str:
        return reverse("safety:clinic", args=[(couple or self.couple).pk])

    def thread_url(self, thread, couple=None) -> str:
        return reverse("safety:thread", args=[(couple or self.couple).pk, thread.pk])

    def reply_url(self, thread, couple=None) -> str:
        return reverse("safety:reply", args=[(couple or self.couple).pk, thread.pk])

    def send_as(self, user, body: str = SECRET):
        self.login(user)
        return self.client.post(self.channel_url(), {"body": body})


class SendingTests(SafetyTestCase):
    def test_a_partner_sends_to_the_linked_therapist(self):
        response = self.send_as(self.alice)
        self.assertRedirects(response, self.channel_url())
        message = SafetyMessage.objects.get()
        self.assertEqual(message.body, SECRET)
        self.assertFalse(message.from_therapist)
        self.assertEqual(message.thread.author, self.alice)
        self.assertEqual(message.thread.therapist, self.theo.therapist)
        self.assertEqual(message.thread.couple, self.couple)
        page = self.client.get(self.channel_url())
        self.assertContains(page, SECRET)
        self.assertContains(page, reverse("safety:info"))

    def test_a_second_message_joins_the_same_thread(self):
        self.send_as(self.alice)
        self.send_as(self.alice, "and one more thing")
        self.assertEqual(SafetyThread.objects.count(), 1)
        self.assertEqual(SafetyMessage.objects.count(), 2)

    def test_each_partner_sees_only_their_own_thread(self):
        self.send_as(self.alice)
        self.send_as(self.bo, "bo's own words")
        self.assertEqual(SafetyThread.objects.count(), 2)
        page = self.client.get(self.channel_url())  # as bo
        self.assertContains(page, "bo&#x27;s own words")
        self.assertNotContains(page, SECRET)

    def test_an_empty_message_is_refused_plainly(self):
        response = self.send_as(self.alice, "   \n ")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "an empty message can&#x27;t be sent")
        self.assertFalse(SafetyMessage.objects.exists())

    def test_a_too_long_message_is_refused_and_kept(self):
        self.send_as(self.alice, "first, saved")
        long_text = "x" * (BODY_MAX - 10) + " the end of it " + "y" * 20
        response = self.send_as(self.alice, long_text)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, f"under {BODY_MAX} characters (this one has {len(long_text)})")
        self.assertContains(response, long_text)  # what they typed is still in the box
        self.assertContains(response, "first, saved")  # and what was sent before is still there
        self.assertEqual(SafetyMessage.objects.count(), 1)
        # No maxlength that would make the browser cut a paste short in silence.
        self.assertNotContains(response, "maxlength")

    def test_messages_are_shown_escaped(self):
        self.send_as(self.alice, '<script>alert("x")</script>\nsecond line')
        page = self.client.get(self.channel_url())
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>second line")
        self.login(self.theo)
        page = self.client.get(self.thread_url(SafetyThread.objects.get()))
        self.assertNotContains(page, "<script>alert")
        self.assertContains(page, "&lt;script&gt;alert")

    def test_no_email_at_all(self):
        self.send_as(self.alice)
        thread = SafetyThread.objects.get()
        self.login(self.theo)
        self.client.get(self.clinic_url())
        self.client.post(self.reply_url(thread), {"body": "Thank you for telling me."})
        self.assertEqual(mail.outbox, [])

    def test_without_an_active_link_there_is_no_form_and_nothing_is_sent(self):
        self.link.status = CareLink.Status.ENDED
        self.link.save()
        self.login(self.alice)
        page = self.client.get(self.channel_url())
        self.assertContains(page, "No therapist is linked with your couple right now")
        self.assertNotContains(page, "<textarea")
        response = self.client.post(self.channel_url(), {"body": SECRET})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "so this wasn&#x27;t sent")
        self.assertContains(response, SECRET)  # kept, to copy elsewhere
        self.assertFalse(SafetyMessage.objects.exists())

    def test_a_pending_link_is_no_link(self):
        self.link.status = CareLink.Status.PENDING
        self.link.save()
        self.send_as(self.alice)
        self.assertFalse(SafetyMessage.objects.exists())

    def test_without_a_link_the_page_is_the_same_for_both_partners(self):
        self.send_as(self.alice)  # an old thread of hers, with the therapist of a link now ended
        self.client.get(self.channel_url())  # and the "Sent" notice seen
        self.link.status = CareLink.Status.ENDED
        self.link.save()
        bodies = []
        for person in (self.alice, self.bo):
            self.login(person)
            bodies.append(self.client.get(self.channel_url()).content.decode())
        from tandem.safety.tests.test_invisibility import scrub

        self.assertEqual(scrub(bodies[0]), scrub(bodies[1]))

    def test_a_new_therapist_starts_a_new_thread_and_never_sees_the_old_one(self):
        self.send_as(self.alice)
        self.link.status = CareLink.Status.ENDED
        self.link.save()
        nell = make_therapist("nell@example.org", "Nell")
        link_therapist(self.couple, nell)
        page = self.client.get(self.channel_url())  # still alice
        self.assertNotContains(page, SECRET)
        self.send_as(self.alice, "hello Nell")
        self.assertEqual(SafetyThread.objects.filter(therapist=nell.therapist).count(), 1)
        self.login(nell)
        self.assertContains(self.client.get(self.clinic_url()), "From Alice", count=1)
        new = SafetyThread.objects.get(therapist=nell.therapist)
        page = self.client.get(self.thread_url(new))
        self.assertContains(page, "hello Nell")
        self.assertNotContains(page, SECRET)
        old = SafetyThread.objects.get(therapist=self.theo.therapist)
        self.assertEqual(self.client.get(self.thread_url(old)).status_code, 404)
        self.assertEqual(self.client.post(self.reply_url(old), {"body": "hi"}).status_code, 404)

    def test_a_closed_space_takes_no_message(self):
        leave_couple(self.couple)
        self.assertEqual(self.send_as(self.alice).status_code, 404)
        self.assertEqual(self.client.get(self.channel_url()).status_code, 200)  # reading stays possible
        self.assertFalse(SafetyMessage.objects.exists())

    def test_the_service_refuses_someone_outside_the_couple(self):
        with self.assertRaises(services.SafetyError):
            services.send(self.couple, self.olga, "hello")


class TherapistTests(SafetyTestCase):
    def setUp(self):
        self.send_as(self.alice)
        self.thread = SafetyThread.objects.get()

    def test_the_list_names_the_threads_and_counts_what_is_new(self):
        self.send_as(self.alice, "second")
        self.login(self.theo)
        page = self.client.get(self.clinic_url())
        self.assertContains(page, "From Alice")
        self.assertContains(page, "2 new")
        self.assertContains(page, self.thread_url(self.thread))
        self.assertNotContains(page, SECRET)  # the words are one click further, where that read is audited
        self.assertFalse(SafetyMessage.objects.exclude(read_at=None).exists())

    def test_the_therapist_reads_and_marks_it_read_with_a_post(self):
        self.login(self.theo)
        page = self.client.get(self.thread_url(self.thread))
        self.assertContains(page, SECRET)
        self.assertContains(page, "<strong>new</strong>", html=True)
        # Opening the page writes nothing (but its audit entry): still new, still waiting.
        self.assertIsNone(SafetyMessage.objects.get().read_at)
        self.assertTrue(SafetyMessage.objects.unread_by(self.theo).exists())  # what the waiting item asks
        read_url = reverse("safety:thread_read", args=[self.couple.pk, self.thread.pk])
        self.assertContains(page, read_url)
        self.assertEqual(self.client.get(read_url).status_code, 405)
        self.assertRedirects(self.client.post(read_url), self.thread_url(self.thread))
        self.assertIsNotNone(SafetyMessage.objects.get().read_at)
        self.assertFalse(SafetyMessage.objects.unread_by(self.theo).exists())
        self.assertNotContains(self.client.get(self.thread_url(self.thread)), "<strong>new</strong>", html=True)
        self.assertNotContains(self.client.get(self.clinic_url()), "new</strong>")

    def test_a_reply_marks_what_it_answers_read(self):
        self.login(self.theo)
        self.client.post(self.reply_url(self.thread), {"body": "I read you."})
        self.assertIsNotNone(SafetyMessage.objects.get(from_therapist=False).read_at)
        self.assertFalse(SafetyMessage.objects.unread_by(self.theo).exists())

    def test_only_the_thread_s_therapist_can_mark_it_read(self):
        read_url = reverse("safety:thread_read", args=[self.couple.pk, self.thread.pk])
        for person in (self.una, self.alice, self.bo, self.olga):
            self.login(person)
            self.assertIn(self.client.post(read_url).status_code, (302, 403, 404), person.display_name)
        self.assertIsNone(SafetyMessage.objects.get().read_at)

    def test_every_read_is_audited_and_listed_for_the_author_only(self):
        self.login(self.theo)
        self.client.get(self.clinic_url())
        list_read = AuditEntry.objects.get()
        self.assertEqual(list_read.object_type, "couples.couple")
        self.assertTrue(list_read.hidden)  # hidden from both partners' list of reads
        self.client.get(self.thread_url(self.thread))
        thread_read = AuditEntry.objects.get(object_type="safety.safetythread")
        self.assertEqual(thread_read.subject, self.alice)
        self.assertEqual(thread_read.object_id, str(self.thread.pk))
        self.assertEqual(thread_read.therapist, self.theo)
        self.assertEqual(list(AuditEntry.objects.shown_to(self.bo)), [])
        self.assertEqual(list(AuditEntry.objects.shown_to(self.alice)), [thread_read])

    def test_reading_one_thread_adds_nothing_to_the_other_partners_list(self):
        self.send_as(self.bo, "bo's own")
        self.login(self.theo)
        self.client.get(self.thread_url(self.thread))
        self.client.post(self.reply_url(self.thread), {"body": "ok"})
        self.assertFalse(AuditEntry.objects.shown_to(self.bo).exists())

    def test_a_reply_reaches_the_author_only(self):
        self.login(self.theo)
        response = self.client.post(self.reply_url(self.thread), {"body": "Thank you. Are you safe tonight?"})
        self.assertRedirects(response, self.thread_url(self.thread))
        reply = SafetyMessage.objects.get(from_therapist=True)
        self.assertEqual(reply.thread, self.thread)
        self.assertTrue(AuditEntry.objects.filter(object_type="safety.safetythread", subject=self.alice).exists())
        self.login(self.alice)
        page = self.client.get(self.channel_url())
        self.assertContains(page, "Are you safe tonight?")
        self.assertContains(page, "<strong>new</strong>", html=True)
        self.assertContains(page, "read by your therapist")
        reply.refresh_from_db()
        self.assertIsNone(reply.read_at)  # opening the page writes nothing
        self.assertContains(self.client.get(self.channel_url()), "<strong>new</strong>", html=True)
        self.client.post(reverse("safety:channel_read", args=[self.couple.pk]))
        reply.refresh_from_db()
        self.assertIsNotNone(reply.read_at)
        self.assertNotContains(self.client.get(self.channel_url()), "<strong>new</strong>", html=True)
        self.login(self.bo)
        self.assertNotContains(self.client.get(self.channel_url()), "Are you safe tonight?")

    def test_a_bad_reply_is_explained_and_kept(self):
        self.login(self.theo)
        response = self.client.post(self.reply_url(self.thread), {"body": " "})
        self.assertContains(response, "an empty reply can&#x27;t be sent")
        long_text = "z" * (BODY_MAX + 1)
        response = self.client.post(self.reply_url(self.thread), {"body": long_text})
        self.assertContains(response, f"(this one has {BODY_MAX + 1})")
        self.assertContains(response, long_text)
        self.assertContains(response, SECRET)  # the thread is still on the page
        self.assertFalse(SafetyMessage.objects.filter(from_therapist=True).exists())


class WhoGets404Tests(SafetyTestCase):
    def setUp(self):
        self.send_as(self.alice)
        self.thread = SafetyThread.objects.get()

    def assert_404(self, person, url: str) -> None:
        self.login(person)
        statuses = {
            method: getattr(self.client, method)(url, {"body": "probe"}).status_code for method in ("get", "post")
        }
        # 405 comes from the method check before any lookup, so it says nothing about the thread.
        self.assertTrue(set(statuses.values()) <= {404, 405}, f"{person} on {url}: {statuses}")
        self.assertIn(404, statuses.values(), f"{person} on {url}: {statuses}")

    def test_outsiders_and_the_unlinked_therapist(self):
        for person in self.outsiders:
            for url in (
                self.channel_url(),
                self.clinic_url(),
                self.thread_url(self.thread),
                self.reply_url(self.thread),
            ):
                with self.subTest(person=person.display_name, url=url):
                    self.assert_404(person, url)
        self.assertEqual(SafetyMessage.objects.count(), 1)

    def test_the_other_partner_cannot_reach_the_thread(self):
        for url in (self.clinic_url(), self.thread_url(self.thread), self.reply_url(self.thread)):
            with self.subTest(url=url):
                self.assert_404(self.bo, url)
        self.assertEqual(SafetyMessage.objects.count(), 1)

    def test_the_therapist_cannot_use_the_partner_page(self):
        self.assert_404(self.theo, self.channel_url())

    def test_the_therapist_cannot_reach_a_thread_through_another_couple(self):
        link_therapist(self.other_couple, self.theo)
        self.login(self.theo)
        self.assertEqual(
            self.client.post(self.reply_url(self.thread, self.other_couple), {"body": "x"}).status_code, 404
        )
        self.assertEqual(self.client.get(self.thread_url(self.thread, self.other_couple)).status_code, 404)
        self.assertNotContains(self.client.get(self.clinic_url(self.other_couple)), "From Alice")
        self.assertEqual(SafetyMessage.objects.count(), 1)

    def test_access_stops_when_the_link_ends(self):
        self.link.status = CareLink.Status.ENDED
        self.link.ended_at = timezone.now()
        self.link.save()
        for url in (self.clinic_url(), self.thread_url(self.thread), self.reply_url(self.thread)):
            self.assert_404(self.theo, url)

    def test_unknown_thread_is_404(self):
        self.login(self.theo)
        self.assertEqual(self.client.get(self.thread_url(SafetyThread(pk=999999))).status_code, 404)
        self.assertEqual(self.client.post(self.reply_url(SafetyThread(pk=999999)), {"body": "x"}).status_code, 404)


class InfoPageTests(TandemTestCase):
    def test_shows_the_configured_file_escaped_and_below_the_h1(self):
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "safety.md"
            path.write_text("# Local help\n\nCall **0800 LOCAL**. <b>raw</b>\n", encoding="utf-8")
            self.login(self.bo)
            with self.settings(SAFETY_INFO_FILE=path):
                page = self.client.get(reverse("safety:info"))
        self.assertContains(page, "<strong>0800 LOCAL</strong>", html=True)
        self.assertContains(page, "&lt;b&gt;raw&lt;/b&gt;")
        self.assertContains(page, '<h2 id="local-help">Local help</h2>', html=True)
        self.assertContains(page, "<h1>", count=1)

    def test_the_shipped_file_covers_the_essentials(self):
        self.login(self.bo)
        page = self.client.get(reverse("safety:info"))
        for words in ("not an emergency service", "local emergency number", "Quick exit", "history"):
            self.assertContains(page, words)
        self.assertContains(page, reverse("safety:channel", args=[self.couple.pk]))

    def test_a_missing_file_still_gives_a_page(self):
        from pathlib import Path

        self.login(self.bo)
        with self.settings(SAFETY_INFO_FILE=Path("/no/such/file.md")):
            self.assertContains(self.client.get(reverse("safety:info")), "local emergency number")

    def test_needs_an_account(self):
        response = self.client.get(reverse("safety:info"))
        self.assertEqual(response.status_code, 302)


class PartnerReadTests(SafetyTestCase):
    def test_writing_back_marks_the_replies_read_and_only_mine(self):
        self.send_as(self.alice)
        self.send_as(self.bo, "bo's own")
        thread = SafetyThread.objects.get(author=self.alice)
        bos = SafetyThread.objects.get(author=self.bo)
        to_alice = services.reply(thread, "reply to alice")
        to_bo = services.reply(bos, "reply to bo")
        self.login(self.alice)
        self.client.post(reverse("safety:channel_read", args=[self.couple.pk]))
        self.assertIsNotNone(SafetyMessage.objects.get(pk=to_alice.pk).read_at)
        self.assertIsNone(SafetyMessage.objects.get(pk=to_bo.pk).read_at)
        self.assertEqual(self.client.get(reverse("safety:channel_read", args=[self.couple.pk])).status_code, 405)
        services.send(self.couple, self.bo, "again")
        self.assertIsNotNone(SafetyMessage.objects.get(pk=to_bo.pk).read_at)
        self.login(self.olga)
        self.assertEqual(self.client.post(reverse("safety:channel_read", args=[self.couple.pk])).status_code, 404)
