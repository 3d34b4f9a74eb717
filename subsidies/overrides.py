"""一事一议 (富阳 五(三) “有特殊情况的实行一事一议”): finance proposes another approved amount
for a project with a reason and a document number; the district office approves or refuses.
An approved override replaces A in the computation (policies.fuyang, Facts.approved_override)
and shows on the statement. Each step is one row of the project's history (Transition)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from communities.models import Office, Region
from communities.permissions import office_of
from policies.parameters import MONEY_TEXT
from portal.errors import Conflict, Forbidden, InvalidInput
from portal.permissions import ALLOWED, Decision
from projects.models import CreationProject, Transition
from projects.signals import project_facts_changed
from subsidies.models import SubsidyOverride

POLICIES = {"fuyang-2021"}  # the only document with 一事一议
BASIS = "富阳 五(三) 有特殊情况的实行一事一议"
LIMIT = Decimal("1000000000.00")


def _district_office(user, project, kinds) -> bool:
    office = office_of(user)
    return bool(office and office.kind in kinds and office.region.level == Region.Level.DISTRICT
                and office.region.code == project.district_code)


def can_request_override(user, project) -> Decision:
    if project.policy_code not in POLICIES:
        return False, "一事一议仅适用于富阳区（富阳 五(三)）"
    if not _district_office(user, project, {Office.Kind.FINANCE}):
        return False, "一事一议核定由区财政局提出"
    return ALLOWED


def can_decide_override(user, override) -> Decision:
    if not _district_office(user, override.project, {Office.Kind.DISTRICT_TOWNSCAPE}):
        return False, "一事一议核定由区领导小组办公室审批"
    return ALLOWED


def _text(value, label, limit) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"请填写{label}", {label: f"请填写{label}"})
    value = value.strip()
    if len(value) > limit or any(ord(ch) < 32 for ch in value):
        raise InvalidInput(f"{label}过长或含有控制字符", {label: f"{label}过长或含有控制字符"})
    return value


def _amount(value) -> Decimal:
    message = "一事一议核定补助应为不超过两位小数的非负金额（元），如 9500000.00"
    if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
        raise InvalidInput(message, {"amount": message})
    text = str(value).strip()
    if not (text.isascii() and MONEY_TEXT.match(text)):  # full-width, superscripts, exponents: refuse
        raise InvalidInput(message, {"amount": message})
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(message, {"amount": message}) from None
    if not amount.is_finite() or amount < 0 or amount > LIMIT or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(message, {"amount": message})
    return amount.quantize(Decimal("0.01"))


def _history(project, user, action, label, comment, document_no=""):
    Transition.objects.create(project=project, action=action, action_label=label,
                              from_status=project.status, to_status=project.status, actor=user,
                              office=user.office, comment=comment, document_no=document_no)


@transaction.atomic
def request_override(user, project: CreationProject, *, amount, reason, document_no) -> SubsidyOverride:
    allowed, why = can_request_override(user, project)
    if not allowed:
        raise Forbidden(why)
    amount = _amount(amount)
    reason = _text(reason, "特殊情况说明", 300)
    document_no = _text(document_no, "文号", 80)
    CreationProject.objects.select_for_update().filter(pk=project.pk).first()  # one open request
    if SubsidyOverride.objects.filter(project=project, state=SubsidyOverride.State.REQUESTED).exists():
        raise Conflict("该项目已有待审批的一事一议核定")
    override = SubsidyOverride.objects.create(project=project, amount=amount, reason=reason,
                                              document_no=document_no, requested_by=user,
                                              requested_at=timezone.now())
    _history(project, user, "subsidy_override_requested", "提出一事一议核定",
             f"一事一议核定补助 {amount:,.2f} 元：{reason}（{BASIS}）", document_no)
    return override


@transaction.atomic
def decide_override(user, override: SubsidyOverride, *, approve: bool, comment: str = "") -> SubsidyOverride:
    allowed, why = can_decide_override(user, override)
    if not allowed:
        raise Forbidden(why)
    comment = comment.strip() if isinstance(comment, str) else ""
    if len(comment) > 300 or any(ord(ch) < 32 for ch in comment):
        raise InvalidInput("审批意见过长或含有控制字符", {"comment": "审批意见过长或含有控制字符"})
    state = SubsidyOverride.State.APPROVED if approve else SubsidyOverride.State.REFUSED
    now = timezone.now()
    changed = SubsidyOverride.objects.filter(pk=override.pk, state=SubsidyOverride.State.REQUESTED).update(
        state=state, decided_by=user, decided_at=now, decision_comment=comment)
    if changed != 1:
        raise Conflict("该一事一议核定已审批，请刷新后查看")
    override.refresh_from_db()
    label = "批准一事一议核定" if approve else "不批准一事一议核定"
    _history(override.project, user, f"subsidy_override_{state}", label,
             f"{label} {override.amount:,.2f} 元" + (f"：{comment}" if comment else ""), override.document_no)
    if approve:
        project_facts_changed.send(sender=CreationProject, project=override.project)
    return override
