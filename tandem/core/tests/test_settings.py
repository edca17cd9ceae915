"""Settings come from the environment and refuse unsafe production set-ups.

The start-up checks run ``manage.py`` in a fresh process, because the test
process itself is (rightly) allowed to start without a key.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase

from tandem import settings as tandem_settings

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "k8#Qz1!vR4@pL7$wN2^tY6&uB9*eC3(mH5)jD0_sF8+aG1-xZ4"
# Production also needs an encryption key (tandem/core/crypto.py); its value is irrelevant here.
ENCRYPTION_KEYS = "k1:" + "A" * 43


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {
        "SECRET_KEY",
        "DEBUG",
        "DATABASE_URL",
        "ALLOWED_HOSTS",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "TANDEM_ENCRYPTION_KEYS",
        "TANDEM_ENCRYPTION_KEYS_FILE",
    }
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(  # noqa: S603 -- fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env, "SQLITE_PATH": str(Path(tempfile.gettempdir()) / "tandem-settings-check.sqlite3")},
        capture_output=True,
        text=True,
        timeout=120,
    )


class StartUpTests(SimpleTestCase):
    def test_refuses_to_start_without_a_secret_key(self):
        result = manage("check", DEBUG="False")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is missing or too weak", result.stderr)

    def test_refuses_a_short_or_public_key(self):
        for key in ("short", tandem_settings._INSECURE_KEY):
            result = manage("check", DEBUG="False", SECRET_KEY=key)
            self.assertIn("SECRET_KEY is missing or too weak", result.stderr)

    def test_reads_the_key_from_a_file(self):
        with tempfile.NamedTemporaryFile("w", suffix=".key") as secret:
            secret.write(STRONG_KEY + "\n")
            secret.flush()
            result = manage(
                "check",
                DEBUG="False",
                SECRET_KEY_FILE=secret.name,
                ALLOWED_HOSTS="example.org",
                TANDEM_ENCRYPTION_KEYS=ENCRYPTION_KEYS,
            )
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_deploy_check_prints_no_warnings(self):
        result = manage(
            "check",
            "--deploy",
            DEBUG="False",
            SECRET_KEY=STRONG_KEY,
            ALLOWED_HOSTS="example.org",
            TANDEM_ENCRYPTION_KEYS=ENCRYPTION_KEYS,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("System check identified no issues (0 silenced).", result.stdout)
        self.assertNotIn("WARNING", result.stderr + result.stdout)

    def test_development_profile_starts_without_a_key(self):
        result = manage("check", DEBUG="True")
        self.assertEqual(result.returncode, 0, result.stderr)


class HelperTests(SimpleTestCase):
    def setUp(self):
        self._saved = dict(os.environ)

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self._saved)

    def test_env_bool(self):
        for raw, expected in (("1", True), ("yes", True), ("False", False), ("off", False), ("", True)):
            os.environ["TANDEM_X"] = raw
            self.assertIs(tandem_settings.env_bool("TANDEM_X", True), expected)
        os.environ["TANDEM_X"] = "maybe"
        with self.assertRaisesMessage(ImproperlyConfigured, "TANDEM_X must be true or false"):
            tandem_settings.env_bool("TANDEM_X")

    def test_env_int_and_list(self):
        os.environ["TANDEM_N"] = "12"
        self.assertEqual(tandem_settings.env_int("TANDEM_N", 3), 12)
        os.environ["TANDEM_N"] = "twelve"
        with self.assertRaisesMessage(ImproperlyConfigured, "whole number"):
            tandem_settings.env_int("TANDEM_N", 3)
        os.environ["TANDEM_L"] = " a.org, ,b.org "
        self.assertEqual(tandem_settings.env_list("TANDEM_L"), ["a.org", "b.org"])

    def test_env_secret_file_missing(self):
        os.environ["TANDEM_S_FILE"] = "/nonexistent/secret"
        with self.assertRaisesMessage(ImproperlyConfigured, "cannot be read"):
            tandem_settings.env_secret("TANDEM_S")

    def test_database_url(self):
        os.environ["DATABASE_PREPARED_STATEMENTS"] = "false"
        db = tandem_settings.database_from_url("postgres://tan%40dem:p%2Fw@db.internal:5433/tandem?sslmode=require")
        self.assertEqual(
            (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["OPTIONS"]),
            (
                "django.db.backends.postgresql",
                "tandem",
                "tan@dem",
                "p/w",
                "db.internal",
                "5433",
                {"sslmode": "require"},
            ),
        )
        with self.assertRaisesMessage(ImproperlyConfigured, "must start with postgres://"):
            tandem_settings.database_from_url("mysql://x@y/z")

    def test_prepared_statements_by_default(self):
        os.environ.pop("DATABASE_PREPARED_STATEMENTS", None)
        db = tandem_settings.database_from_url("postgres://tandem@db/tandem?options=-c%20jit%3Doff")
        self.assertEqual(db["OPTIONS"], {"options": "-c jit=off", "server_side_binding": True, "prepare_threshold": 5})
