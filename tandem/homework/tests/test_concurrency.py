"""Both partners press "save" at the same moment: one reveal, nothing lost.

This needs real row locks, so it runs on PostgreSQL (CI runs the suite there
too); on SQLite writes are serialised by the database itself and the test
says so instead of pretending.
"""

import threading
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase

from tandem.homework import kinds, services
from tandem.homework.models import Assignment, Response
from tandem.testkit.base import make_assignment, make_couple, make_person


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locking is tested on PostgreSQL (CI runs it)")
class SimultaneousSubmitTests(TransactionTestCase):
    def test_two_threads_reveal_exactly_once(self):
        for round_ in range(5):  # a few rounds: a race that shows rarely still shows
            a = make_person(f"a{round_}@example.org", "Ash")
            b = make_person(f"b{round_}@example.org", "Bea")
            couple = make_couple(a, b)
            assignment = make_assignment(couple, "appreciations", by=a)
            services.opt_in(assignment, b)
            barrier = threading.Barrier(2)
            errors: list[BaseException] = []

            def submit(user, words, barrier=barrier, pk=assignment.pk, errors=errors):
                try:
                    barrier.wait(timeout=10)
                    kinds.write_then_share.submit_answer(Assignment.objects.get(pk=pk), user, words)
                except BaseException as error:
                    errors.append(error)  # reported by the main thread below
                finally:
                    connections.close_all()

            with mock.patch.object(kinds.write_then_share, "reveal", wraps=kinds.write_then_share.reveal) as reveal:
                threads = [
                    threading.Thread(target=submit, args=(a, "from Ash")),
                    threading.Thread(target=submit, args=(b, "from Bea")),
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(timeout=30)
            self.assertEqual(errors, [])
            self.assertEqual(reveal.call_count, 1)
            assignment.refresh_from_db()
            self.assertIsNotNone(assignment.revealed_at)
            self.assertEqual(
                sorted(Response.objects.filter(assignment=assignment).values_list("body", "visibility")),
                [("from Ash", "shared"), ("from Bea", "shared")],
            )
