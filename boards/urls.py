from __future__ import annotations

from django.urls import path

from boards import fairness_views, star_views, views

app_name = "boards"

urlpatterns = [
    path("", views.quarter_list, name="quarters"),
    path("rules/", views.rules, name="rules"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("adjustments/save/", views.adjustments_save, name="adjustments_save"),
    path("history/", views.history, name="history"),
    path("branch/<int:pk>/", views.branch, name="branch"),
    path("stars/", star_views.stars_page, name="stars"),
    path("stars/save/", star_views.stars_save, name="stars_save"),
    path("<str:code>/", views.board, name="board"),
    path("<str:code>/announcement/", views.announcement, name="announcement"),
    path("<str:code>/preview/", views.preview, name="preview"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/exclusions/", views.exclusion_create, name="exclusion_create"),
    path("<str:code>/exclusions/<int:pk>/delete/", views.exclusion_delete, name="exclusion_delete"),
    path("<str:code>/severity/", fairness_views.severity, name="severity"),
    path("<str:code>/calibration/", fairness_views.calibration_add, name="calibration_add"),
    path("<str:code>/calibration/<int:pk>/delete/", fairness_views.calibration_remove, name="calibration_remove"),
]
