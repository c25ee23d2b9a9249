from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from branches import views as branch_views

admin.site.site_header = _("红蓝榜 · 基层党建差异化考评")
admin.site.site_title = _("红蓝榜管理")
admin.site.index_title = _("系统管理")

urlpatterns = [
    path("", branch_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("branches/", include("branches.urls")),
    path("scoring/", include("scoring.urls")),
    path("boards/", include("boards.urls")),
    path("interviews/", include("interviews.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
