"""The organisation: units, party organisations (党支部/党总支) and the people in them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from branches.text import validate_plain_name


class Category(models.TextChoices):
    """The three categories branches are ranked within (never across)."""

    I = "1", _("Ⅰ类")  # county-level supply companies
    II = "2", _("Ⅱ类")  # the centers
    III = "3", _("Ⅲ类")  # headquarters departments


CATEGORY_SYMBOLS = {Category.I: "Ⅰ", Category.II: "Ⅱ", Category.III: "Ⅲ"}


class Unit(MP_Node):
    """单位: a node of the company tree (总部 → 省公司 → 地市公司 → 县公司 …, any depth), stored as a
    materialized path (django-treebeard): a subtree is one indexed `path LIKE 'prefix%'`, no recursion.

    A 考评单位 (`is_evaluating`) runs its own quarters; every unit's `evaluating_unit` is the nearest
    evaluating unit at or above it (itself when it evaluates), kept right by `branches.units`
    whenever the tree changes. Create units through `branches.units.unit_create`; a unit saved
    without a place in the tree goes under the company root (`branches.units.default_unit`), so a
    single-company installation never needs a tree."""

    name = models.CharField(_("单位名称"), max_length=100, unique=True, validators=[validate_plain_name])
    is_evaluating = models.BooleanField(
        _("考评单位"), default=False, help_text=_("本单位党委组织本单位的季度考评（红蓝榜）")
    )
    evaluating_unit = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluated_units",
        verbose_name=_("所属考评单位"),
        help_text=_("本单位或其上级中最近的考评单位"),
    )

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.path:
            # Not placed yet (Unit.objects.create, get_or_create): under the company root, as the
            # single-company portal always did. The tree's own writes set the path first.
            from branches.units import place_unplaced

            return place_unplaced(self)
        return super().save(*args, **kwargs)


class BranchQuerySet(models.QuerySet):
    def for_quarter(self, quarter) -> BranchQuerySet:
        """The active branches a quarter evaluates: those of its evaluating unit (issue 17)."""
        return self.filter(is_active=True, evaluating_unit_id=quarter.unit_id)


class Branch(models.Model):
    """A party organisation: 党支部 or 党总支 (which may have 下设支部)."""

    class Kind(models.TextChoices):
        BRANCH = "branch", _("党支部")
        GENERAL = "general", _("党总支")

    # Unique within the evaluating unit, not across the tree: every city company has an 办公室党支部.
    name = models.CharField(_("组织名称"), max_length=100, validators=[validate_plain_name])
    kind = models.CharField(_("组织类型"), max_length=10, choices=Kind.choices, default=Kind.BRANCH)
    category = models.CharField(_("类别"), max_length=1, choices=Category.choices, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="branches", verbose_name=_("所属单位"))
    # The unit's evaluating unit, denormalised so a quarter's branches are one indexed filter; set
    # from `unit` on every save and by branches.units when the tree above changes.
    evaluating_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="evaluated_branches", verbose_name=_("考评单位"), editable=False
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级组织"),
        limit_choices_to={"kind": "general"},
    )
    secretary = models.ForeignKey(
        "branches.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="secretary_of",
        verbose_name=_("支部书记"),
    )
    is_active = models.BooleanField(_("参加考评"), default=True)

    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        ordering = ["category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["evaluating_unit", "name"], name="branch_name_unique_in_evaluating_unit")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self.unit_id is not None and (fields is None or "unit" in fields):
            self.evaluating_unit_id = self.unit.evaluating_unit_id
            if fields is not None:
                kwargs["update_fields"] = {*fields, "evaluating_unit"}
        super().save(*args, **kwargs)

    @property
    def category_symbol(self) -> str:
        return CATEGORY_SYMBOLS[Category(self.category)]


class AccountDeletionRefused(Exception):
    """Accounts are deactivated, never deleted: scores, problems and the audit log keep their authors."""

    def __init__(self):
        super().__init__(gettext("用户账号不能删除（其评分、问题和审计记录须保留作者），请改为停用。"))


class UserQuerySet(models.QuerySet):
    def delete(self):
        raise AccountDeletionRefused


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager whose querysets refuse delete()."""


class User(AbstractUser):
    """A portal user. `branch` is the organisation the person belongs to: nobody inspects their own."""

    name = models.CharField(_("姓名"), max_length=50, blank=True, validators=[validate_plain_name])
    branch = models.ForeignKey(
        Branch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("所在党组织"),
    )
    # Where the role is held (党建部 of a city company, leadership of the province); it reaches every
    # unit below. A secretary's and an inspector's come from the branch when this is empty.
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("所属单位"),
        help_text=_("角色所在的单位（其下级单位一并可见）；不填则取所在党组织的单位"),
    )
    # With AUTH_LOCAL_LOGIN=false only these accounts sign in with a local password (e.g. while the
    # directory is down); the directory and OIDC never take them over.
    is_emergency_admin = models.BooleanField(
        _("应急管理员"),
        default=False,
        help_text=_("关闭本地账号登录（AUTH_LOCAL_LOGIN=false）后，仍可用本地密码登录；统一身份认证不会接管此账号。"),
    )

    objects = PortalUserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    def delete(self, *args, **kwargs):
        # Never deleted (issue 15): branches.accounts.user_deactivate ends access instead. The
        # pre_delete guard (branches.apps) catches deletions reaching users through other models,
        # and on PostgreSQL a trigger refuses raw SQL.
        raise AccountDeletionRefused


class Notice(models.Model):
    """A message shown to one user in the portal (reminders, publication notices)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices", verbose_name=_("用户"))
    message = models.CharField(_("内容"), max_length=500)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.message
