import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
application = get_wsgi_application()

# Servers like gunicorn run no system checks: refuse to serve with encryption
# keys that can't read this database, rather than failing page by page.
from tandem.core.checks import verify_encryption_keys  # noqa: E402 -- needs the app registry loaded above

verify_encryption_keys()
