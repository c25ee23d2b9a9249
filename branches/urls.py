from __future__ import annotations

from django.urls import path

from branches import member_views

app_name = "branches"

urlpatterns: list = [
    path("<int:pk>/points/", member_views.member_points, name="member_points"),
    path("<int:pk>/points/add/", member_views.point_add, name="point_add"),
    path("<int:pk>/points/members/add/", member_views.member_add, name="member_add"),
    path("<int:pk>/points/publish/", member_views.ranking_publish, name="ranking_publish"),
]
