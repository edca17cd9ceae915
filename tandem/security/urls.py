from django.urls import path

from tandem.security import views

app_name = "security"

urlpatterns = [
    path("login/code/", views.login_code, name="login_code"),
    path("confirm/", views.confirm, name="confirm"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("two-factor/off/", views.two_factor_disable, name="two_factor_disable"),
    path("sessions/", views.session_list, name="sessions"),
    path("sessions/end/", views.sessions_end, name="sessions_end"),
]
