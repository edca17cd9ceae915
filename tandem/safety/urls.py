from django.urls import path

from tandem.safety import views

app_name = "safety"

urlpatterns = [
    path("couple/<uuid:couple_id>/care/safety/", views.channel, name="channel"),
    path("couple/<uuid:couple_id>/care/safety/read/", views.channel_read, name="channel_read"),
    path("care/safety/info/", views.info, name="info"),
    path("clinic/couples/<uuid:couple_id>/safety/", views.clinic, name="clinic"),
    path("clinic/couples/<uuid:couple_id>/safety/<int:thread_id>/", views.thread, name="thread"),
    path("clinic/couples/<uuid:couple_id>/safety/<int:thread_id>/reply/", views.reply, name="reply"),
    path("clinic/couples/<uuid:couple_id>/safety/<int:thread_id>/read/", views.thread_read, name="thread_read"),
]
