from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from baiyin_eval.health import queue_available
from boards.followups import queue_down_message
from boards.selectors import board_as_dict, board_categories
from boards.services import quarter_publish
from branches import roles
from branches.models import User
from branches.units import runs
from scoring.units import add_unit_argument, quarter_named


class Command(BaseCommand):
    help = (
        "打印某季度的红蓝榜（未发布时为预览）。--json 输出 JSON；--publish 按与页面“发布”按钮完全相同的"
        "检查和后续工作发布红蓝榜（后台任务队列不可用时拒绝发布），发布人由 --user 指定（默认：第一个党建部用户）。"
        "发布后的后续工作见 followups 命令。"
        "例如：board --quarter 2019Q1 --publish --user dangjian --json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="季度编号，如 2019Q1")
        add_unit_argument(parser)
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--publish", action="store_true", help="发布红蓝榜（与页面上的发布按钮相同）")
        parser.add_argument(
            "--user", help="发布人用户名（须为党建部人员）；默认为第一个党建部用户（按用户 ID）", default=None
        )

    def handle(self, *args, quarter: str, json: bool, publish: bool, user: str | None, unit=None, **options):
        try:
            found = quarter_named(quarter, unit)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if publish:
            publisher = self._publisher(user, found)
            if not queue_available():  # the same refusal as the page's button
                raise CommandError(queue_down_message())
            try:
                found = quarter_publish(quarter=found, user=publisher)
            except (ValidationError, PermissionDenied) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                raise CommandError(" ".join(messages)) from exc
            if not json:
                self.stdout.write(self.style.SUCCESS(f"{found.code} 红蓝榜已发布（发布人：{publisher}）。"))
        categories = board_categories(found)
        data = board_as_dict(found, categories)
        if json:
            self.stdout.write(_dumps(data))
        else:
            self._print(data)

    def _publisher(self, username: str | None, quarter) -> User:
        if username:
            publisher = User.objects.filter(username=username).first()
            if publisher is None:
                raise CommandError(f"用户 {username} 不存在。")
            return publisher
        dept = User.objects.filter(groups__name=roles.DEPT, is_active=True).order_by("pk")
        publisher = next((u for u in dept.select_related("unit", "branch__unit") if runs(u, quarter.unit)), None)
        if publisher is None:
            raise CommandError("没有党建部用户，请用 --user 指定发布人。")
        return publisher

    def _print(self, data: dict) -> None:
        state = "已发布" if data["published"] else "预览（未发布）"
        self.stdout.write(f"{data['quarter']} 红蓝榜 · {state}")
        points = {a["branch"]: _signed(a["points"]) for a in data["adjustments"]}
        for category in data["categories"]:
            self.stdout.write(f"\n{category['category']}类")
            self.stdout.write(f"  红榜：{'、'.join(category['red']) or '—'}")
            self.stdout.write(f"  蓝榜：{'、'.join(category['blue']) or '—'}")
            for row in category["ranking"]:
                mark = ""
                if row["branch"] in category["red"]:
                    mark = f"  红榜 {points[row['branch']]}"
                elif row["branch"] in category["blue"]:
                    mark = f"  蓝榜 {points[row['branch']]}"
                self.stdout.write(f"  {row['rank']:>3}  {row['total']:>7}  {row['branch']}{mark}")
            if category["unscored"]:
                self.stdout.write(f"  未完成评分：{'、'.join(category['unscored'])}")


def _signed(points: str) -> str:
    return points if points.startswith("-") or points == "0.00" else f"+{points}"


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
