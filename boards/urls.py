from __future__ import annotations

app_name = "boards"

urlpatterns: list = []
