from django.contrib.auth.backends import ModelBackend

from tandem.accounts.models import UserManager


class EmailBackend(ModelBackend):
    """Sign in by e-mail, whatever case the person types it in."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        email = kwargs.get("email", username)
        return super().authenticate(request, username=UserManager.normalize_email(email), password=password)
