from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from boards.followups import follow_up_label, follow_ups_for_quarter, follow_ups_run_pending
from boards.models import FollowUp
from scoring.units import add_unit_argument, quarter_named


class Command(BaseCommand):
    help = (
        "列出某季度发布后的后续工作（通知书记、约谈清单、星级评定、宽严报告）及其状态。"
        "--run 在本进程中执行尚未完成的工作（供后台任务服务曾不可用时使用；已完成的不会重复执行）。"
        "例如：followups --quarter 2019Q1 --run"
    )

    def add_arguments(self, parser):
        parser.add_argument("--quarter", help="季度编号，如 2019Q1；不指定时列出所有季度未完成的工作")
        add_unit_argument(parser)
        parser.add_argument("--run", action="store_true", help="在本进程中执行尚未完成的工作")

    def handle(self, *args, quarter: str | None, run: bool, unit: str | None = None, **options):
        found = None
        if quarter:
            try:
                found = quarter_named(quarter, unit)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        if run:
            ran = follow_ups_run_pending(quarter=found)
            self.stdout.write(f"执行了 {len(ran)} 项后续工作。")
        jobs = (
            follow_ups_for_quarter(found)
            if found
            else list(FollowUp.objects.exclude(status=FollowUp.Status.DONE).select_related("quarter").order_by("id"))
        )
        if not jobs:
            self.stdout.write("没有后续工作。" if found else "没有未完成的后续工作。")
        for job in jobs:
            when = timezone.localtime(job.finished_at).strftime("%Y-%m-%d %H:%M:%S") if job.finished_at else ""
            line = (
                f"{job.quarter.code}  {follow_up_label(job.name)}  {job.get_status_display()}  执行 {job.attempts} 次"
            )
            if when:
                line += f"  完成于 {when}"
            if job.status == FollowUp.Status.FAILED and job.error:
                line += f"  错误：{job.error}"
            self.stdout.write(line)
        if run and any(job.status != FollowUp.Status.DONE for job in jobs):
            raise CommandError("仍有后续工作未完成，请查看上面的错误。")
