"""An operator sets the portal up without a developer: `createuser`, the Excel user list (command
and admin page), each with every problem listed and nothing written on any error."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from branches import roles
from branches.models import User
from tests.factories import BranchFactory
from tests.reports.helpers import workbook_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-2019"
HEADERS = ["账号", "姓名", "所属党组织", "角色", "邮箱"]


def user_list(*rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = "用户名单"
    ws.append(headers)
    for row in rows:
        ws.append(list(row))
    return wb


def createuser(*args, stdin: str | None = None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("createuser", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_createuser_makes_a_dept_account_that_logs_in(monkeypatch):
    out, _ = createuser(
        "zhangmin",
        "--name",
        "张敏",
        "--role",
        roles.DEPT,
        "--password-stdin",
        stdin=PASSWORD + "\n",
        monkeypatch=monkeypatch,
    )
    user = User.objects.get(username="zhangmin")
    assert (user.name, user.is_staff, user.is_superuser, user.is_active) == ("张敏", True, False, True)
    assert list(user.groups.values_list("name", flat=True)) == [roles.DEPT]
    assert authenticate(username="zhangmin", password=PASSWORD) == user
    assert "已创建用户 zhangmin" in out
    assert PASSWORD not in out


def test_createuser_puts_a_secretary_in_the_branch(monkeypatch):
    branch = BranchFactory(name="办公室党支部")
    createuser("wangli", "--name", "王丽", "--role", roles.SECRETARY, "--branch", "办公室党支部")
    user = User.objects.get(username="wangli")
    assert user.branch == branch and not user.is_staff and not user.has_usable_password()


def test_createuser_lists_every_problem_and_creates_nothing(monkeypatch):
    User.objects.create(username="taken", name="已有")
    err = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    with pytest.raises(CommandError, match="用户未创建"):
        call_command(
            "createuser",
            "taken",
            "--name",
            "张\u202e敏",
            "--role",
            "部长",
            "--branch",
            "不存在的支部",
            "--password-stdin",
            stderr=err,
        )
    text = err.getvalue()
    assert "账号“taken”已存在" in text
    assert "U+202E" in text
    assert "角色“部长”不存在" in text
    assert "党组织“不存在的支部”不存在" in text
    assert User.objects.count() == 1


def test_createuser_refuses_a_weak_password(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n"))
    with pytest.raises(CommandError):
        call_command("createuser", "zhao", "--name", "赵", "--role", roles.LEADER, "--password-stdin", stderr=err)
    assert "密码" in err.getvalue()
    assert not User.objects.filter(username="zhao").exists()


def test_import_users_creates_every_account_with_a_password_shown_once(tmp_path):
    BranchFactory(name="办公室党支部")
    path = tmp_path / "users.xlsx"
    user_list(
        ["zhangmin", "张敏", "", "党建部", "zhangmin@example.cn"],
        ["wanglei", "王磊", "办公室党支部", "检查组成员", ""],
        ["shuji2", "赵永平", "办公室党支部", "支部书记", None],
    ).save(path)
    out = io.StringIO()
    call_command("import_users", str(path), stdout=out)
    lines = [line.split("\t") for line in out.getvalue().splitlines() if "\t" in line]
    assert [line[0] for line in lines] == ["zhangmin", "wanglei", "shuji2"]
    for username, _name, _role, password in lines:
        assert authenticate(username=username, password=password) is not None
    inspector = User.objects.get(username="wanglei")
    assert inspector.branch.name == "办公室党支部"
    assert list(inspector.groups.values_list("name", flat=True)) == [roles.INSPECTOR]
    assert User.objects.get(username="zhangmin").email == "zhangmin@example.cn"


def test_import_users_lists_every_problem_together_and_writes_nothing(tmp_path):
    User.objects.create(username="taken", name="已有")
    path = tmp_path / "users.xlsx"
    user_list(
        ["ok1", "正常", "", "党建部", ""],
        ["taken", "重名", "", "党建部", ""],
        ["bad name", "空格", "", "党建部", ""],
        ["ok2", "张\u200b敏", "", "党建部", ""],
        ["ok3", "李四", "不存在的支部", "检查组成员", ""],
        ["ok4", "王五", "", "部长", "not-an-email"],
        ["OK1", "重复", "", "党建部", ""],
        ["ok5", "", "", "", ""],
        ["ok6", '=HYPERLINK("x")', "", "党建部", ""],
    ).save(path)
    err = io.StringIO()
    with pytest.raises(CommandError, match="没有创建任何账号"):
        call_command("import_users", str(path), stderr=err)
    text = err.getvalue()
    for expected in (
        "第 3 行 A（账号） 列：账号“taken”已存在",
        "第 4 行 A（账号）",
        "第 5 行 B（姓名） 列：名称中含有不可见或控制字符（U+200B）",
        "第 6 行 C（所属党组织） 列：党组织“不存在的支部”不存在",
        "第 7 行 D（角色） 列：角色“部长”不存在",
        "第 7 行 E（邮箱）",
        "第 8 行 A（账号） 列：账号“OK1”重复出现（第 2 行已有）",
        "第 9 行 B（姓名） 列：不能为空",
        "第 9 行 D（角色） 列：不能为空",
        "第 10 行 B（姓名） 列：单元格是公式",
    ):
        assert expected in text, (expected, text)
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]


def test_import_users_refuses_a_file_without_its_headers(tmp_path):
    path = tmp_path / "users.xlsx"
    user_list(["a", "b"], headers=["用户", "名字"]).save(path)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_users", str(path), stderr=err)
    assert "缺少表头：账号、姓名、角色" in err.getvalue()


def test_the_hostile_file_guards_apply_to_the_user_list(tmp_path):
    path = tmp_path / "users.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CommandError):
        call_command("import_users", str(path), stderr=io.StringIO())
    assert not User.objects.exists()


def test_the_admin_imports_users_on_the_reports_page(client, admin_user, django_assert_max_num_queries):
    client.force_login(admin_user)
    page = client.get("/reports/")
    assert 'href="/reports/imports/users/"' in page.content.decode()
    upload = workbook_bytes(user_list(["jiancha9", "孙九", "", "检查组成员", ""]))
    upload.name = "users.xlsx"
    response = client.post("/reports/imports/users/", {"file": upload})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert "已新建 1 个账号" in body and "jiancha9" in body
    password = body.split("<code>", 1)[1].split("</code>", 1)[0]
    assert authenticate(username="jiancha9", password=password) is not None


def test_the_admin_page_lists_the_problems_and_writes_nothing(client, admin_user):
    client.force_login(admin_user)
    upload = workbook_bytes(user_list(["a1", "甲", "", "部长", ""], ["a2", "", "", "党建部", ""]))
    upload.name = "users.xlsx"
    body = client.post("/reports/imports/users/", {"file": upload}).content.decode()
    assert "发现 2 个问题" in body and "角色“部长”不存在" in body
    assert not User.objects.filter(username__in=["a1", "a2"]).exists()


def test_only_the_system_administrator_imports_users(client, dept_user):
    client.force_login(dept_user)
    assert client.get("/reports/imports/users/").status_code == 403
    upload = workbook_bytes(user_list(["x1", "甲", "", "系统管理员", ""]))
    upload.name = "users.xlsx"
    assert client.post("/reports/imports/users/", {"file": upload}).status_code == 403
    assert not User.objects.filter(username="x1").exists()


def test_the_user_import_page_costs_a_fixed_number_of_queries(client, admin_user, django_assert_num_queries):
    client.force_login(admin_user)
    # the session, the user, the user's roles (for access and the menu), the viewer's unit (the footer)
    with django_assert_num_queries(4):
        assert client.get("/reports/imports/users/").status_code == 200
