from __future__ import annotations

from django.urls import path

from ratings import views

# Mounted under /boards/ (the paths users know), before boards.urls' catch-all <code>/.
app_name = "ratings"

urlpatterns = [
    path("stars/", views.stars_page, name="stars"),
    path("stars/save/", views.stars_save, name="stars_save"),
]
