"""Names are plain text: control, bidirectional-override and zero-width characters are refused in
branch, unit and user names (forms, admin, imports), removed from other free text; an evidence file
keeps its extension whatever the length of its name."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from branches.models import Branch, Notice, Unit, User
from branches.text import shorten_keeping_extension, strip_hidden
from interviews.models import Evidence
from reports.imports import ImportRejected, branches_import
from tests.factories import UnitFactory
from tests.interviews.helpers import answered, make_interview
from tests.reports.helpers import workbook_bytes

pytestmark = pytest.mark.django_db

HIDDEN = {
    "U+202E": "\u202e",  # right-to-left override: "支部\u202e甲乙" shows as "支部乙甲"
    "U+202D": "\u202d",  # left-to-right override
    "U+202A": "\u202a",  # left-to-right embedding
    "U+202B": "\u202b",  # right-to-left embedding
    "U+202C": "\u202c",  # pop directional formatting
    "U+2066": "\u2066",  # left-to-right isolate
    "U+2067": "\u2067",  # right-to-left isolate
    "U+2068": "\u2068",  # first strong isolate
    "U+2069": "\u2069",  # pop directional isolate
    "U+200E": "\u200e",  # left-to-right mark
    "U+200F": "\u200f",  # right-to-left mark
    "U+061C": "\u061c",  # Arabic letter mark
    "U+200B": "\u200b",  # zero-width space
    "U+200C": "\u200c",  # zero-width non-joiner
    "U+200D": "\u200d",  # zero-width joiner
    "U+2060": "\u2060",  # word joiner
    "U+FEFF": "\ufeff",  # zero-width no-break space (BOM)
    "U+00AD": "\u00ad",  # soft hyphen
    "U+0007": "\u0007",  # bell (C0 control)
    "U+001B": "\u001b",  # escape
    "U+007F": "\u007f",  # delete
    "U+0085": "\u0085",  # next line (C1 control)
    "U+000A": "\n",  # a line break in a name
    "U+0009": "\t",  # a tab in a name
    "U+2028": "\u2028",  # line separator
    "U+2029": "\u2029",  # paragraph separator
}


@pytest.mark.parametrize("code", sorted(HIDDEN))
def test_each_hidden_character_is_refused_in_branch_unit_and_user_names(code):
    name = f"办公室{HIDDEN[code]}党支部"
    unit = UnitFactory()
    for instance, exclude in (
        (Branch(name=name, category="1", unit=unit), []),
        (Unit(name=name), []),
        (User(username="someone", name=name), ["password"]),
    ):
        with pytest.raises(ValidationError) as exc:
            instance.full_clean(exclude=exclude)
        assert code in str(exc.value.message_dict["name"]), instance


@pytest.mark.parametrize("code", ["U+202E", "U+200B", "U+0007"])
def test_usernames_refuse_them_too(code):
    with pytest.raises(ValidationError) as exc:
        User(username=f"zhang{HIDDEN[code]}min", name="张敏").full_clean(exclude=["password"])
    assert "username" in exc.value.message_dict


def test_an_ordinary_chinese_name_is_accepted():
    Branch(name="白银区供电公司党总支（Ⅰ类）·一支部", category="1", unit=UnitFactory()).full_clean()


def test_the_admin_form_says_what_is_wrong(client, admin_user):
    client.force_login(admin_user)
    unit = UnitFactory()
    response = client.post(
        "/admin/branches/branch/add/", {"name": "支部\u202e乙甲", "category": "1", "kind": "branch", "unit": unit.pk}
    )
    assert response.status_code == 200
    assert "不可见或控制字符（U+202E）" in response.content.decode()
    assert not Branch.objects.filter(unit=unit).exists()


def test_the_branch_import_refuses_them_with_the_rest_of_its_problems():
    wb = Workbook()
    wb.active.append(["组织名称", "类别", "组织类型", "上级组织", "所属单位"])
    wb.active.append(["办公室\u200b党支部", "Ⅰ", "党支部", "", "本部"])
    wb.active.append(["营销党支部", "Ⅰ", "党支部", "", "本\u202e部"])
    with pytest.raises(ImportRejected) as exc:
        branches_import(source=workbook_bytes(wb))
    text = str(exc.value)
    assert "第 2 行" in text and "U+200B" in text and "第 3 行" in text and "U+202E" in text
    assert not Branch.objects.exists()


def test_free_text_loses_hidden_characters_and_keeps_its_line_breaks(inspector_user):
    notice = Notice.objects.create(user=inspector_user, message="请于\u202e周五\u200b前\n提交。\t谢谢")
    notice.refresh_from_db()
    assert notice.message == "请于周五前\n提交。\t谢谢"
    assert strip_hidden("a\u2066b\u0000c") == "abc"


def test_a_long_evidence_name_keeps_its_extension(client, settings, tmp_path, secretary_user):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    item = make_interview(branch=secretary_user.branch, n_items=1, **answered()).items.get()
    client.force_login(secretary_user)
    name = "整改报告" * 60 + ".pdf"  # 244 characters
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = client.post(f"/interviews/items/{item.pk}/evidence/", {"file": SimpleUploadedFile(name, pdf)})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert len(evidence.original_name) == 200 and evidence.original_name.endswith(".pdf")
    assert Path(evidence.file.name).suffix == ".pdf"
    download = client.get(evidence.get_absolute_url())
    assert ".pdf" in download["Content-Disposition"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a" * 10 + ".docx", "a" * 10 + ".docx"),
        ("a" * 300 + ".docx", "a" * 195 + ".docx"),
        ("a" * 300, "a" * 200),
        ("." + "a" * 300, "." + "a" * 199),
    ],
)
def test_shortening_keeps_the_extension(name, expected):
    assert shorten_keeping_extension(name, 200) == expected
