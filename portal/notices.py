"""通知公告: administrators post notices; every user sees the published ones and which of
them are still unread (per-user read marks)."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone

from portal import compiled
from portal.models import Notice, NoticeRead
from portal.permissions import ALLOWED, Decision

MAX_BODY = 20000


def can_manage_notices(user, obj=None) -> Decision:
    """发布通知公告: administrators only."""
    if getattr(user, "is_portal_admin", False) and user.is_active:
        return ALLOWED
    return False, "通知公告仅系统管理员可以发布和修改"


def can_view_notices(user, obj=None) -> Decision:
    """通知公告: every signed-in user."""
    if getattr(user, "is_authenticated", False):
        return ALLOWED
    return False, "请先登录"


def notices_for(user, today=None):
    """The notices `user` sees (administrators also see those not yet published), each
    annotated `is_read`."""
    today = today or timezone.localdate()
    rows = Notice.objects.all()
    if not can_manage_notices(user)[0]:
        rows = rows.filter(published_on__lte=today)
    return rows.annotate(is_read=Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)))


def unread_notices_query(user, today=None) -> tuple[tuple, object]:
    """(key, build) of the published notices the user has not opened, for portal.compiled."""
    today = today or timezone.localdate()
    return (("unread_notices", user.pk, today),
            lambda: Notice.objects.filter(published_on__lte=today).exclude(reads__user=user))


def unread_notice_count(user, today=None) -> int:
    """Published notices the user has not opened (one query)."""
    return compiled.count(*unread_notices_query(user, today))


def mark_notice_read(user, notice) -> None:
    NoticeRead.objects.get_or_create(notice=notice, user=user)


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["title", "body", "published_on", "pinned"]
        widgets = {
            "title": forms.TextInput(attrs={"class": "form-control"}),
            "body": forms.Textarea(attrs={"class": "form-control", "rows": 8}),
            "published_on": forms.DateInput(attrs={"class": "form-control", "type": "date"}, format="%Y-%m-%d"),
            "pinned": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }

    def clean_title(self):
        return _clean_text(self.cleaned_data["title"], "标题")

    def clean_body(self):
        body = _clean_text(self.cleaned_data["body"], "正文", multiline=True)
        if len(body) > MAX_BODY:
            raise forms.ValidationError(f"正文不能超过{MAX_BODY}字")
        return body

    def clean_published_on(self):
        day = self.cleaned_data["published_on"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError("发布日期应在2000年至2100年之间")
        return day


def _clean_text(value: str, label: str, multiline: bool = False) -> str:
    allowed = "\n\r\t" if multiline else ""
    if any(ord(ch) < 32 and ch not in allowed for ch in value) or "\x7f" in value:
        raise forms.ValidationError(f"{label}含有不可见的控制字符，请删除后重新输入")
    value = value.strip()
    if not value:
        raise forms.ValidationError(f"请填写{label}")
    return value
