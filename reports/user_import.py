"""The user list from Excel (账号, 姓名, 所属党组织, 角色, 邮箱): an operator sets up every account of the
portal at once. Like the branch list: the whole file is read and checked first (through
reports.safety's hostile-file guards), every problem is listed, and nothing is written unless the
file is clean; then all accounts are created in one transaction.

Each account gets a random initial password, shown once (on the result page, or printed by the
`import_users` command) for the operator to hand over; nothing stores it in clear.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from branches.accounts import user_check, user_create
from branches.models import User
from reports.imports import ImportIssue, ImportRejected, _column, _is_formula, _rejected_file, _text
from reports.safety import UnsafeWorkbook, iter_rows, open_workbook, sheet_has_merged_cells

USER_HEADERS = {"username": "账号", "name": "姓名", "branch": "所属党组织", "role": "角色", "email": "邮箱"}
REQUIRED_USER_HEADERS = ("username", "name", "role")
FIELD_KEYS = {"username": "username", "name": "name", "branch": "branch", "role": "role", "email": "email"}


@dataclass
class UserRow:
    row: int
    username: str
    name: str
    branch: str
    role: str
    email: str


def users_read(*, source: IO[bytes]) -> list[UserRow]:
    """Parse and check a user list; raises ImportRejected with every problem. Writes nothing."""
    issues: list[ImportIssue] = []
    parsed: list[UserRow] = []
    try:
        with open_workbook(source) as wb:
            ws = wb.worksheets[0]
            title = ws.title
            if sheet_has_merged_cells(source, ws._worksheet_path):
                raise ImportRejected([ImportIssue(title, None, "", _("工作表含有合并单元格，请取消合并后再导入。"))])
            rows = iter_rows(ws)
            header_cells = next(rows, (1, ()))[1]
            names = {text: key for key, text in USER_HEADERS.items()}
            positions: dict[str, int] = {}
            for index, cell in enumerate(header_cells):
                key = names.get(_text(cell.value))
                if key and key not in positions:
                    positions[key] = index
            missing = [USER_HEADERS[k] for k in REQUIRED_USER_HEADERS if k not in positions]
            if missing:
                raise ImportRejected(
                    [
                        ImportIssue(
                            title,
                            1,
                            "",
                            _("第 1 行缺少表头：%(missing)s。表头应为：账号、姓名、所属党组织、角色、邮箱（可选）。")
                            % {"missing": "、".join(missing)},
                        )
                    ]
                )
            for number, cells in rows:
                if not any(_text(c.value) for c in cells) and not any(_is_formula(c) for c in cells):
                    continue
                row = _read_user_row(title, number, cells, positions, issues)
                if row is not None:
                    parsed.append(row)
    except UnsafeWorkbook as exc:
        raise _rejected_file(str(exc)) from exc
    _check_user_rows(title, parsed, positions, issues)
    if issues:
        raise ImportRejected(issues)
    if not parsed:
        raise _rejected_file(_("文件中没有用户。"))
    return parsed


def _read_user_row(title, number, cells, positions, issues) -> UserRow | None:
    values = dict.fromkeys(USER_HEADERS, "")
    ok = True
    for key, index in positions.items():
        cell = cells[index] if index < len(cells) else None
        if cell is not None and _is_formula(cell):
            issues.append(ImportIssue(title, number, _column(index + 1, USER_HEADERS[key]), _formula_message()))
            ok = False
            continue
        values[key] = _text(cell.value if cell is not None else None)
    for key in REQUIRED_USER_HEADERS:
        if not values[key] and key in positions:
            issues.append(ImportIssue(title, number, _column(positions[key] + 1, USER_HEADERS[key]), _("不能为空。")))
            ok = False
    if not ok:
        return None
    return UserRow(number, values["username"], values["name"], values["branch"], values["role"], values["email"])


def _formula_message() -> str:
    from reports.imports import _formula_message as message

    return message()


def _check_user_rows(title: str, rows: list[UserRow], positions: dict, issues: list[ImportIssue]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        key = User.normalize_username(row.username).casefold()
        if key in first:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    _column(positions["username"] + 1, USER_HEADERS["username"]),
                    _("账号“%(username)s”重复出现（第 %(row)s 行已有）。")
                    % {"username": row.username, "row": first[key]},
                )
            )
            continue
        first[key] = row.row
        errors = user_check(
            username=row.username, name=row.name, role=row.role, branch_name=row.branch, email=row.email
        )
        for field_name, message in errors.items():
            key = FIELD_KEYS.get(field_name, "")
            column = _column(positions[key] + 1, USER_HEADERS[key]) if key in positions else ""
            issues.append(ImportIssue(title, row.row, column, message))


# No 0/O, 1/l/I: the password is read off a screen or a sheet of paper.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def initial_password() -> str:
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(4))


@dataclass
class CreatedAccount:
    username: str
    name: str
    role: str
    password: str


@dataclass
class UserImportResult:
    accounts: list[CreatedAccount] = field(default_factory=list)

    @property
    def created(self) -> int:
        return len(self.accounts)


def users_import(*, source: IO[bytes]) -> UserImportResult:
    """Create every account of a user list, or none: all or nothing."""
    return _users_write(rows=users_read(source=source))


@transaction.atomic
def _users_write(*, rows: list[UserRow]) -> UserImportResult:
    result = UserImportResult()
    for row in rows:
        password = initial_password()
        user = user_create(
            username=row.username,
            name=row.name,
            role=row.role,
            branch_name=row.branch,
            email=row.email,
            password=password,
        )
        result.accounts.append(CreatedAccount(user.username, user.name, row.role, password))
    return result
