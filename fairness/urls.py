from __future__ import annotations

from django.urls import path

from fairness import views

# Mounted under /boards/ (the paths users know): /boards/<code>/severity/ and its calibration forms.
app_name = "fairness"

urlpatterns = [
    path("<str:code>/severity/", views.severity, name="severity"),
    path("<str:code>/severity/run/", views.severity_run, name="severity_run"),
    path("<str:code>/calibration/", views.calibration_add, name="calibration_add"),
    path("<str:code>/calibration/<int:pk>/delete/", views.calibration_remove, name="calibration_remove"),
]
