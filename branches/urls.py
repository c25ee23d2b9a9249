from __future__ import annotations

app_name = "branches"

urlpatterns: list = []
