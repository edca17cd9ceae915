from django.urls import path

from tandem.homework import flow_views, program_views, views

app_name = "homework"

C = "couple/<uuid:couple_id>"
A = f"{C}/homework/<int:assignment_id>"

urlpatterns = [
    path("homework/", views.start, name="start"),
    path(f"{C}/homework/", views.this_week, name="this_week"),
    path(f"{C}/library/", views.library_page, name="library"),
    path(f"{C}/history/", views.history, name="history"),
    path(f"{C}/programs/<slug:slug>/start/", program_views.start, name="program_start"),
    path(f"{C}/programs/<int:run_id>/", program_views.program, name="program"),
    path(f"{C}/programs/<int:run_id>/stop/", program_views.stop, name="program_stop"),
    path(f"{C}/programs/<int:run_id>/offer-again/", program_views.offer_again, name="program_offer_again"),
    path(f"{C}/load/", views.load, name="load"),
    path(f"{C}/library/<slug:slug>/", views.exercise_page, name="exercise"),
    path(f"{C}/library/<slug:slug>/propose/", views.propose, name="propose"),
    path(f"{A}/", views.assignment_view, name="assignment"),
    path(f"{A}/opt-in/", views.opt_in, name="opt_in"),
    path(f"{A}/set-aside/", views.set_aside, name="set_aside"),
    path(f"{A}/pause/", views.pause, name="pause"),
    path(f"{A}/resume/", views.resume, name="resume"),
    path(f"{A}/renew/", views.renew, name="renew"),
    # The write-then-share steps keep their own addresses; the step view serves them.
    path(f"{A}/answer/", flow_views.step, {"action": "answer"}, name="answer"),
    path(f"{A}/reply/", flow_views.step, {"action": "reply"}, name="reply"),
    path(f"{A}/step/<slug:action>/", flow_views.step, name="step"),
    path(f"{A}/debrief/", flow_views.debrief, name="debrief"),
    path(f"{C}/hint/", flow_views.hint, name="hint"),
]
