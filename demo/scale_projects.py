"""Communities, projects and their transitions (demo.scale_seed): each status reached through
the real workflow table, dated by phase relative to ANCHOR, one random.Random consumed in a
fixed order."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random

from communities.models import Community, Region
from demo.scale_loader import Writer, _next_id, _optional_model
from demo.scale_plan import (
    ANCHOR,
    CHUNK_PROJECTS,
    COMMUNITY_NOTE,
    EARLIEST,
    NAME_CHARS,
    SYNTHETIC,
    _at,
    _between,
    _int,
    _money,
)
from demo.scale_records import monthly_reports, spending
from policies import policy_in_force
from projects import workflow
from projects.models import CreationProject, MonthlyReport, PolicyVersion, SpendingRecord, Status, Transition

S = Status
# Final status mix: ≈ 3.4 transitions per project on average (≈ 1,000,000 at nation scale).
STATUS_WEIGHTS = {
    S.RESERVE: 22, S.DRAFT: 12, S.SUBMITTED: 4, S.IN_REVIEW: 4, S.RETURNED: 3, S.REJECTED: 3,
    S.WITHDRAWN: 4, S.LISTED: 20, S.ACCEPTANCE_REQUESTED: 3, S.ACCEPTANCE_REVIEW: 3,
    S.RECTIFYING: 2, S.TERMINATED: 3, S.ACCEPTED: 6, S.NAMED: 7,
}
LISTED_EVER = {S.LISTED, S.ACCEPTANCE_REQUESTED, S.ACCEPTANCE_REVIEW, S.RECTIFYING, S.TERMINATED,
               S.ACCEPTED, S.NAMED}
SIDE_EXITS = {S.RETURNED: (S.SUBMITTED, "return"), S.REJECTED: (S.SUBMITTED, "reject"),
              S.WITHDRAWN: (S.DRAFT, "withdraw"), S.RECTIFYING: (S.ACCEPTANCE_REQUESTED, "issue_rectification"),
              S.TERMINATED: (S.LISTED, "terminate")}
FORWARD = ("submit", "approve", "record_listing", "request_acceptance", "record_acceptance", "record_naming")
STATUSES = list(STATUS_WEIGHTS)
STATUS_CUMULATIVE = list(itertools.accumulate(STATUS_WEIGHTS.values()))
PHASE_DATES = {"record_listing": "listing", "request_acceptance": "request", "record_acceptance": "acceptance",
               "record_naming": "naming", "issue_rectification": "rectify"}
DECISIONS = {"record_listing": "listing", "record_acceptance": "acceptance", "record_naming": "naming"}
RESERVE_STAGES = ("planning", "reserve", "starting", "mature")
COMMENTS = {"create": "创建项目", "return": "请补充完善申报材料后重新提交", "reject": "不符合申报条件，本批次不予通过",
            "terminate": "实施主体变更，项目终止", "issue_rectification": "验收发现问题，请限期整改"}
BUILT_PERIODS = tuple(Community.BuiltPeriod.values)


# ---------------------------------------------------------------- workflow paths


class Paths:
    """The transitions that take a project to each status, walked once per policy version,
    tier and target through the real workflow table (projects.workflow), never per project."""

    def __init__(self):
        self.cache = {}

    def get(self, version: PolicyVersion, tier: str, target: str):
        key = (version.pk, tier, target)
        if key not in self.cache:
            self.cache[key] = self._walk(version, tier, target)
        return self.cache[key]

    @staticmethod
    def _walk(version, tier, target):
        project = CreationProject(tier=tier, category="renovation", policy_code=version.policy_code,
                                  policy_version=version,
                                  status=S.RESERVE if target == S.RESERVE else S.DRAFT)
        steps = [("create", "创建项目", "", "", project.status, "street", "create")]
        goal, side = SIDE_EXITS.get(target, (target, None))

        def take(move):
            step = workflow.current_step(project)
            phase = move.action
            if move.action == "approve":
                phase = "app_review" if project.status in (S.SUBMITTED, S.IN_REVIEW) else "acc_review"
            steps.append((move.action, move.label, step.label if step else "", project.status,
                          move.to_status, move.office_level, phase))
            project.status, project.review_step = move.to_status, move.to_step

        for _ in range(20):
            if project.status == goal:
                break
            take(next(m for m in workflow.moves(project) if m.action in FORWARD))
        else:
            raise RuntimeError(f"no path to {target} under {version}")
        if side:
            take(next(m for m in workflow.moves(project) if m.action == side))
        counts = {phase: sum(1 for step in steps if step[-1] == phase) for phase in ("app_review", "acc_review")}
        return steps, project.status, project.review_step, counts


def _timeline(rng: random.Random, target: str, earliest: dt.date) -> dict[str, dt.date]:
    """The dates of the phases a project went through, all on or before ANCHOR."""
    day = dt.timedelta(days=1)
    d: dict[str, dt.date] = {}
    if target in LISTED_EVER:
        latest_listing = {S.LISTED: 15, S.TERMINATED: 100, S.ACCEPTED: 300, S.NAMED: 400}.get(target, 200)
        oldest = {S.LISTED: 1100, S.TERMINATED: 1100, S.ACCEPTED: 1600, S.NAMED: 1600}.get(target, 1400)
        listed = _between(rng, max(earliest + 250 * day, ANCHOR - oldest * day), ANCHOR - latest_listing * day)
        d["listing"] = listed
        d["create"] = listed - _int(rng, 60, 240) * day
        d["submit"] = d["create"] + _int(rng, 3, 40) * day
        d["app_end"] = listed
        if target == S.TERMINATED:
            d["terminate"] = _between(rng, listed + 60 * day, ANCHOR - day)
        elif target != S.LISTED:
            last_request = ANCHOR - (60 if target in (S.ACCEPTED, S.NAMED) else 5) * day
            if target == S.NAMED:
                last_request = ANCHOR - 100 * day
            d["request"] = _between(rng, listed + 180 * day, last_request)
            d["rectify"] = _between(rng, d["request"] + day, min(d["request"] + 30 * day, ANCHOR))
            d["acc_end"] = ANCHOR
            if target in (S.ACCEPTED, S.NAMED):
                accepted = _between(rng, d["request"] + 20 * day, min(d["request"] + 120 * day, ANCHOR - day))
                d["acceptance"] = d["acc_end"] = accepted
                if target == S.NAMED:
                    d["naming"] = _between(rng, accepted + 20 * day, min(accepted + 200 * day, ANCHOR))
    elif target in (S.RESERVE, S.DRAFT):
        d["create"] = _between(rng, max(earliest, ANCHOR - 700 * day), ANCHOR - day)
    else:
        d["create"] = _between(rng, max(earliest, ANCHOR - 500 * day), ANCHOR - 30 * day)
        d["submit"] = d["create"] + _int(rng, 3, 25) * day
        d["app_end"] = ANCHOR
        d["withdraw"] = _between(rng, d["create"] + day, min(d["create"] + 60 * day, ANCHOR))
        d["return"] = d["reject"] = _between(rng, d["submit"] + day, ANCHOR)
    return d


# ---------------------------------------------------------------- the generator


class Generator:
    """Rows of communities and their projects, street by street, buffered per table and written
    through the Writer every CHUNK_PROJECTS projects (ids continue from the tables' maxima)."""

    def __init__(self, rng: random.Random, writer: Writer, actors, paths: Paths):
        self.rng, self.writer, self.actors, self.paths = rng, writer, actors, paths
        self.versions: dict[str, list[PolicyVersion]] = {}
        for version in PolicyVersion.objects.order_by("policy_code", "effective_from"):
            self.versions.setdefault(version.policy_code, []).append(version)
        self.params = {v.pk: v.cleaned_parameters() for vs in self.versions.values() for v in vs}
        self.ids = {m: _next_id(m) for m in (Community, CreationProject, Transition, MonthlyReport,
                                             SpendingRecord)}
        self.orders_model = _optional_model("acceptance", "RectificationOrder")
        if self.orders_model:
            self.ids[self.orders_model] = _next_id(self.orders_model)
        self.buffers: dict[type, list] = {}
        self.names = [f"{a}{b}社区" for a in NAME_CHARS for b in NAME_CHARS if a != b]
        self.created = _at(ANCHOR - dt.timedelta(days=1500), 0)
        self.pending_projects = 0

    def new_id(self, model) -> int:
        value = self.ids[model]
        self.ids[model] = value + 1
        return value

    def row(self, model, row) -> None:
        self.buffers.setdefault(model, []).append(row)

    def _version(self, code: str, on: dt.date) -> PolicyVersion:
        versions = self.versions[code]
        index = bisect.bisect_right([v.effective_from for v in versions], on) - 1
        return versions[max(index, 0)]

    def street(self, street: Region, district: Region, city: Region, model_district: str,
               communities: int, projects_per: list[int], taken_names: set[str]) -> None:
        rng = self.rng
        code_base = 500 if not street.name.endswith(SYNTHETIC) else 1
        chosen = [n for n in rng.sample(self.names, communities + len(taken_names)) if n not in taken_names]
        for index in range(communities):
            community_id = self.new_id(Community)
            households = _int(rng, 600, 4999)
            self.row(Community, (
                community_id, f"{street.code}{code_base + index:03d}" if street.code else None,
                chosen[index], street.id, households, households * _int(rng, 25, 32) // 10,
                _money(_int(rng, 800, 8999)), BUILT_PERIODS[_int(rng, 0, len(BUILT_PERIODS) - 1)],
                rng.random() < 0.15, rng.random() < 0.1, rng.random() < 0.3, COMMUNITY_NOTE, self.created))
            for _ in range(projects_per[index]):
                self.project(community_id, street, district, city, model_district)
        if self.pending_projects >= CHUNK_PROJECTS:
            self.flush()

    def project(self, community_id, street, district, city, model_district):
        rng = self.rng
        target = rng.choices(STATUSES, cum_weights=STATUS_CUMULATIVE)[0]
        earliest = next(v for k, v in EARLIEST.items() if model_district.startswith(k))
        dates = _timeline(rng, target, earliest)
        bound_on = dates.get("listing") or dates.get("submit") or dates["create"]
        policy = policy_in_force(model_district, bound_on)
        version = self._version(policy.code, bound_on)
        tier = policy.tiers[_int(rng, 0, len(policy.tiers) - 1)]
        steps, status, review_step, phase_counts = self.paths.get(version, tier, target)
        category = "renovation" if rng.random() < 0.75 else "new_build"
        demolition = category == "renovation" and rng.random() < 0.2
        relocation = category == "new_build" and rng.random() < 0.3
        investment = _int(rng, 800, 8999) * 1_000_000  # cents
        project_id = self.new_id(CreationProject)
        doc = f"{policy.short_name}未来社区〔%d〕{project_id % 997 + 1}号"
        places = {"street": street.id, "district": district.id, "city": city.id, "leading_group": city.id}

        # Transitions, dated by phase; approvals spread evenly inside their phase.
        seen = {"app_review": 0, "acc_review": 0}
        minutes, comment, rectify, previous = 0, "", None, None
        for action, label, step_label, from_status, to_status, level, phase in steps:
            if phase in seen:
                seen[phase] += 1
                first, last = (dates["submit"], dates["app_end"]) if phase == "app_review" else (
                    dates["request"], dates["acc_end"])
                on = first + (last - first) * seen[phase] // (phase_counts[phase] + 1)
            else:
                on = dates[PHASE_DATES.get(action, phase)]
            if previous and on < previous:
                on = previous
            minutes = minutes + 7 if on == previous else _int(rng, 0, 480)
            previous = on
            office_id, user_id = self.actors[(level, places[level])]
            decision = dates.get(DECISIONS[action]) if action in DECISIONS else None
            comment = COMMENTS.get(action, "")
            details = {}
            if action == "issue_rectification":
                due = on + dt.timedelta(days=_int(rng, 30, 90))
                details = {"due_on": due.isoformat()}
                rectify = (on, due, office_id, user_id)
            self.row(Transition, (
                self.new_id(Transition), project_id, action, label, from_status, to_status, step_label,
                user_id, office_id, _at(on, minutes), comment, doc % decision.year if decision else "",
                decision, details))
        updated = _at(previous, minutes)
        street_user = self.actors[("street", street.id)][1]

        listed_on = dates.get("listing")
        final_comment = comment if status in (S.RETURNED, S.REJECTED, S.TERMINATED, S.RECTIFYING) else ""
        reserve = status == S.RESERVE
        start = (dates["create"] + dt.timedelta(days=_int(rng, 90, 400))).replace(day=1) if reserve else None
        accepted_on, named_on = dates.get("acceptance"), dates.get("naming")
        self.row(CreationProject, (
            project_id, community_id, street.id, tier, category, demolition, relocation,
            ("leading" if rng.random() < 0.3 else "inclusive") if policy.code.startswith("jiaxing") else "",
            (listed_on or dates["create"]).year,
            RESERVE_STAGES[_int(rng, 0, 3)] if reserve else "", street.name, _money(_int(rng, 1000, 8999)),
            _int(rng, 600, 4999), _money(investment), f"{_int(rng, 2000, 59999)}.00", rng.random() < 0.8,
            rng.random() < 0.1, rng.random() < 0.1, start,
            (start + dt.timedelta(days=_int(rng, 300, 900))).replace(day=1) if start else None,
            policy.code, version.pk, status, review_step, len(steps), final_comment,
            listed_on, doc % listed_on.year if listed_on else "",
            dates.get("request") if listed_on and status not in (S.LISTED, S.TERMINATED) else None,
            accepted_on, doc % accepted_on.year if accepted_on else "",
            named_on, doc % named_on.year if named_on else "",
            None, "", status == S.NAMED or (status == S.ACCEPTED and rng.random() < 0.7),
            street_user, _at(dates["create"], 0), updated))
        self.pending_projects += 1

        if listed_on:
            end = accepted_on or dates.get("terminate") or ANCHOR
            monthly_reports(self, project_id, listed_on, end, investment, street_user, version, status)
            if status in (S.ACCEPTED, S.NAMED) or rng.random() < 0.3:
                spending(self, project_id, listed_on, end, investment, street_user)
        if rectify and self.orders_model and status == S.RECTIFYING:
            on, due, office_id, user_id = rectify
            self.row(self.orders_model, (self.new_id(self.orders_model), project_id, user_id, office_id,
                                         _at(on, 30), due, COMMENTS["issue_rectification"]))

    def flush(self) -> None:
        w = self.writer
        w.write(Community, ["id", "code", "name", "street_id", "households", "population", "area_ha",
                            "built_period", "hollow_precast_slabs", "has_villas", "has_neighbourhood_centre",
                            "notes", "created_at"], self.buffers.pop(Community, []))
        w.write(CreationProject, [
            "id", "community_id", "street_id", "tier", "category", "involves_demolition",
            "involves_relocation", "jiaxing_kind", "batch_year", "reserve_stage", "responsible_unit",
            "unit_area_ha", "households", "total_investment", "building_area", "government_funded",
            "changes_land_use", "stock_land_used", "planned_start", "planned_finish", "policy_code",
            "policy_version_id", "status", "review_step", "version", "last_comment", "listed_on",
            "listing_document_no", "acceptance_requested_on", "accepted_on", "acceptance_document_no",
            "named_on", "naming_document_no", "construction_deadline", "construction_deadline_basis",
            "spending_final", "created_by_id", "created_at", "updated_at"], self.buffers.pop(CreationProject, []))
        w.write(Transition, ["id", "project_id", "action", "action_label", "from_status", "to_status",
                             "step_label", "actor_id", "office_id", "at", "comment", "document_no",
                             "decision_date", "details"], self.buffers.pop(Transition, []))
        w.write(MonthlyReport, ["id", "project_id", "month", "progress_percent", "investment_completed",
                                "problems", "next_steps", "submitted_by_id", "submitted_at", "updated_at"],
                self.buffers.pop(MonthlyReport, []))
        w.write(SpendingRecord, ["id", "project_id", "spent_on", "amount", "description", "recorded_by_id",
                                 "recorded_at"], self.buffers.pop(SpendingRecord, []))
        if self.orders_model:
            w.write(self.orders_model, ["id", "project_id", "issued_by_id", "office_id", "issued_at",
                                        "due_on", "requirements"], self.buffers.pop(self.orders_model, []))
        self.pending_projects = 0

