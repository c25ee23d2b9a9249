"""StarLevel and StarRating move from boards to ratings (issue 16): the state only; the tables
keep their names (boards_starlevel, boards_starrating), so no row moves and no table is rebuilt."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("boards", "0012_board_score_keys_unconstrained"),
        ("branches", "0004_emergency_admin"),
        ("scoring", "0005_deductions_and_copied_from"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StarLevel",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("stars", models.PositiveSmallIntegerField(unique=True, verbose_name="星级")),
                        (
                            "min_average",
                            models.DecimalField(decimal_places=2, max_digits=5, verbose_name="近四个已发布季度平均总分不低于"),
                        ),
                        ("no_blue", models.BooleanField(default=False, verbose_name="期间不得上蓝榜")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="修改时间")),
                        (
                            "updated_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="修改人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "星级评定标准",
                        "verbose_name_plural": "星级评定标准",
                        "ordering": ["-stars"],
                        "db_table": "boards_starlevel",
                    },
                ),
                migrations.CreateModel(
                    name="StarRating",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(db_index=True, verbose_name="年度")),
                        ("stars", models.PositiveSmallIntegerField(default=0, verbose_name="星级")),
                        (
                            "average",
                            models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, verbose_name="平均总分"),
                        ),
                        ("quarters_counted", models.PositiveSmallIntegerField(default=0, verbose_name="计入季度数")),
                        ("blue_count", models.PositiveSmallIntegerField(default=0, verbose_name="蓝榜次数")),
                        ("rule", models.JSONField(blank=True, default=list, verbose_name="评定标准")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="评定时间")),
                        (
                            "branch",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="star_ratings",
                                to="branches.branch",
                                verbose_name="党组织",
                            ),
                        ),
                        (
                            "quarter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="star_ratings",
                                to="scoring.quarter",
                                verbose_name="季度",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "星级党支部评定",
                        "verbose_name_plural": "星级党支部评定",
                        "ordering": ["quarter", "-stars", "branch__name"],
                        "constraints": [models.UniqueConstraint(fields=("quarter", "branch"), name="star_rating_unique")],
                        "indexes": [models.Index(fields=["quarter", "stars"], name="star_rating_quarter_stars_idx")],
                        "db_table": "boards_starrating",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
