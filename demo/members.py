"""Demo member points (党员积分): the ledger of 平川区供电公司党总支, the demo secretary's branch,
with its rankings of 2018Q3 and 2018Q4 published. Written once."""

from __future__ import annotations

import datetime
from decimal import Decimal

from branches.models import Branch, User
from members.models import MemberPoint, PartyMember
from members.services import member_point_record, member_ranking_publish, party_member_create

MEMBERS = [
    ("赵永平", "党总支书记"),
    ("李红梅", "组织委员"),
    ("王建军", "宣传委员"),
    ("张志刚", "纪检委员"),
    ("刘晓燕", "党员"),
    ("陈国栋", "党员"),
    ("杨帆", "党员"),
    ("马海东", "党员"),
]

# (member, date, points, reason)
LEDGER = [
    ("李红梅", datetime.date(2018, 7, 12), "3", "组织“七一”主题党日活动"),
    ("王建军", datetime.date(2018, 7, 26), "2", "撰写党建信息被公司采用"),
    ("陈国栋", datetime.date(2018, 8, 8), "4", "迎峰度夏抢修中担任党员突击队队长"),
    ("马海东", datetime.date(2018, 8, 30), "-1", "无故缺席支部党员大会"),
    ("刘晓燕", datetime.date(2018, 9, 14), "2", "党员示范岗服务获客户表扬"),
    ("张志刚", datetime.date(2018, 9, 21), "1.5", "开展廉洁警示教育"),
    ("杨帆", datetime.date(2018, 9, 27), "1", "按时参加“三会一课”"),
    ("陈国栋", datetime.date(2018, 10, 16), "3", "提出的线损治理建议被采纳"),
    ("李红梅", datetime.date(2018, 11, 6), "2", "完成党员发展材料规范整理"),
    ("马海东", datetime.date(2018, 11, 20), "2.5", "冬季保供电志愿服务"),
    ("杨帆", datetime.date(2018, 12, 4), "-0.5", "党费缴纳延迟"),
    ("王建军", datetime.date(2018, 12, 18), "3", "党建品牌宣传片拍摄"),
    ("刘晓燕", datetime.date(2019, 1, 15), "2", "春节保电值守"),
    ("陈国栋", datetime.date(2019, 2, 21), "1", "参加党史知识竞赛"),
    ("马海东", datetime.date(2019, 3, 8), "-1", "学习强国积分未达标"),
]


def seed_member_points(branches: dict[str, Branch], users: dict[str, User]) -> None:
    """The ledger of 平川区供电公司党总支 (secretary shuji), with 2018Q3 and 2018Q4 published."""
    branch = branches["平川区供电公司党总支"]
    secretary = users["shuji"]
    if branch.secretary_id != secretary.pk or MemberPoint.objects.filter(member__branch=branch).exists():
        return
    members = {m.name: m for m in PartyMember.objects.filter(branch=branch)}
    for name, duty in MEMBERS:
        if name not in members:
            members[name] = party_member_create(branch=branch, name=name, duty=duty, user=secretary)
    for name, day, points, reason in LEDGER:
        member_point_record(member=members[name], date=day, points=Decimal(points), reason=reason, user=secretary)
    for year, number in ((2018, 3), (2018, 4)):
        member_ranking_publish(branch=branch, year=year, number=number, user=secretary)
