from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from tandem.accounts import views
from tandem.accounts.forms import LoginForm, ResetForm

app_name = "accounts"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_changed")
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
        auth_views.PasswordResetView.as_view(
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
        auth_views.PasswordResetConfirmView.as_view(
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
