from __future__ import annotations

from django.urls import path

from dashboards import views

app_name = "dashboards"

# Under /boards/ as before the move (issue 16), included ahead of boards.urls (whose <code>/ would
# otherwise take "dashboard" for a quarter code).
# The Excel downloads go through the reports' export task (reports:export_create, kind "dashboard"
# or "overview"; dashboards.exports builds them).
urlpatterns = [
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/branches/", views.branch_lookup, name="branch_lookup"),
    path("dashboard/overview/", views.overview_page, name="overview"),
]
