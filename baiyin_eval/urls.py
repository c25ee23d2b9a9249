from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic.base import RedirectView

from accounts import views as account_views
from branches import views as branch_views


class FaviconView(RedirectView):
    """Resolved per request: the manifest storage knows the hashed name only after collectstatic."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.svg")


admin.site.site_header = _("红蓝榜 · 基层党建差异化考评")
admin.site.site_title = _("红蓝榜管理")
admin.site.index_title = _("系统管理")

urlpatterns = [
    # Browsers ask for /favicon.ico before reading the page's icon link.
    path("favicon.ico", FaviconView.as_view()),
    path("", branch_views.home, name="home"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/", include("accounts.urls")),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("branches/", include("branches.urls")),
    path("branches/", include("members.urls")),
    path("scoring/", include("scoring.urls")),
    path("boards/", include("dashboards.urls")),
    # Before boards.urls: its <code>/ would take /boards/stars/ for a quarter code.
    path("boards/", include("ratings.urls")),
    path("boards/", include("fairness.urls")),
    path("boards/", include("boards.urls")),
    path("interviews/", include("interviews.urls")),
    path("rollup/", include("rollup.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]
