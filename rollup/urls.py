from __future__ import annotations

from django.urls import path

from rollup import views

app_name = "rollup"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:unit>/", views.unit_latest, name="unit"),
    path("<int:unit>/<str:code>/", views.page, name="page"),
    path("<int:unit>/<str:code>/screen/", views.screen, name="screen"),
]
