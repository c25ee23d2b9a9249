from __future__ import annotations

from django.urls import path

from scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my_groups, name="my_groups"),
    path("groups/", views.groups_current, name="groups_current"),
    path("contributions/", views.contributions_current, name="contributions_current"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views.group_delete, name="group_delete"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("sheets/<int:pk>/save/", views.sheet_save, name="sheet_save"),
    path("sheets/<int:pk>/return/", views.sheet_return, name="sheet_return"),
    path("q/<str:code>/", views.quarter_overview, name="quarter_overview"),
    path("q/<str:code>/transition/", views.quarter_transition, name="quarter_transition"),
    path("q/<str:code>/groups/", views.quarter_groups, name="quarter_groups"),
    path("q/<str:code>/groups/new/", views.group_create, name="group_create"),
    path("q/<str:code>/assign/auto/", views.assignment_auto, name="assignment_auto"),
    path("q/<str:code>/assign/", views.assignment_move, name="assignment_move"),
    path("q/<str:code>/contributions/", views.contributions, name="contributions"),
    path("contributions/<int:pk>/delete/", views.contribution_delete, name="contribution_delete"),
    # 党建部's desk: a new quarter and the scheme editor (scoring/views/desk.py)
    path("quarters/new/", views.quarter_create, name="quarter_create"),
    path("q/<str:code>/setup/", views.quarter_setup, name="quarter_setup"),
    path("q/<str:code>/scheme/", views.scheme, name="scheme"),
    path("q/<str:code>/scheme/add/", views.indicator_create, name="indicator_create"),
    path("q/<str:code>/template/", views.template_publish, name="template_publish"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/move/", views.indicator_move, name="indicator_move"),
    path("indicators/<int:pk>/deductions/new/", views.deduction_create, name="deduction_create"),
    path("deductions/<int:pk>/edit/", views.deduction_edit, name="deduction_edit"),
    path("deductions/<int:pk>/delete/", views.deduction_delete, name="deduction_delete"),
    path("deductions/<int:pk>/move/", views.deduction_move, name="deduction_move"),
]
