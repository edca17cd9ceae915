"""Tandem settings: one file, driven by environment variables.

Every value that differs between a laptop and a production server comes from
the environment through the small typed helpers below. Secrets can also be
read from a file named by ``NAME_FILE`` (Docker/systemd credentials), so they
need not sit in the process environment.

With ``DEBUG`` off (the default) Tandem refuses to start without a real
``SECRET_KEY``: a forgotten key must never fall back to a known value on a
server holding people's intimate lives.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tandem.core.crypto import key_ring_from_setting

BASE_DIR = Path(__file__).resolve().parent.parent


# --- typed helpers ---------------------------------------------------------


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


def env_list(name: str, default: str = "") -> list[str]:
    raw = os.environ.get(name, default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which cannot be read: {exc}.") from exc
    return os.environ.get(name, default)


def database_from_url(url: str) -> dict:
    """Turn ``postgres://user:pass@host:port/name?opt=val`` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgres:// or postgresql://, not {parts.scheme!r}://."
        )
    options: dict = dict(parse_qsl(parts.query))
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        # Planning, not running, is most of the time of Tandem's short
        # queries; with the parameters bound on the server, psycopg prepares
        # a statement after its fifth run on a connection and PostgreSQL
        # stops planning it again (bench/README.md has the numbers). Turn it
        # off behind a pooler in transaction mode (PgBouncer), which may not
        # keep prepared statements between transactions.
        options.update(server_side_binding=True, prepare_threshold=5)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": unquote(parts.hostname or ""),
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 0 if TESTING else env_int("DATABASE_CONN_MAX_AGE", 60),
        "CONN_HEALTH_CHECKS": True,
    }


# The test runner needs a key and the test-only app; detecting it here keeps
# `pytest` and `manage.py test` working with no environment set up.
TESTING = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEBUG = env_bool("DEBUG", False)

# A key for laptops and tests only. It is public (it is in this file), so it
# is refused whenever DEBUG is off outside the test runner.
_INSECURE_KEY = "insecure-development-key-never-use-in-production-0123456789"

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = _INSECURE_KEY
if not (DEBUG or TESTING) and (
    not SECRET_KEY or SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or too weak. Tandem will not start in production "
        "without a random SECRET_KEY of at least 50 characters (set SECRET_KEY or "
        "SECRET_KEY_FILE). For local development set DEBUG=True."
    )

# Encryption at rest of what people write (tandem/core/crypto.py): keys as
# "id:base64url-32-bytes", comma-separated, newest first; the newest seals new
# values, the others stay to read older ones until rotate_encryption_key ran.
# Like SECRET_KEY, a missing or malformed key stops start-up with DEBUG off;
# with DEBUG on (or under the test runner) and nothing set, a development key
# is derived from SECRET_KEY so `make demo` and `make test` need no set-up.
TANDEM_ENCRYPTION_KEYS = key_ring_from_setting(
    env_secret("TANDEM_ENCRYPTION_KEYS"), development=DEBUG or TESTING, secret_key=SECRET_KEY
)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of this site, for links in e-mails and invites.
SITE_ROOT = env_str("SITE_ROOT", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "tandem.core",
    "tandem.accounts",
    "tandem.security",
    "tandem.couples",
    "tandem.clinic",
    "tandem.homework",
    "tandem.checkins",
    "tandem.seasons",
    "tandem.wins",
    "tandem.boundaries",
    "tandem.blocks",
    "tandem.measures",
    "tandem.safety",
    "tandem.drafts",
    "tandem.authoring",
    "tandem.privacy",
    "tandem.notifications",
    "tandem.turns",
    "tandem.home",
    "tandem.demo",
]
# The admin is for operators only and registers operational records only.
ADMIN_ENABLED = env_bool("ADMIN_ENABLED", False)
if ADMIN_ENABLED:
    INSTALLED_APPS.insert(0, "django.contrib.admin")
if TESTING:
    # Test-only helpers (the shared base case and a probe model for the
    # visibility rules). Never installed on a real site.
    INSTALLED_APPS.append("tandem.testkit")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tandem.core.middleware.privacy_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside the security middleware: it sees the redirect of an idle log-off too.
    "tandem.core.middleware.signed_out_post",
    "tandem.core.middleware.user_preferences",
    "django.contrib.messages.middleware.MessageMiddleware",
    "tandem.security.middleware.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "tandem.urls"
# Forms render text limits as counters, never as a silent browser cut (core/forms.py).
FORM_RENDERER = "tandem.core.forms.Renderer"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.home.context_processors.site",
            ],
            # "|ago" everywhere: one way to say a relative time ("just now");
            # "|day", "|short_day", "|moment", "|time_of_day": one way to write dates (core.dates).
            "builtins": [
                "tandem.core.templatetags.relative",
                "tandem.core.templatetags.dates",
                "tandem.core.templatetags.sentences",  # "|full_stop": one full stop, never two
            ],
        },
    },
]


def sqlite_database(path: Path) -> dict:
    """A DATABASES entry for SQLite shared by several processes (the web
    server and the task worker) that write at the same time."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # Wait this many seconds for another connection's write to finish
            # (SQLite's busy timeout) instead of failing at once with
            # "database is locked"; Python's default is 5.
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
            # Transactions take the write lock when they begin, where the busy
            # timeout applies. A deferred one that read first and then writes
            # gets "database is locked" at once when another connection wrote
            # meanwhile (SQLite cannot wait its way out of that).
            "transaction_mode": "IMMEDIATE",
            # Write-ahead log: readers never wait for the writer, nor the
            # writer for readers; NORMAL is the safe pairing with WAL.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASE_URL = env_secret("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    # The embedded default: a file under ./var/, nothing to install.
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(BASE_DIR / "var" / "tandem.sqlite3")))
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": sqlite_database(SQLITE_PATH)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"

# Argon2 first: it is the memory-hard hasher Django recommends; the others
# stay only so that old hashes can still be verified and upgraded.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if TESTING and not env_bool("TEST_REAL_HASHER", False):
    # Argon2 is deliberately slow; the suite creates hundreds of accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every start without it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- sessions and cookies ---------------------------------------------------

SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A stale form keeps its words and offers to save again (core/errors.py).
CSRF_FAILURE_VIEW = "tandem.core.errors.csrf_failure"
# Behind a proxy, trust the scheme it sets and take the client address from the
# last X-Forwarded-For entry (the one that proxy added; see tandem/security/throttle.py).
BEHIND_PROXY = env_bool("BEHIND_PROXY", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
# How many proxies in a row append to X-Forwarded-For (CDN + nginx: 2).
PROXY_HOPS = env_int("PROXY_HOPS", 1)
_HTTPS = not DEBUG and not TESTING and env_bool("HTTPS", True)
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if _HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)

# --- browser security headers ------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict: nothing from another host, no inline script or style, no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)

# --- e-mail ------------------------------------------------------------------

# Development prints mail to the console (password-reset links appear in the
# terminal). Production sends by SMTP: to EMAIL_HOST, or by default to a relay
# on the same machine (localhost:25), as Django itself assumes.
EMAIL_HOST = env_str("EMAIL_HOST", "" if DEBUG else "localhost")
_SMTP_PORT = env_int("EMAIL_PORT", 587 if env_str("EMAIL_HOST") else 25)
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": _SMTP_PORT,
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", _SMTP_PORT == 587),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
        if EMAIL_HOST
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
del EMAIL_HOST  # only MAILERS configures mail (EMAIL_* settings are deprecated)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- background work -----------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# A worker that claims a reminder holds it for this many seconds, renewing
# the claim while it sends. If the worker dies mid-send (killed, machine
# gone), another worker sends the reminder once the lease has run out; a
# live worker's reminder is never taken from it. Short, so a reminder is
# late by seconds, not by the cron sweep's ten minutes; long enough to ride
# out a busy database (tandem/blocks/reminders.py).
REMINDER_LEASE_SECONDS = env_int("REMINDER_LEASE_SECONDS", 30)
if not 2 <= REMINDER_LEASE_SECONDS <= 600:
    raise ImproperlyConfigured(f"REMINDER_LEASE_SECONDS must be from 2 to 600, not {REMINDER_LEASE_SECONDS}.")
# The same for a notification (tandem/notifications/delivery.py): a delivery
# whose worker died while sending goes out this much later, once.
NOTIFICATION_LEASE_SECONDS = env_int("NOTIFICATION_LEASE_SECONDS", 30)
if not 2 <= NOTIFICATION_LEASE_SECONDS <= 600:
    raise ImproperlyConfigured(f"NOTIFICATION_LEASE_SECONDS must be from 2 to 600, not {NOTIFICATION_LEASE_SECONDS}.")

# --- web push (tandem/notifications/push.py) ---------------------------------------

# VAPID identifies this server to the browsers' push services: make a pair with
# `manage.py generate_vapid_keys`. The private key is a secret like SECRET_KEY
# (VAPID_PRIVATE_KEY_FILE works too). Without keys, notifications on devices
# are off and the profile says so; e-mail still works.
VAPID_PUBLIC_KEY = env_secret("VAPID_PUBLIC_KEY")
VAPID_PRIVATE_KEY = env_secret("VAPID_PRIVATE_KEY")
# A contact for the push services' operators, should this server misbehave.
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:tandem@localhost")
if bool(VAPID_PUBLIC_KEY) != bool(VAPID_PRIVATE_KEY):
    raise ImproperlyConfigured("Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY (or neither).")
if VAPID_PUBLIC_KEY and not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(f"VAPID_SUBJECT must be a mailto: or https: address, not {VAPID_SUBJECT!r}.")

# --- Tandem ---------------------------------------------------------------------

# Where the "quick exit" control goes: somewhere ordinary and unremarkable.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.wikipedia.org/")
# A page younger than this that was never hidden sends its forms at once; an
# older one (or one whose tab was left) first asks whether its session still
# holds (app.js, "Signed out while writing"), which costs a round trip.
SESSION_CHECK_AFTER_SECONDS = env_int("SESSION_CHECK_AFTER_SECONDS", 120)
# Live pages (app.js, "Live turns"): how often an open, visible page asks
# whether something now waits on this person (the header's count, home's
# list) and, on an exercise under way, whether the partner moved. Polling,
# not server-sent events: see bench/README.md ("Live turns") for why and the cost.
LIVE_POLL_SECONDS = env_int("LIVE_POLL_SECONDS", 20)
LIVE_TURN_POLL_SECONDS = env_int("LIVE_TURN_POLL_SECONDS", 10)
# bench/run.py only: a page with no database and a tiny template at /bench/floor/,
# the "floor" that real pages' throughput is compared with. Off everywhere else.
TANDEM_BENCH_FLOOR = env_bool("TANDEM_BENCH_FLOOR", False)
INVITE_DAYS = env_int("INVITE_DAYS", 7)
# A linked couple with no activity (a yes to homework, homework done, a check-in
# shared with the care team) for this many days is a waiting item for their therapist.
QUIET_COUPLE_DAYS = env_int("QUIET_COUPLE_DAYS", 14)
# After a couple space closes, both partners read (and export) what they could
# before for this many days; then each keeps only what they wrote. After the
# longer retention the closed space's content is deleted (0 keeps it). See
# tandem/privacy/retention.py.
BREAKUP_READ_DAYS = env_int("BREAKUP_READ_DAYS", 30)
CLOSED_SPACE_RETENTION_DAYS = env_int("CLOSED_SPACE_RETENTION_DAYS", 365)
# Where `manage.py backup` writes (keep it off the web root, and off this disk in production).
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / "var" / "backups")))
# Exercise and program files (see tandem/homework/content.py).
CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "content")))
# What a person in crisis is shown (after a PHQ-9 answer about self-harm, and
# beside the safety channel), as Markdown. Each deployment should point these
# at its own region's services; the shipped files are generic.
CRISIS_RESOURCES_FILE = Path(env_str("CRISIS_RESOURCES_FILE", str(CONTENT_DIR / "crisis.md")))
SAFETY_INFO_FILE = Path(env_str("SAFETY_INFO_FILE", str(CONTENT_DIR / "safety.md")))

# --- account security (tandem/security/) -------------------------------------------

# Therapists are logged off after this many minutes without a request.
THERAPIST_IDLE_MINUTES = env_int("THERAPIST_IDLE_MINUTES", 30)
# Changing e-mail, password or two-factor, exporting and deleting the account
# need the password (and code) typed within this many minutes.
REAUTH_MINUTES = env_int("REAUTH_MINUTES", 10)
# The safety channel asks "confirm it's you" after a session sat idle this long.
REAUTH_IDLE_MINUTES = env_int("REAUTH_IDLE_MINUTES", 15)
# Attempts allowed per account and per client address within a window of
# minutes; the next one is refused until older ones leave the window.
THROTTLES = {
    "login": {  # failed log-ins (and failed "confirm it's you" passwords)
        "account": env_int("THROTTLE_LOGIN_ACCOUNT", 5),
        "address": env_int("THROTTLE_LOGIN_ADDRESS", 20),
        "minutes": 15,
    },
    "reset": {  # password-reset requests, each of which may send an e-mail
        "account": env_int("THROTTLE_RESET_ACCOUNT", 3),
        "address": env_int("THROTTLE_RESET_ADDRESS", 10),
        "minutes": 60,
    },
    "emailchange": {  # e-mail change requests, each of which may send an e-mail (like reset)
        "account": env_int("THROTTLE_EMAIL_CHANGE_ACCOUNT", 3),
        "address": env_int("THROTTLE_EMAIL_CHANGE_ADDRESS", 10),
        "minutes": 60,
    },
    "invite": {  # partner and therapist codes or links that match nothing
        "account": env_int("THROTTLE_INVITE_ACCOUNT", 10),
        "address": env_int("THROTTLE_INVITE_ADDRESS", 10),
        "minutes": 60,
    },
    "signup": {  # sign-ups with an address that has an account (probing who uses Tandem)
        "address": env_int("THROTTLE_SIGNUP_ADDRESS", 5),  # per client address only
        "minutes": 60,
    },
    "twofactor": {  # wrong two-factor or recovery codes
        "account": env_int("THROTTLE_TWOFACTOR_ACCOUNT", 5),
        "address": env_int("THROTTLE_TWOFACTOR_ADDRESS", 20),
        "minutes": 15,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

AUTHENTICATION_BACKENDS = ["tandem.accounts.backends.EmailBackend"]
