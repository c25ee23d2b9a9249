from __future__ import annotations

from django.urls import path

from dashboards import views

app_name = "dashboards"

# Under /boards/ as before the move (issue 16), included ahead of boards.urls (whose <code>/ would
# otherwise take "dashboard" for a quarter code).
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/branches/", views.branch_lookup, name="branch_lookup"),
    path("dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("dashboard/overview/", views.overview_page, name="overview"),
    path("dashboard/overview/export/", views.overview_export, name="overview_export"),
]
