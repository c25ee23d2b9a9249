from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from rollup.selectors import RollupNotFound, rollup_for, unit_by_name


class Command(BaseCommand):
    help = (
        "打印某单位及其下级各考评单位某季度的红蓝榜汇总（按季度编号匹配各单位的季度；只计已发布的季度）。"
        "--json 输出 JSON。例如：rollup --unit 国网甘肃省电力公司 --quarter 2019Q1 --json"
    )

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="单位名称，如 国网甘肃省电力公司")
        parser.add_argument("--quarter", required=True, help="季度编号，如 2019Q1")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, unit: str, quarter: str, json: bool, **options):
        try:
            rollup = rollup_for(unit_by_name(unit), quarter)
        except RollupNotFound as exc:
            raise CommandError(str(exc)) from exc
        if json:
            self.stdout.write(_dumps(rollup.as_dict()))
            return
        published = rollup.published_count
        self.stdout.write(
            f"{rollup.unit.name} {rollup.code} 红蓝榜汇总：考评单位 {len(rollup.rows)} 个，已发布 {published} 个"
        )
        for row in rollup.rows:
            indent = "  " * max(0, row.depth - rollup.unit.depth)
            if not row.published:
                self.stdout.write(f"{indent}{row.name}：未发布（{row.status_label}），党组织 {row.branches} 个")
                continue
            self.stdout.write(
                f"{indent}{row.name}：已发布，党组织 {row.branches} 个，未完成评分 {row.unscored} 个；"
                f"红榜 {'、'.join(row.red) or '—'}；蓝榜 {'、'.join(row.blue) or '—'}"
            )


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
