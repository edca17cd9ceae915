from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.accounts import views
from tandem.accounts.forms import ResetForm
from tandem.security.reauth import recent_auth_required

app_name = "accounts"

# Django's auth views answer more methods than they serve (their forms take
# PUT as POST, OPTIONS is answered): each URL here answers only its own.
get_or_post = require_http_methods(["GET", "POST"])

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", get_or_post(views.LoginView.as_view()), name="login"),
    path("logout/", require_POST(auth_views.LogoutView.as_view()), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("session/", views.session_state, name="session"),
    path("signed-in/", views.signed_in, name="signed_in"),
    path("email/", views.email_change, name="email_change"),
    path("email/<str:token>/", views.email_confirm, name="email_confirm"),
    path(
        "password/",
        recent_auth_required(
            get_or_post(
                views.PasswordChangeView.as_view(
                    template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
                )
            )
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        require_safe(auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html")),
        name="password_changed",
    ),
    path(
        "reset/",
        get_or_post(
            views.ResetView.as_view(
                template_name="accounts/reset.html",
                form_class=ResetForm,
                email_template_name="accounts/email/reset.txt",
                subject_template_name="accounts/email/reset_subject.txt",
                success_url=reverse_lazy("accounts:reset_sent"),
            )
        ),
        name="reset",
    ),
    path(
        "reset/sent/",
        require_safe(auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html")),
        name="reset_sent",
    ),
    path(
        "reset/<uidb64>/<token>/",
        get_or_post(
            views.ResetConfirmView.as_view(
                template_name="accounts/reset_confirm.html", success_url=reverse_lazy("accounts:reset_done")
            )
        ),
        name="reset_confirm",
    ),
    path(
        "reset/done/",
        require_safe(auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_done.html")),
        name="reset_done",
    ),
]
