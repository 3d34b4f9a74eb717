"""Project pages. Thin: scope through communities.scope, changes through projects.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.regions import region_filter
from communities.scope import get_visible_or_404
from portal import confirm
from portal.errors import InvalidTransition, ProjectError
from portal.filters import Filtering
from portal.listing import Col, ListSpec, attr, export_response, sorted_page
from portal.pagecontrols import PAGE_SIZES, kept, page_size, selected_ids
from portal.paging import DeferredRows
from portal.permissions import require_page
from portal.validators import ascii_int
from projects import attachments, corrections, counts, permissions, reports, selectors, services, submitted, workflow
from projects.forms import PROJECT_FIELDS, ActionForm, AttachmentForm, ProjectForm, SpendingForm
from projects.models import (
    SCENARIOS,
    Attachment,
    CreationProject,
    ReportCorrection,
    SpendingCorrection,
    SpendingRecord,
    Status,
)
from projects.spending import effective_rows


def _project(request, pk):
    return get_visible_or_404(CreationProject.objects.for_list().select_related("policy_version"),
                              request.user, pk=pk)


def _fail(request, form, exc: ProjectError):
    """Show a service error next to its fields (or on top), keeping what the user typed."""
    placed = False
    if form is not None:
        for field, message in exc.fields.items():
            if field in form.fields:
                form.add_error(field, message)
                placed = True
    if not placed:
        messages.error(request, exc.message)


@login_required
def project_list(request):
    require_page(permissions.can_view_project_list(request.user))
    regions = region_filter(request.user, request.GET)
    projects, filters = selectors.project_list(request.user, request.GET)
    rows = DeferredRows(projects, known_count=counts.list_count(request.user, filters))
    page = Paginator(rows, page_size(request.GET, "size", 50)).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {
        "page": page, "filters": filters, "statuses": Status.choices, "regions": regions,
        "offset": page.start_index() - 1 if page.paginator.count else 0, "sizes": PAGE_SIZES,
        "keep": kept(request.GET, "page", "size"),
        "tiers": CreationProject.Tier.choices, "categories": CreationProject.Category.choices,
        "sort": request.GET.get("sort", ""),
        "can_create": permissions.can_create_project(request.user)[0],
        "export_links": [
            {"label": "导出台账（Excel）", "url": reverse("portal:export", args=["ledger"])},
            {"label": "导出逾期预警清单", "url": reverse("portal:export", args=["overdue"])},
        ],
    })


REVIEW_STATUSES = [(value, label) for value, label in Status.choices if value in selectors.REVIEW_STATUSES]


def review_rows(user, params, shown: dict | None = None):
    """The projects waiting for `user`'s review (selectors.review_queue), filtered by keyword,
    status and street (`shown`, when given, receives the filters applied)."""
    return (Filtering(selectors.review_queue(user), params, shown)
            .text("q", "name", "community__name")
            .exact("status", "status", [value for value, _ in REVIEW_STATUSES])
            .exact("district", "street__parent__code")
            .exact("street", "street__code")).queryset


REVIEW_QUEUE = ListSpec("待审核项目", (
    Col("项目", attr("display_name"), key="community", order=("community__name", "name"), width=30),
    Col("街道", attr("street.name"), key="street", order=("street__path",)),
    Col("区县", attr("street.parent.name"), key="district", order=("street__parent__path",)),
    Col("状态", attr("get_status_display"), key="status", width=12),
    Col("当前环节", attr("step.label"), width=20),
    Col("创建年度", attr("batch_year"), key="batch_year", kind="year", width=8),
    Col("更新时间", attr("updated_at"), key="updated", order=("updated_at",), kind="datetime", width=18),
), default="updated", tiebreak="id", export="projects:review_queue", rows=review_rows,
   can_export=permissions.can_view_review_queue)
BATCH_ACTIONS = ("approve", "return")


def may_batch(user, project) -> bool:
    """A review-queue row carries a checkbox when the user may take a batch move on it (the
    same permission function as the single action on the project page)."""
    return any(permissions.can_act(user, project, action)[0] for action in BATCH_ACTIONS)


@login_required
def review_queue(request, fmt=None):
    require_page(permissions.can_view_review_queue(request.user))
    regions = region_filter(request.user, request.GET)
    if fmt:
        return export_response(request, REVIEW_QUEUE, fmt)
    shown = {}
    rows = review_rows(request.user, request.GET, shown)
    listing = sorted_page(request, rows, REVIEW_QUEUE)
    return render(request, "projects/review_queue.html", {
        "listing": listing, "filters": shown, "statuses": REVIEW_STATUSES, "regions": regions,
        "rows": [(p, may_batch(request.user, p)) for p in listing.page]})


@login_required
@require_POST
def review_batch(request):
    """批量审核通过 / 退回 from the review queue: each selected project goes through the same
    move (services.perform_action) and permission function as the single action; rows the
    user may not act on are refused and named, the others still move. Out of scope is 404."""
    require_page(permissions.can_view_review_queue(request.user))
    action = request.POST.get("action", "")
    back = reverse("projects:review_queue") + _safe_query(request.POST.get("query", ""))
    ids = selected_ids(request.POST)
    form = ActionForm({"action": action or "-", "comment": request.POST.get("comment", "")})
    if not form.is_valid():  # the single action's own form: length, NUL characters
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
        return redirect(back)
    comment = form.cleaned_data["comment"].strip()
    if action not in BATCH_ACTIONS:
        messages.error(request, "请选择批量操作（审核通过或退回修改）")
        return redirect(back)
    if not ids:
        messages.error(request, "请至少勾选一个项目")
        return redirect(back)
    if action == "return" and not comment:
        messages.error(request, "批量退回必须填写退回意见")
        return redirect(back)
    projects = list(CreationProject.objects.visible_to(request.user).for_list().filter(pk__in=ids))
    if len(projects) != len(set(ids)):
        raise Http404("所选项目不存在或不在您的数据权限范围内")
    done, refused = [], []
    for project in projects:
        allowed, reason = permissions.can_act(request.user, project, action)
        if not allowed:
            refused.append(f"{project.display_name}：{reason}")
            continue
        try:
            services.perform_action(project, request.user, action, {"comment": comment} if comment else {})
        except ProjectError as exc:
            refused.append(f"{project.display_name}：{exc.message}")
        else:
            done.append(project)
    label = workflow.ACTIONS[action][0]
    if done:
        messages.success(request, f"已批量{label} {len(done)} 个项目。")
    if refused:
        messages.error(request, f"{len(refused)} 个项目未处理：" + "；".join(refused))
    return redirect(back)


def _safe_query(query: str) -> str:
    """The queue's filters to return to (a query string only, never another address)."""
    return f"?{query}" if query and "//" not in query and not query.startswith(("/", "?")) else ""


@login_required
def project_create(request):
    require_page(permissions.can_create_project(request.user))
    form = ProjectForm(request.POST or None, user=request.user,
                       initial={"community": request.GET.get("community")})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, form.cleaned_data["community"],
                                              **form.cleaned_project_data())
        except ProjectError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, "项目已保存为草稿。")
            return redirect("projects:detail", project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request, pk):
    project = _project(request, pk)
    require_page(permissions.can_edit_project(request.user, project))
    form = ProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(request.user, CreationProject.objects.get(pk=pk),
                                    **form.cleaned_project_data())
        except ProjectError as exc:
            _fail(request, form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("projects:detail", pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project})


PRECHECK_NEEDS = ("community", "tier", "category")


@login_required
def project_prechecks(request):
    """Live pre-checks for the application form (htmx): the rules run on what is typed —
    services.prechecks, the computation the project page, the API and simulate_policy share.
    On the edit form (`?project=<id>`) the project itself is not its own open application."""
    instance = _project(request, request.GET["project"]) if request.GET.get("project") else None
    if instance is not None and not permissions.can_edit_project(request.user, instance)[0]:
        instance = None
    data = request.POST.copy()
    for key, _ in SCENARIOS:  # the checks do not depend on the scenarios
        data.setdefault(f"scenario_{key}", "standard")
    form = ProjectForm(data, instance=instance, user=request.user)
    form.is_valid()
    cleaned = form.cleaned_data
    checks, problem, notes = [], "", []
    missing = [str(form.fields[name].label) for name in PRECHECK_NEEDS if not cleaned.get(name)]
    if missing:
        problem = f"请先填写{'、'.join(missing)}，预审结果随填写自动更新。"
    else:
        fields = {name: cleaned[name] for name in PROJECT_FIELDS if name in cleaned}
        draft = CreationProject(pk=instance.pk if instance else None, community=cleaned["community"],
                                street=cleaned["community"].street,
                                status=instance.status if instance else Status.DRAFT, **fields)
        try:
            services.bind_policy(draft, services.today())
            checks = services.prechecks(draft)
        except ProjectError as exc:
            problem = exc.message
        else:
            notes.append(f"适用政策：{draft.policy.display_name}")
            notes += [f"{note.message}（依据：{note.basis}）" for note in services.policy_notes(draft)]
        wrong = [str(form.fields[name].label) for name in form.errors if name in form.fields]
        if wrong:
            notes.append(f"以下内容有误，预审按其余内容计算：{'、'.join(wrong)}")
    return render(request, "projects/_prechecks.html",
                  {"checks": checks, "problem": problem, "notes": notes})


def _extra_panels(project, user):
    from django.apps import apps

    panels = []
    for config in apps.get_app_configs():
        if hasattr(config, "project_panels"):
            panels.extend(config.project_panels(project, user))
    return panels


SPENDING_ACTIONS = {"finalise_spending"}


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    user = request.user
    allowed, blocked = services.available_actions(project, user)
    return render(request, "projects/project_detail.html", {
        "project": project,
        "step": workflow.current_step(project),
        # 确认支出决算 is offered beside the spending it settles, not among the review actions
        "actions": [{**a, "form": ActionForm(initial={"action": a["action"]}),
                     "irreversible": a["action"] in workflow.IRREVERSIBLE} for a in allowed
                    if a["action"] not in SPENDING_ACTIONS],
        "blocked": [b for b in blocked if b["action"] not in SPENDING_ACTIONS],
        "can_finalise_spending": any(a["action"] == "finalise_spending" for a in allowed),
        "prechecks": services.prechecks(project),
        "policy_notes": services.policy_notes(project),
        "history": project.transitions.select_related("actor", "office"),
        "attachments": project.attachments.select_related("uploaded_by"),
        "monthly_reports": [(r, reports.report_locked(project, r.month)) for r in project.monthly_reports.all()],
        "corrections": ReportCorrection.objects.filter(report__project=project).select_related(
            "report", "requested_by", "decided_by"),
        "can_request_correction": permissions.can_request_report_correction(user, project)[0],
        "can_decide_corrections": permissions.can_decide_report_correction(user, project)[0],
        "spending": effective_rows(project=project).prefetch_related("corrections"),
        "can_decide_correction": permissions.can_decide_spending_correction(user, project)[0],
        "rectifications": project.rectification_orders.all(),
        "facts": submitted.rows(submitted.submitted_facts(project)),
        # the reviewer's question while a resubmission waits: what changed since it was returned
        "resubmission": (submitted.resubmission_changes(project)
                         if project.status in (Status.SUBMITTED, Status.IN_REVIEW) else None),
        "can_upload": permissions.can_upload_attachment(user, project)[0],
        "can_report": permissions.can_add_monthly_report(user, project)[0],
        "can_add_spending": permissions.can_add_spending(user, project)[0],
        "editable": (permissions.can_edit_project(user, project)[0]
                     and project.status in services.EDITABLE_STATUSES),
        "attachment_form": AttachmentForm(),
        "spending_form": SpendingForm(),
        "panels": _extra_panels(project, request.user),
    })


@login_required
def project_act(request, pk):
    project = _project(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
        return redirect("projects:detail", pk)
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    action = data.pop("action")
    if action in workflow.IRREVERSIBLE and not confirm.confirmed(request):
        try:  # the same checks as the move itself: a missing comment is said now, not after confirming
            move, cleaned = services.check_action(project, request.user, action, data)
        except ProjectError as exc:
            messages.error(request, exc.message)
            return redirect("projects:detail", pk)
        return confirm.confirmation_page(
            request, title=f"确认{move.label}", cancel_url=reverse("projects:detail", args=[pk]),
            question=f"确认对“{project.display_name}”执行“{move.label}”？此操作不可撤销。",
            details=[(ActionForm.base_fields[name].label, value) for name, value in cleaned.items() if value])
    try:
        services.perform_action(project, request.user, action, data)
    except ProjectError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已执行“{workflow.ACTIONS[action][0]}”。")
    return redirect("projects:detail", pk)


@login_required
def spending_add(request, pk):
    project = _project(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = SpendingForm(request.POST)
    if form.is_valid():
        try:
            record = reports.record_spending(request.user, project, **form.cleaned_data)
            if record.duplicate:
                messages.info(request, "该笔支出已录入，重复提交未再录入。")
            else:
                messages.success(request, "实际支出已录入。")
        except ProjectError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("projects:detail", pk)


def _spending_record(request, pk, record):
    project = _project(request, pk)  # scope first: out of scope is 404 whatever the method
    return project, get_object_or_404(SpendingRecord.objects.select_related("project__street"), pk=record,
                                      project=project)


@login_required
def spending_correct(request, pk, record):
    """The street asks for a correction of one spending row (new amount, reason)."""
    _, row = _spending_record(request, pk, record)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        corrections.request_correction(request.user, row, amount=request.POST.get("amount"),
                                       reason=request.POST.get("reason"))
        messages.success(request, "更正申请已提交，待区县风貌办审核。")
    except ProjectError as exc:
        messages.error(request, exc.message)
    return redirect("projects:detail", pk)


@login_required
def spending_decide(request, pk, record):
    """The district approves or rejects the pending correction of one spending row."""
    _, row = _spending_record(request, pk, record)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    pending = row.corrections.filter(state=SpendingCorrection.State.PENDING).first()
    try:
        if pending is None:
            raise InvalidTransition("该笔支出没有待审核的更正")
        corrections.decide_correction(request.user, pending, approve=request.POST.get("decision") == "approve",
                                      comment=request.POST.get("comment", ""))
        messages.success(request, "已审核实际支出更正。")
    except ProjectError as exc:
        messages.error(request, exc.message)
    return redirect("projects:detail", pk)


@login_required
def spending_finalise(request, pk):
    project = _project(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not confirm.confirmed(request):
        try:  # who may and whether the state allows it are said now, not after confirming
            services.check_action(project, request.user, "finalise_spending", {})
        except ProjectError as exc:
            messages.error(request, exc.message)
            return redirect("projects:detail", pk)
        return confirm.confirmation_page(
            request, title="确认支出决算", cancel_url=reverse("projects:detail", args=[pk]),
            question=f"确认“{project.display_name}”的实际支出已全部录入并决算？确认后不能再录入，此操作不可撤销。",
            details=[("实际支出合计（元）", f"{services.spending_total(project):,.2f}")])
    try:
        reports.finalise_spending(request.user, project)
        messages.success(request, "已确认实际支出决算。")
    except ProjectError as exc:
        messages.error(request, exc.message)
    return redirect("projects:detail", pk)


@login_required
def attachment_upload(request, pk):
    project = _project(request, pk)  # scope first: out of scope is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachments.add_attachment(request.user, project, form.cleaned_data["kind"],
                                       form.cleaned_data["file"])
            messages.success(request, "附件已上传。")
        except ProjectError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, "；".join(f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()))
    return redirect("projects:detail", pk)


@login_required
def attachment_download(request, pk):
    attachment = get_visible_or_404(Attachment.objects, request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件缺失，请联系管理员") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@login_required
def what_if(request):
    """What-if calculator (政策模拟) over the same computation as simulate_policy, shown with
    the settlement statement's labels, amounts and explanation lines (policies RulingLine)."""
    from communities.models import Region
    from policies import POLICIES
    from policies.base import PAYER_LABELS, PAYMENT_KIND_LABELS, TIER_LABELS, FactsError
    from projects.simulation import explain_with_parameters

    facts = {k: v for k, v in request.GET.items() if v != ""}
    simulation, error = None, None
    if facts:
        data = dict(facts)
        for key in ("involves_demolition", "involves_relocation"):
            data[key] = data.get(key) == "on"
        if "task_year" in data:
            data["task_year"] = ascii_int(data["task_year"]) or data["task_year"]  # else the facts name it
        try:
            simulation = explain_with_parameters(data)
        except FactsError as exc:
            error = exc
    prefixes = tuple(prefix for policy in POLICIES.values() for prefix in policy.jurisdiction)
    districts = [(r.code, f"{r.parent.name}{r.name}") for r in
                 Region.objects.filter(level=Region.Level.DISTRICT, is_active=True)
                 .select_related("parent").order_by("code") if r.code and r.code.startswith(prefixes)]
    payments = []
    if simulation and simulation.subsidy:
        payments = [{"kind": PAYMENT_KIND_LABELS[p.kind], "amount": p.amount,
                     "payer": PAYER_LABELS[p.payer], "due_on": p.due_on, "basis": p.basis}
                    for p in simulation.subsidy.payments]
    return render(request, "projects/what_if.html", {
        "facts": facts, "simulation": simulation, "error": error, "payments": payments,
        "policies": [(code, policy.display_name) for code, policy in POLICIES.items()],
        "districts": districts, "tiers": list(TIER_LABELS.items()),
        "error_label": WHAT_IF_LABELS.get(error.field.split("[")[0].split(".")[0], error.field)
        if error else "",
    })


WHAT_IF_LABELS = {"policy": "政策", "district_code": "区县", "tier": "创建级别", "category": "创建类型",
                  "listed_on": "列入名单日期", "task_year": "任务年度", "accepted_on": "验收通过日期",
                  "named_on": "命名日期", "spent": "实际支出", "facts": "输入"}
