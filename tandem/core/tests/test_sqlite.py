"""SQLite shared by the web server and the worker: writers wait for each other
instead of failing with "database is locked"."""

import shutil
import tempfile
import threading
import time
from pathlib import Path

from django.db import connections, transaction
from django.test import SimpleTestCase

from tandem import settings as tandem_settings

# Longer than Python's own busy timeout (5 s): a writer that waited only
# that long would fail here.
HOLD_SECONDS = 6


class SqliteSettingsTests(SimpleTestCase):
    def test_writers_wait_take_the_lock_up_front_and_use_the_write_ahead_log(self):
        options = tandem_settings.sqlite_database(Path("x.sqlite3"))["OPTIONS"]
        self.assertGreaterEqual(options["timeout"], 20)
        self.assertEqual(options["transaction_mode"], "IMMEDIATE")
        self.assertIn("PRAGMA journal_mode=WAL", options["init_command"])

    def test_the_default_database_is_this_sqlite(self):
        if tandem_settings.DATABASE_URL:
            self.skipTest("DATABASE_URL is set: this run is on PostgreSQL")
        default = tandem_settings.DATABASES["default"]
        expected = tandem_settings.sqlite_database(default["NAME"])
        self.assertEqual((default["ENGINE"], default["OPTIONS"]), (expected["ENGINE"], expected["OPTIONS"]))


class SqliteConcurrencyTests(SimpleTestCase):
    """Two connections to one SQLite file (as the web process and the worker have) write at once."""

    alias = "concurrency"
    databases = {alias}

    @classmethod
    def setUpClass(cls):
        # The alias must exist before the test case checks its ``databases``.
        cls.directory = tempfile.mkdtemp(prefix="tandem-sqlite-")
        path = Path(cls.directory) / "shared.sqlite3"
        entry = tandem_settings.sqlite_database(path)
        connections.settings[cls.alias] = connections.configure_settings({"default": dict(entry), cls.alias: entry})[
            cls.alias
        ]
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        connections[cls.alias].close()
        del connections.settings[cls.alias]
        shutil.rmtree(cls.directory, ignore_errors=True)

    def setUp(self):
        with connections[self.alias].cursor() as cursor:
            cursor.execute("CREATE TABLE tally (id INTEGER PRIMARY KEY, who TEXT)")
            cursor.execute("PRAGMA journal_mode")
            self.journal = cursor.fetchone()[0]

    def test_two_connections_writing_at_once_both_succeed(self):
        self.assertEqual(self.journal, "wal")
        holding = threading.Event()
        done: list[str] = []
        errors: list[Exception] = []

        def write(who: str, hold: float) -> None:
            try:
                with transaction.atomic(using=self.alias), connections[self.alias].cursor() as cursor:
                    # Read, then write: the shape of most of Tandem's transactions.
                    cursor.execute("SELECT count(*) FROM tally")
                    cursor.execute("INSERT INTO tally (who) VALUES (%s)", [who])
                    if hold:
                        holding.set()
                        time.sleep(hold)
                done.append(who)
            except Exception as exc:
                errors.append(exc)
            finally:
                holding.set()
                connections[self.alias].close()  # this thread's own connection

        slow = threading.Thread(target=write, args=("slow", HOLD_SECONDS))
        slow.start()
        holding.wait(10)
        started = time.monotonic()
        second = threading.Thread(target=write, args=("second", 0))
        second.start()
        slow.join(30)
        second.join(30)
        self.assertEqual(errors, [])
        self.assertEqual(sorted(done), ["second", "slow"])
        self.assertGreater(time.monotonic() - started, HOLD_SECONDS - 1)  # it waited for the lock
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT who FROM tally ORDER BY id")
            self.assertEqual([row[0] for row in cursor.fetchall()], ["slow", "second"])
