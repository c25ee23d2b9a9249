"""审计日志: an append-only record of who did what, when, to which object and from which address.

Rows are written through `audit.services.audit_record` and never changed afterwards: `save()` refuses
to update an existing row, and neither a row nor a queryset can be deleted through the ORM.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计日志不可修改")

    def delete(self):
        raise AuditImmutable("审计日志不可删除")


class AuditEvent(models.Model):
    """One audited action (审计事件)."""

    class Action(models.TextChoices):
        LOGIN = "login", _("登录")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOGOUT = "logout", _("退出")
        SCORE_CHANGE = "score_change", _("修改评分")
        SHEET_SUBMIT = "sheet_submit", _("提交评分表")
        SHEET_RETURN = "sheet_return", _("退回评分表")
        BOARD_PUBLISH = "board_publish", _("发布红蓝榜")
        ADJUSTMENT_EDIT = "adjustment_edit", _("修改绩效加扣分表")
        EXPORT_DOWNLOAD = "export_download", _("下载报表")
        RECTIFICATION_ACCEPT = "rectification_accept", _("整改验收通过")
        RECTIFICATION_RETURN = "rectification_return", _("整改退回")
        CONTRIBUTION_ADD = "contribution_add", _("录入贡献度积分")
        CONTRIBUTION_REMOVE = "contribution_remove", _("删除贡献度积分")
        GROUP_SAVE = "group_save", _("保存检查组")
        GROUP_DELETE = "group_delete", _("删除检查组")
        ASSIGNMENT_CHANGE = "assignment_change", _("分配检查组")
        QUARTER_TRANSITION = "quarter_transition", _("变更季度状态")
        EXCLUSION_CREATE = "exclusion_create", _("排除出排名")
        EXCLUSION_DELETE = "exclusion_delete", _("撤销排除")
        INTERVIEW_SCHEDULE = "interview_schedule", _("安排约谈")
        INTERVIEW_DECISION = "interview_decision", _("记录约谈结果")
        BRANCH_IMPORT = "branch_import", _("导入党组织")
        QUARTER_CREATE = "quarter_create", _("新建季度")
        INDICATOR_ADD = "indicator_add", _("新增考核指标")
        INDICATOR_EDIT = "indicator_edit", _("修改考核指标")
        INDICATOR_DELETE = "indicator_delete", _("删除考核指标")
        INDICATOR_MOVE = "indicator_move", _("调整考核指标顺序")
        DEDUCTION_ADD = "deduction_add", _("新增扣分标准")
        DEDUCTION_EDIT = "deduction_edit", _("修改扣分标准")
        DEDUCTION_DELETE = "deduction_delete", _("删除扣分标准")
        DEDUCTION_MOVE = "deduction_move", _("调整扣分标准顺序")
        UNIT_IMPORT = "unit_import", _("导入单位")
        DIRECTORY_SYNC = "directory_sync", _("目录登录同步角色")

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    # Kept as text too: the record must still say who after the account is renamed or removed.
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=32, choices=Action.choices, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    target_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    address = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("审计日志不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计日志不可删除")

    def detail_text(self) -> str:
        return "；".join(f"{key}：{value}" for key, value in self.detail.items())
