from __future__ import annotations

from django.urls import path

from boards import views

app_name = "boards"

urlpatterns = [
    path("", views.quarter_list, name="quarters"),
    path("rules/", views.rules, name="rules"),
    path("adjustments/", views.adjustments, name="adjustments"),
    path("adjustments/save/", views.adjustments_save, name="adjustments_save"),
    path("history/", views.history, name="history"),
    path("branch/<int:pk>/", views.branch, name="branch"),
    path("<str:code>/", views.board, name="board"),
    path("<str:code>/announcement/", views.announcement, name="announcement"),
    path("<str:code>/preview/", views.preview, name="preview"),
    path("<str:code>/publish/", views.publish, name="publish"),
    path("<str:code>/exclusions/", views.exclusion_create, name="exclusion_create"),
    path("<str:code>/exclusions/<int:pk>/delete/", views.exclusion_delete, name="exclusion_delete"),
]
