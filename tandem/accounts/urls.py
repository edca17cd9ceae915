from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tandem.accounts import views
from tandem.accounts.forms import ResetForm
from tandem.security.reauth import recent_auth_required

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        views.LoginView.as_view(),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("email/", views.email_change, name="email_change"),
    path("email/<str:token>/", views.email_confirm, name="email_confirm"),
    path(
        "password/",
        recent_auth_required(
            views.PasswordChangeView.as_view(
                template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
            )
        ),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path(
        "reset/",
        views.ResetView.as_view(
            template_name="accounts/reset.html",
            form_class=ResetForm,
            email_template_name="accounts/email/reset.txt",
            subject_template_name="accounts/email/reset_subject.txt",
            success_url=reverse_lazy("accounts:reset_sent"),
        ),
        name="reset",
    ),
    path(
        "reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html"),
        name="reset_sent",
    ),
    path(
        "reset/<uidb64>/<token>/",
        views.ResetConfirmView.as_view(
            template_name="accounts/reset_confirm.html", success_url=reverse_lazy("accounts:reset_done")
        ),
        name="reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_done.html"),
        name="reset_done",
    ),
]
