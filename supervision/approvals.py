"""绍兴 旧改 approvals checklist (DOMAIN §9; 绍兴2023 三(四) 优化项目审批) of one project: what the
offices recorded (ApprovalRecord) next to what the policy computes (施工许可, 合并编报, from
policies.shaoxing_2023 through projects.services.prechecks), one row per item with its basis.
`checklist` is the one owner of the rows: the project page, the API and the ledger read it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from communities.models import Office
from communities.permissions import office_of, street_office_of
from policies.base import Facts
from portal.errors import Conflict
from portal.permissions import ALLOWED, Decision, require
from projects import services
from projects.facts import core_facts
from projects.models import Attachment
from supervision import inputs
from supervision.inspections import store_files
from supervision.models import ApprovalRecord

POLICY = "shaoxing-2023"
COMPUTED = {"construction_permit_optional", "construction_permit_required", "merge_feasibility"}


@dataclass(frozen=True)
class Row:
    item: str
    state: str  # 已办理 / 待办理 / 无需办理 / 提示
    detail: str
    basis: str


def applies(project) -> bool:
    return project.policy_code == POLICY and project.listed_on is not None


def can_record(user, project) -> Decision:
    """The implementing street, or the district 风貌办 of the project, records the approvals."""
    if not applies(project):
        return False, "审批清单适用于绍兴市（绍政办发〔2023〕21号）已列入创建名单的项目"
    office = office_of(user)
    if street_office_of(user, project.street_id):
        return ALLOWED
    if office and office.kind == Office.Kind.DISTRICT_TOWNSCAPE and office.region_id == project.street.parent_id:
        return ALLOWED
    return False, "审批清单由项目所在街道或区县（市）风貌办填写"


def computed_rulings(project) -> dict:
    """施工许可 and 合并编报 as the policy rules them (绍兴2023 三(四)2, 4) from the project's own
    columns (no query: the ledger computes them for every row)."""
    facts = Facts(**core_facts(project), total_investment=project.total_investment,
                  building_area=project.building_area, government_funded=project.government_funded,
                  changes_land_use=project.changes_land_use)
    return {c.code: c for c in project.policy.prechecks(facts, project.parameters()) if c.code in COMPUTED}


def checklist(project, record: ApprovalRecord | None = None) -> list[Row]:
    """The rows of `project` (`record`: its ApprovalRecord when the caller has it, e.g. a list)."""
    if not applies(project):
        return []
    if record is None:
        record = ApprovalRecord.objects.filter(project=project).first()
    computed = computed_rulings(project)
    rows = []
    if project.category == "renovation":
        rows += _renovation(project, record, computed)
    else:
        filed = record and record.new_build_filed_on
        rows.append(Row("新建类方案备案", "已办理" if filed else "待办理",
                        f"{record.new_build_filed_on} 备案，文号 {record.new_build_filing_no or '—'}" if filed
                        else "方案由街道报现代社区领导小组办公室备案", "绍兴2023 三(四)"))
    return rows


def _renovation(project, record, computed) -> list[Row]:
    rows = []
    joint = "绍兴2023 三(四)1 联合审查会商"
    if record and record.joint_review_on:
        present = (("会议纪要", record.minutes_id), ("审查部门", record.joint_review_departments),
                   ("居民代表", record.residents_present))
        missing = [label for label, ok in present if not ok]
        detail = (f"{record.joint_review_on}；部门：{record.joint_review_departments or '—'}；"
                  f"会商单位：{record.joint_review_utilities or '—'}；居民代表 {record.residents_present or 0} 人")
        rows.append(Row("联合审查会商", "待补充" if missing else "已办理",
                        detail + (f"；缺：{'、'.join(missing)}" if missing else ""), joint))
    else:
        rows.append(Row("联合审查会商", "待办理",
                        "由建设部门召集相关部门、公用事业单位及居民代表联合审查会商，出具会议纪要", joint))
    merge = computed.get("merge_feasibility")
    setup = "绍兴2023 三(四)2 项目立项（公布的名单可作为申请立项和项目赋码的依据）"
    if record and record.approval_mode:
        detail = f"{record.get_approval_mode_display()}；文号 {record.approval_document_no or '—'}；项目代码 " \
                 f"{record.project_code or '—'}"
        state = "已办理"
        if record.approval_mode == ApprovalRecord.Approval.MERGED and merge is None:
            state, detail = "提示", detail + "；本项目未满足合并编报条件（政府投资、2000万元以下、不改变用地等）"
        if record.approval_mode == ApprovalRecord.Approval.FILING and project.government_funded:
            state, detail = "提示", detail + "；备案制适用于企业利用自有资金建设的项目"
        rows.append(Row("项目立项", state, detail, setup))
    else:
        hint = ("企业利用自有资金建设，采用备案制管理" if project.government_funded is False
                else merge.message if merge else "按政府投资项目审批立项")
        rows.append(Row("项目立项", "待办理", hint, setup if not merge else merge.basis))
    planning = "绍兴2023 三(四)3 规划许可（由自然资源和规划部门在联合审查意见中明确）"
    if record and record.planning_permit_exempt is not None:
        rows.append(Row("建设工程规划许可", "无需办理" if record.planning_permit_exempt else "须办理",
                        "联审意见明确无需办理" if record.planning_permit_exempt else "联审意见未明确免办，按规定办理",
                        planning))
    else:
        rows.append(Row("建设工程规划许可", "待办理", "待联合审查意见明确是否需要办理", planning))
    permit = computed.get("construction_permit_required") or computed.get("construction_permit_optional")
    if permit:
        required = permit.code == "construction_permit_required"
        rows.append(Row("施工许可", "须办理" if required else "可不办理", permit.message, permit.basis))
    else:
        rows.append(Row("施工许可", "待办理", "请填写项目总投资和建筑面积后判断", "绍兴2023 三(四)4 施工许可"))
    return rows


@transaction.atomic
def record(user, project, data: dict, minutes=None) -> ApprovalRecord:
    require(can_record(user, project))
    values = {
        "joint_review_on": inputs.date(data, "joint_review_on", "联合审查会商日期", required=False),
        "joint_review_departments": inputs.text(data, "joint_review_departments", "参加审查部门", max_length=300,
                                                required=False),
        "joint_review_utilities": inputs.text(data, "joint_review_utilities", "参加会商单位", max_length=300,
                                              required=False),
        "approval_document_no": inputs.text(data, "approval_document_no", "立项（备案）文号", max_length=80,
                                            required=False),
        "project_code": inputs.text(data, "project_code", "项目代码", max_length=40, required=False),
        "new_build_filed_on": inputs.date(data, "new_build_filed_on", "新建类方案备案日期", required=False),
        "new_build_filing_no": inputs.text(data, "new_build_filing_no", "备案文号", max_length=80, required=False),
    }
    for field, label in (("joint_review_on", "联合审查会商日期"), ("new_build_filed_on", "新建类方案备案日期")):
        if values[field]:
            inputs.not_after(values[field], field, label, services.today())
    residents = data.get("residents_present")
    if residents in (None, ""):
        values["residents_present"] = None
    else:
        text = str(residents)
        if not (text.isascii() and text.isdigit()) or int(text) > 10000:
            inputs.refuse("residents_present", "到会居民代表人数须为0至10000的整数（半角数字）")
        values["residents_present"] = int(text)
    mode = data.get("approval_mode") or ""
    if mode not in ("", *ApprovalRecord.Approval.values):
        inputs.refuse("approval_mode", "立项方式不正确")
    values["approval_mode"] = mode
    exempt = data.get("planning_permit_exempt")
    values["planning_permit_exempt"] = {"": None, None: None, "yes": True, "no": False, True: True,
                                        False: False}.get(exempt, "bad")
    if values["planning_permit_exempt"] == "bad":
        inputs.refuse("planning_permit_exempt", "规划许可一项请选择：无需办理 / 须办理 / 未明确")
    files = store_files(user, project, Attachment.Kind.MEETING_MINUTES, [minutes] if minutes else [], "minutes")
    if files:
        values["minutes"] = files[0]
    existing = ApprovalRecord.objects.filter(project=project).first()
    if existing is None:
        return ApprovalRecord.objects.create(project=project, updated_by=user, **values)
    expected = data.get("version")
    version = existing.version if expected in (None, "") else str(expected)
    if not (str(version).isascii() and str(version).isdigit()) or int(version) > 2**31:
        inputs.refuse("version", "版本号不正确")
    updated = ApprovalRecord.objects.filter(pk=existing.pk, version=version).update(
        **values, updated_by=user, version=F("version") + 1)
    if updated != 1:
        raise Conflict("审批记录已被他人修改，请刷新后重试")
    return ApprovalRecord.objects.get(pk=existing.pk)
