from __future__ import annotations

from django.urls import path

from interviews import views

app_name = "interviews"

urlpatterns = [
    path("", views.interview_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("mine/", views.my_checklist, name="mine"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/schedule/", views.interview_schedule, name="schedule"),
    path("<int:pk>/minutes/", views.interview_minutes, name="minutes"),
    path("<int:pk>/items/add/", views.item_add, name="item_add"),
    path("<int:pk>/look-backs/add/", views.look_back_add, name="look_back_add"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/answer/", views.item_answer, name="item_answer"),
    path("items/<int:pk>/progress/", views.item_progress, name="item_progress"),
    path("items/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("items/<int:pk>/accept/", views.item_accept, name="item_accept"),
    path("items/<int:pk>/return/", views.item_return, name="item_return"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
    path("look-backs/<int:pk>/", views.look_back_detail, name="look_back"),
    path("look-backs/<int:pk>/record/", views.look_back_record, name="look_back_record"),
]
