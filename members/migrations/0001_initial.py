import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MODELS = ("partymember", "memberpoint", "memberranking")


def _move_content_types(apps, source: str, target: str) -> None:
    """Permissions granted on the models (roles, groups) follow them: their content types are renamed."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_members(apps, schema_editor):
    _move_content_types(apps, "branches", "members")


def content_types_to_branches(apps, schema_editor):
    _move_content_types(apps, "members", "branches")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("branches", "0007_members_moved_out"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The models of branches.0003, moved here from branches (issue 16): state only, the tables
    # (branches_partymember, branches_memberpoint, branches_memberranking) and their rows stay.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PartyMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        ("duty", models.CharField(blank=True, max_length=50, verbose_name="职务")),
                        ("is_active", models.BooleanField(default=True, verbose_name="在册")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="登记时间")),
                        (
                            "branch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="party_members",
                                to="branches.branch",
                                verbose_name="党组织",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "党员",
                        "verbose_name_plural": "党员",
                        "db_table": "branches_partymember",
                        "ordering": ["branch", "name"],
                    },
                ),
                migrations.CreateModel(
                    name="MemberPoint",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("date", models.DateField(verbose_name="日期")),
                        ("points", models.DecimalField(decimal_places=1, max_digits=5, verbose_name="积分")),
                        ("reason", models.CharField(max_length=200, verbose_name="事由")),
                        ("recorded_at", models.DateTimeField(auto_now_add=True, verbose_name="记录时间")),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="记录人",
                            ),
                        ),
                        (
                            "member",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="points",
                                to="members.partymember",
                                verbose_name="党员",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "党员积分",
                        "verbose_name_plural": "党员积分",
                        "db_table": "branches_memberpoint",
                        "ordering": ["-date", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="MemberRanking",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("year", models.PositiveSmallIntegerField(verbose_name="年份")),
                        ("number", models.PositiveSmallIntegerField(verbose_name="季度序号")),
                        ("rows", models.JSONField(default=list, verbose_name="排名")),
                        ("published_at", models.DateTimeField(auto_now_add=True, verbose_name="发布时间")),
                        (
                            "branch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="member_rankings",
                                to="branches.branch",
                                verbose_name="党组织",
                            ),
                        ),
                        (
                            "published_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="发布人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "党员积分排名",
                        "verbose_name_plural": "党员积分排名",
                        "db_table": "branches_memberranking",
                        "ordering": ["-year", "-number", "branch"],
                        "constraints": [
                            models.UniqueConstraint(fields=("branch", "year", "number"), name="member_ranking_unique")
                        ],
                    },
                ),
                migrations.AddConstraint(
                    model_name="partymember",
                    constraint=models.UniqueConstraint(fields=("branch", "name"), name="party_member_name_unique"),
                ),
                migrations.AddIndex(
                    model_name="memberpoint",
                    index=models.Index(fields=["member", "date"], name="branches_me_member__3e16d9_idx"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_members, content_types_to_branches),
    ]
