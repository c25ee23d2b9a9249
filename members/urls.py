from __future__ import annotations

from django.urls import path

from members import views

app_name = "members"

# Under /branches/ as before the move (issue 16): the addresses users know stay the same.
urlpatterns = [
    path("<int:pk>/points/", views.member_points, name="member_points"),
    path("<int:pk>/points/add/", views.point_add, name="point_add"),
    path("<int:pk>/points/members/add/", views.member_add, name="member_add"),
    path("<int:pk>/points/publish/", views.ranking_publish, name="ranking_publish"),
]
