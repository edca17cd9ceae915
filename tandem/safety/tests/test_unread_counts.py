"""``unread_counts`` for the caseload: right numbers, one query for any number of couples."""

from __future__ import annotations

from tandem.safety import services
from tandem.safety.models import SafetyMessage
from tandem.testkit.base import TandemTestCase, link_therapist, make_couple, make_person


class UnreadCountTests(TandemTestCase):
    def test_counts_only_partners_messages_this_therapist_has_not_read(self):
        services.send(self.couple, self.alice, "one")
        services.send(self.couple, self.alice, "two")
        services.send(self.couple, self.bo, "three")
        read = services.send(self.couple, self.bo, "already read")
        SafetyMessage.objects.filter(pk=read.pk).update(read_at=read.created_at)
        # A therapist's message is never counted (made directly: a reply would mark Bo's read).
        SafetyMessage.objects.create(thread=read.thread, from_therapist=True, body="a reply is never counted")
        link_therapist(self.other_couple, self.una)
        services.send(self.other_couple, self.olga, "to Una, not to Theo")

        self.assertEqual(services.unread_counts(self.theo, [self.couple.pk, self.other_couple.pk]), {self.couple.pk: 3})
        self.assertEqual(
            services.unread_counts(self.una, [self.couple.pk, self.other_couple.pk]), {self.other_couple.pk: 1}
        )
        self.assertEqual(services.unread_counts(self.theo, []), {})

    def test_one_query_for_3_or_30_couples(self):
        for size in (3, 30):
            ids = []
            for i in range(size):
                a = make_person(f"a{size}-{i}@example.org", f"A{i}")
                b = make_person(f"b{size}-{i}@example.org", f"B{i}")
                couple = make_couple(a, b)
                link_therapist(couple, self.theo)
                services.send(couple, a, "hello")
                services.send(couple, b, "hello")
                ids.append(couple.pk)
            with self.subTest(couples=size), self.assertNumQueries(1):
                counts = services.unread_counts(self.theo, ids)
            self.assertEqual(counts, dict.fromkeys(ids, 2))
