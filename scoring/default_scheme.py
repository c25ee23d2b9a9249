"""The built-in scheme, following the report: the five standardizations for every category,
then each category's own criteria. Each category's maximum adds up to 100. The five
standardizations carry deduction items (扣分标准); the categories' own criteria are scored directly.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop as N_

from branches.models import Category

# (code, name, max, guidance). Strings are marked with gettext_noop: they become data in the
# database and are translated where they are shown only if a catalogue provides them.
STANDARD = [
    ("S1", N_("组织建设标准化"), "12", N_("支部设置、换届选举、委员分工是否规范；下设支部补选委员流程是否符合规定。")),
    (
        "S2",
        N_("组织生活标准化"),
        "12",
        N_("“三会一课”、主题党日、组织生活会、民主评议党员是否按期高质量开展，记录是否完整。"),
    ),
    ("S3", N_("党员管理标准化"), "12", N_("党员发展、教育、管理、监督和党费收缴是否规范，组织关系是否清楚。")),
    ("S4", N_("信息台账标准化"), "12", N_("党建信息系统录入是否及时准确，纸质与电子台账是否齐全、一致。")),
    ("S5", N_("活动阵地标准化"), "12", N_("党员活动室等阵地建设是否达标，使用是否经常、有效。")),
]

OWN = {
    Category.I: [
        ("A1", N_("机制创新"), "10", N_("结合县公司实际创新党建工作机制，形成可复制的做法。")),
        ("A2", N_("载体创新"), "10", N_("创新党建工作载体，党建与安全生产、优质服务深度融合。")),
        ("A3", N_("实践成果"), "8", N_("机制和载体创新取得的实际成效，有案例、有数据。")),
        ("A4", N_("先进典型选树"), "6", N_("党建工作在选树先进典型方面发挥作用的程度。")),
        ("A5", N_("党建品牌传播"), "6", N_("党建品牌创建与传播，在各级媒体和平台的宣传成效。")),
    ],
    Category.II: [
        ("B1", N_("组织建设成效"), "8", N_("支部战斗堡垒作用发挥情况。")),
        ("B2", N_("党员队伍建设"), "8", N_("党员队伍结构、素质，党员先锋模范作用发挥情况。")),
        ("B3", N_("作用发挥"), "8", N_("党员责任区、示范岗、突击队等在中心工作中的作用。")),
        ("B4", N_("业绩成绩"), "8", N_("支部所在中心业绩指标完成情况。")),
        ("B5", N_("特色工作"), "8", N_("特色党建工作开展情况及成效。")),
    ],
    Category.III: [
        ("C1", N_("“三会一课”制度落实"), "15", N_("支部党员大会、支委会、党小组会和党课是否按期开展、内容充实。")),
        ("C2", N_("主题党日与组织生活会"), "10", N_("主题党日、组织生活会、谈心谈话等制度落实情况。")),
        ("C3", N_("民主评议党员"), "5", N_("民主评议党员工作开展是否规范。")),
        ("C4", N_("支部日常工作"), "10", N_("支部日常工作开展情况，工作计划、总结和台账是否完整。")),
    ],
}


# 扣分标准 of the five standardizations, as 考核细则 write them:
# code → [(what was found, points, per occurrence, cap or None)].
DEDUCTIONS = {
    "S1": [
        (N_("支部委员分工不明确或职责未落实"), "1", False, None),
        (N_("下设支部补选委员流程不规范"), "0.5", True, "3"),
        (N_("未按期换届"), "4", False, None),
    ],
    "S2": [
        (N_("“三会一课”未按期开展"), "2", True, "6"),
        (N_("会议记录不完整"), "0.5", True, "3"),
        (N_("未召开组织生活会或未开展民主评议党员"), "3", False, None),
    ],
    "S3": [
        (N_("党员发展程序不规范"), "2", True, "6"),
        (N_("党费未按时足额收缴"), "0.5", True, "3"),
        (N_("组织关系转接不及时"), "1", True, "3"),
    ],
    "S4": [
        (N_("党建信息系统录入不及时或不准确"), "0.5", True, "4"),
        (N_("纸质台账与电子台账不一致"), "0.5", True, "3"),
    ],
    "S5": [
        (N_("党员活动室未达标"), "3", False, None),
        (N_("阵地未经常使用"), "1", False, None),
    ],
}


def default_deduction_rows() -> dict[str, list[dict]]:
    """The default deduction items as plain rows, by indicator code."""
    return {
        code: [
            {
                "description": description,
                "points": Decimal(points),
                "per_occurrence": per_occurrence,
                "cap": Decimal(cap) if cap else None,
                "position": position,
            }
            for position, (description, points, per_occurrence, cap) in enumerate(items)
        ]
        for code, items in DEDUCTIONS.items()
    }


def default_indicator_rows() -> list[dict]:
    """The default scheme as plain rows, ready to become Indicator objects."""
    rows = []
    for position, (code, name, maximum, guidance) in enumerate(STANDARD):
        rows.append(
            {
                "category": "",
                "code": code,
                "name": name,
                "max_score": Decimal(maximum),
                "guidance": guidance,
                "position": position,
            }
        )
    for category, items in OWN.items():
        for position, (code, name, maximum, guidance) in enumerate(items):
            rows.append(
                {
                    "category": category.value,
                    "code": code,
                    "name": name,
                    "max_score": Decimal(maximum),
                    "guidance": guidance,
                    "position": position,
                }
            )
    return rows
