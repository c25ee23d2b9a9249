from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import IO, TypeVar

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from reports.imports import ImportRejected
from scoring.models import InspectionGroup, Quarter
from scoring.units import quarter_named

ResultT = TypeVar("ResultT")

NOTHING_WRITTEN = "没有写入任何数据。"


def get_quarter(code: str, unit: str | None = None) -> Quarter:
    """The quarter of `--quarter CODE [--unit NAME]`, or a CommandError saying what is wrong."""
    try:
        return quarter_named(code, unit)
    except ValidationError as exc:
        raise CommandError(" ".join(exc.messages)) from exc


def get_group(quarter: Quarter, name: str | None) -> InspectionGroup | None:
    if not name:
        return None
    group = InspectionGroup.objects.filter(quarter=quarter, name=name).first()
    if group is None:
        names = "、".join(quarter.groups.order_by("name").values_list("name", flat=True)) or "（无）"
        raise CommandError(f"季度 {quarter.code} 没有检查组“{name}”。现有检查组：{names}")
    return group


def import_file(
    command: BaseCommand,
    file: str,
    importer: Callable[[IO[bytes]], ResultT],
    *,
    nothing_written: str = NOTHING_WRITTEN,
) -> ResultT:
    """Run an Excel import on `file` for a command: a refused file lists every problem on stderr
    and fails the command, saying that nothing was written."""
    path = Path(file)
    if not path.is_file():
        raise CommandError(f"文件 {file} 不存在。")
    with path.open("rb") as source:
        try:
            return importer(source)
        except ImportRejected as exc:
            for issue in exc.issues:
                command.stderr.write(str(issue))
            raise CommandError(f"文件未导入：发现 {len(exc.issues)} 个问题，{nothing_written}") from exc
