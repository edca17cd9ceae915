"""The feed URLs, included by ``tandem/blocks/urls.py``."""

from __future__ import annotations

from django.urls import path

from tandem.blocks import feed_views

urlpatterns_feeds = [
    path("calendar/feed/<str:token>.ics", feed_views.feed, name="feed"),
    path("couple/<uuid:couple_id>/calendar/blocks/<uuid:block_id>.ics", feed_views.block_ics, name="block_ics"),
    path("couple/<uuid:couple_id>/calendar/feed/", feed_views.feed_settings, name="feed_settings"),
]
