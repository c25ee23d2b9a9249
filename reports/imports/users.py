"""The user list from Excel (账号, 姓名, 所属党组织, 角色, 邮箱): an operator sets up every account of the
portal at once. Like the branch list (the same list-sheet core, reports.imports.sheets): the whole
file is read and checked first (through reports.safety's hostile-file guards), every problem is listed, and nothing is written unless the
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
from reports.imports.sheets import ImportIssue, cells_by_key, column_name, list_read

USER_HEADERS = {
    "username": "账号",
    "name": "姓名",
    "branch": "所属党组织",
    "role": "角色",
    "email": "邮箱",
    "unit": "所属单位",  # where the role is held (accounts not in a branch, or a branch name that repeats)
}
REQUIRED_USER_HEADERS = ("username", "name", "role")
FIELD_KEYS = {k: k for k in USER_HEADERS}


@dataclass
class UserRow:
    row: int
    username: str
    name: str
    branch: str
    role: str
    email: str
    unit: str = ""


def _missing_user_headers(missing: str) -> str:
    return _(
        "第 1 行缺少表头：%(missing)s。表头应为：账号、姓名、所属党组织、角色、邮箱（可选）、所属单位（可选）。"
    ) % {"missing": missing}


def users_read(*, source: IO[bytes]) -> list[UserRow]:
    """Parse and check a user list; raises ImportRejected with every problem. Writes nothing."""
    return list_read(
        source=source,
        headers=USER_HEADERS,
        required=REQUIRED_USER_HEADERS,
        missing_headers=_missing_user_headers,
        read_row=_read_user_row,
        check_rows=_check_user_rows,
        empty=_("文件中没有用户。"),
    )


def _read_user_row(title, number, cells, positions, issues) -> UserRow | None:
    read, ok = cells_by_key(title, number, cells, positions, USER_HEADERS, issues)
    values = {**dict.fromkeys(USER_HEADERS, ""), **read}
    for key in REQUIRED_USER_HEADERS:
        if not values[key] and key in positions:
            issues.append(
                ImportIssue(title, number, column_name(positions[key] + 1, USER_HEADERS[key]), _("不能为空。"))
            )
            ok = False
    if not ok:
        return None
    return UserRow(
        number, values["username"], values["name"], values["branch"], values["role"], values["email"], values["unit"]
    )


def _check_user_rows(title: str, rows: list[UserRow], positions: dict, issues: list[ImportIssue]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        key = User.normalize_username(row.username).casefold()
        if key in first:
            issues.append(
                ImportIssue(
                    title,
                    row.row,
                    column_name(positions["username"] + 1, USER_HEADERS["username"]),
                    _("账号“%(username)s”重复出现（第 %(row)s 行已有）。")
                    % {"username": row.username, "row": first[key]},
                )
            )
            continue
        first[key] = row.row
        errors = user_check(
            username=row.username,
            name=row.name,
            role=row.role,
            branch_name=row.branch,
            email=row.email,
            unit_name=row.unit,
        )
        for field_name, message in errors.items():
            key = FIELD_KEYS.get(field_name, "")
            column = column_name(positions[key] + 1, USER_HEADERS[key]) if key in positions else ""
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
            unit_name=row.unit,
        )
        result.accounts.append(CreatedAccount(user.username, user.name, row.role, password))
    return result
