"""Operations after naming (DOMAIN §9; 嘉兴 二(五)13–15, 绍兴2023 三(三), 绍兴2019 二(五)): a named
community's operators, its 运营方案 (the project's operation_plan attachments), yearly operating
reports and 运营基金 inflows, kept as one dossier (`dossier`, the one reading for page and API),
which the 县域/街道全域 acceptance reads (绍兴2023 二(三) “有效运营”)."""

import re
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, DecimalField, Max, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from communities.models import Office
from communities.permissions import office_of, street_office_of
from portal.errors import Conflict
from portal.notifications import notify
from portal.permissions import ALLOWED, Decision, require
from projects.models import Attachment, CreationProject, Status
from supervision import inputs
from supervision.inspections import store_files, today
from supervision.models import FundInflow, OperatingReport, Operator

MONEY = re.compile(r"^\d{1,13}(\.\d{1,2})?$", re.ASCII)
BASIS = {"operator": ("嘉兴 二(五)14 培育引入综合集成运营商、专项服务运营商；"
                     "绍兴2023 三(三) 邀请招标、评定分离确定综合集成运营商"),
         "plan": "嘉兴 二(五)13 一体化运营机制；绍兴2023 三(三) 公共服务设施配置和运营方案",
         "fund": "绍兴2019 二(五) 试点项目建设盈余资金按一定比例纳入社区运营基金（比例文件未规定，按实际到账记录）"}
OPERATED = (Status.NAMED,)
INBOX_EVENTS = {"operator_recorded": "运营商登记", "operating_report_filed": "年度运营报告",
                "fund_inflow_recorded": "运营基金到账"}


def can_record(user, project) -> Decision:
    """The implementing street or the district 风貌办 keeps a named community's operations dossier."""
    if project.status not in OPERATED:
        return False, "运营档案自命名后建立"
    office = office_of(user)
    if street_office_of(user, project.street_id):
        return ALLOWED
    if office and office.kind == Office.Kind.DISTRICT_TOWNSCAPE and office.region_id == project.street.parent_id:
        return ALLOWED
    return False, "运营档案由项目所在街道或区县（市）风貌办填写"


def _money(data, field, label, required=True):
    value = data.get(field)
    if value in (None, ""):
        if required:
            inputs.refuse(field, f"请填写{label}")
        return None
    text = str(value).strip().replace(",", "")
    if not MONEY.match(text):
        inputs.refuse(field, f"{label}须为不超过两位小数的非负金额（半角数字，单位：元）")
    return Decimal(text)


def _count(data, field, label):
    value = data.get(field)
    if value in (None, ""):
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) > 10**9:
        inputs.refuse(field, f"{label}须为非负整数（半角数字）")
    return int(text)


def _district(project):
    return Office.objects.filter(kind=Office.Kind.DISTRICT_TOWNSCAPE, region_id=project.street.parent_id)


def _tell_district(project, user, title, event):
    if office_of(user) and office_of(user).kind == Office.Kind.STREET:
        notify(event, project=project, link=reverse("supervision:operations", args=[project.pk]),
               link_label=project.display_name, offices=_district(project), title=title,
               body=f"{user.office.name}更新了{project.display_name}的运营档案。")


@transaction.atomic
def add_operator(user, project, data: dict) -> Operator:
    require(can_record(user, project))
    kind = data.get("kind")
    if kind not in Operator.Kind.values:
        inputs.refuse("kind", "请选择运营商类型")
    selection = data.get("selection")
    if selection not in Operator.Selection.values:
        inputs.refuse("selection", "请选择确定方式")
    start = inputs.date(data, "contract_from", "运营期起", required=False)
    end = inputs.date(data, "contract_to", "运营期止", required=False)
    if start and end and end < start:
        inputs.refuse("contract_to", "运营期止不能早于运营期起")
    operator = Operator.objects.create(
        project=project, kind=kind, selection=selection, contract_from=start, contract_to=end,
        name=inputs.text(data, "name", "运营商名称", max_length=120),
        services=inputs.text(data, "services", "运营服务", max_length=200, required=False), recorded_by=user)
    _tell_district(project, user, f"【运营】{project.display_name} 登记{operator.get_kind_display()}：{operator.name}",
                   "operator_recorded")
    return operator


@transaction.atomic
def file_report(user, project, data: dict, attachment=None) -> OperatingReport:
    require(can_record(user, project))
    year = _count(data, "year", "年度")
    if year is None or not (project.named_on and project.named_on.year <= year <= today().year):
        inputs.refuse("year", f"年度须在命名年度与今年之间（{project.named_on.year if project.named_on else '—'}"
                              f"–{today().year}）")
    summary = inputs.text(data, "summary", "运营情况", max_length=4000)
    files = store_files(user, project, Attachment.Kind.OTHER, [attachment] if attachment else [], "attachment")
    try:
        with transaction.atomic():
            report = OperatingReport.objects.create(
                project=project, year=year, summary=summary, residents_served=_count(data, "residents_served",
                                                                                     "服务居民人次"),
                revenue=_money(data, "revenue", "运营收入", required=False),
                attachment=files[0] if files else None, recorded_by=user)
    except IntegrityError:
        raise Conflict(f"{year}年度运营报告已报送") from None
    _tell_district(project, user, f"【运营】{project.display_name} 报送{year}年度运营报告", "operating_report_filed")
    return report


@transaction.atomic
def add_inflow(user, project, data: dict) -> FundInflow:
    require(can_record(user, project))
    source = data.get("source")
    if source not in FundInflow.Source.values:
        inputs.refuse("source", "请选择资金来源")
    received = inputs.date(data, "received_on", "到账日期")
    inputs.not_after(received, "received_on", "到账日期", today())
    amount = _money(data, "amount", "金额")
    if amount == 0:
        inputs.refuse("amount", "金额应大于0")
    inflow = FundInflow.objects.create(project=project, received_on=received, amount=amount, source=source,
                                       note=inputs.text(data, "note", "说明", max_length=200, required=False),
                                       recorded_by=user)
    _tell_district(project, user, f"【运营基金】{project.display_name} 到账 {amount:,.2f} 元", "fund_inflow_recorded")
    return inflow


def dossier(project) -> dict:
    """A named community's operations dossier: who runs it, how chosen, plans, reports, fund."""
    inflows = list(project.fund_inflows.all())
    return {
        "operators": list(project.operators.all()),
        "plans": list(project.attachments.filter(kind__in=[Attachment.Kind.OPERATION_PLAN,
                                                            Attachment.Kind.PUBLIC_SERVICE_PLAN])),
        "reports": list(project.operating_reports.select_related("attachment")),
        "inflows": inflows,
        "fund_total": sum((i.amount for i in inflows), Decimal("0.00")),
        "has_comprehensive": any(o.kind == Operator.Kind.COMPREHENSIVE for o in project.operators.all()),
        "basis": BASIS,
    }


def operated_rows(user, params=None):
    """Named projects in scope with their operations figures (the list page and its export)."""
    return (CreationProject.objects.visible_to(user).filter(status__in=OPERATED)
            .select_related("community", "street")
            .annotate(operator_count=Count("operators", distinct=True),
                      comprehensive=Count("operators", filter=Q(operators__kind=Operator.Kind.COMPREHENSIVE),
                                          distinct=True),
                      last_report=Max("operating_reports__year"),
                      fund_total=Subquery(FundInflow.objects.filter(project=OuterRef("pk")).order_by()
                                          .values("project").annotate(total=Sum("amount")).values("total"),
                                          output_field=DecimalField(max_digits=16, decimal_places=2))))
