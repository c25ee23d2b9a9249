from __future__ import annotations

from django.urls import path

from reports import rollup, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("exports/", views.export_create, name="export_create"),
    path("exports/<int:job_id>/", views.export_detail, name="export_detail"),
    path("exports/<int:job_id>/status/", views.export_status, name="export_status"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("templates/<str:code>/download/", views.template_download, name="template_download"),
    path("imports/scores/", views.import_scores, name="import_scores"),
    path("imports/branches/", views.import_branches, name="import_branches"),
    path("imports/branches/current.xlsx", views.branch_list_download, name="branch_list_download"),
    path("imports/units/", views.import_units, name="import_units"),
    path("imports/units/current.xlsx", views.unit_list_download, name="unit_list_download"),
    path("imports/users/", views.import_users, name="import_users"),
    path("rollup/<int:unit>/<str:code>/", rollup.rollup_export, name="rollup_export"),
]
