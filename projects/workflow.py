"""The workflow table: which office level may take which action in which status and step.

Read from the project's policy chains (policies.*.APPLICATION_CHAINS / ACCEPTANCE_CHAINS),
so the table that drives the buttons (`available_actions`) is the same one that enforces
the API (`projects.services.perform_action`). DOMAIN §3.1, CONTRACTS §5.
"""

from dataclasses import dataclass, field

from projects.models import Status

# action → (label, fields the action requires)
ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "start_application": ("转入申报", ()),
    "submit": ("提交申报", ()),
    "approve": ("审核通过", ()),
    "return": ("退回修改", ("comment",)),
    "reject": ("不予通过", ("comment",)),
    "withdraw": ("撤回", ()),
    "record_listing": ("录入列入创建名单", ("listed_on", "document_no")),
    "request_acceptance": ("申请验收", ()),
    "record_acceptance": ("录入验收通过", ("accepted_on", "document_no")),
    "record_naming": ("录入命名", ("named_on", "document_no")),
    "issue_rectification": ("下发整改单", ("due_on", "comment")),
    "terminate": ("终止项目", ("comment",)),
    "finalise_spending": ("确认支出决算", ()),
}
# Moves that cannot be undone (the history is append-only): the page asks first (data-confirm
# and portal.confirm). 提交 can still be withdrawn, 申请验收 is answered by the reviewers.
IRREVERSIBLE = {"withdraw", "approve", "return", "reject", "record_listing", "record_acceptance",
                "record_naming", "issue_rectification", "terminate", "finalise_spending"}
LEVEL_LABELS = {"street": "街道", "district": "区县（市）风貌办", "city": "市风貌办",
                "leading_group": "领导小组"}

# action → effects registered by the app that owns them (`effect`), run by perform_action in
# the move's transaction, after the transition is recorded and before project_transitioned.
# Each is called as effect(project=, user=, cleaned=, transition=).
EFFECTS: dict[str, list] = {}


def effect(action: str):
    """Register the decorated function as an effect of `action` (once per function)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown workflow action {action!r}")

    def register(function):
        if function not in EFFECTS.setdefault(action, []):
            EFFECTS[action].append(function)
        return function

    return register


def effects_of(action: str) -> list:
    return EFFECTS.get(action, [])


# guard name ("prechecks", "acceptance_prerequisites") → checks registered by the app that owns
# the fact (`prerequisite`): each is called as check(project) -> list[policies.base.Check], and
# its "block" checks refuse the move like the policy's own (projects.services.guard_failures).
PREREQUISITES: dict[str, list] = {}
GUARDS = ("prechecks", "acceptance_prerequisites")


def prerequisite(guard: str):
    """Register the decorated function as a check of `guard` (once per function)."""
    if guard not in GUARDS:
        raise ValueError(f"unknown workflow guard {guard!r}")

    def register(function):
        if function not in PREREQUISITES.setdefault(guard, []):
            PREREQUISITES[guard].append(function)
        return function

    return register


def prerequisites_of(guard: str) -> list:
    return PREREQUISITES.get(guard, [])


@dataclass(frozen=True)
class Move:
    """One row of the table: `action` by `office_level` leads to `to_status` at `to_step`."""

    action: str
    office_level: str
    to_status: str
    to_step: int | None = None
    step_label: str = ""
    guards: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return ACTIONS[self.action][0]

    @property
    def required(self) -> tuple[str, ...]:
        return ACTIONS[self.action][1]


def application_chain(project):
    return project.policy.application_chain(project.tier, project.parameters())


def acceptance_chain(project):
    return project.policy.acceptance_chain(project.tier, project.parameters())


# Which of its policy's chains a project waits on, by status: (statuses, Policy method).
CHAIN_PHASES = (
    ((Status.SUBMITTED, Status.IN_REVIEW), "application_chain"),
    ((Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW, Status.ACCEPTED), "acceptance_chain"),
)


def current_step(project):
    """The chain step the project waits on, or None."""
    if project.review_step is None:
        return None
    method = next((name for statuses, name in CHAIN_PHASES if project.status in statuses), None)
    if method is None:
        return None
    chain = getattr(project.policy, method)(project.tier, project.parameters())
    return chain[project.review_step] if project.review_step < len(chain) else None


def _advance(chain, index, moving_status, done_status):
    """Where approving step `index` leads: the next step, or `done_status` past the end."""
    nxt = index + 1
    if nxt >= len(chain):
        return done_status, None, ""
    return moving_status, nxt, chain[nxt].label


def moves(project) -> list[Move]:
    """Every move the table allows from the project's current status and step."""
    status = project.status
    street = "street"
    if status == Status.RESERVE:
        return [Move("start_application", street, Status.DRAFT),
                Move("withdraw", street, Status.WITHDRAWN)]
    if status in (Status.DRAFT, Status.RETURNED):
        chain = application_chain(project)
        return [Move("submit", street, Status.SUBMITTED, 0, chain[0].label, ("prechecks",)),
                Move("withdraw", street, Status.WITHDRAWN)]
    if status in (Status.SUBMITTED, Status.IN_REVIEW):
        chain = application_chain(project)
        index = project.review_step or 0
        step = chain[index]
        result = []
        if step.action == "review":
            to_status, to_step, label = _advance(chain, index, Status.IN_REVIEW, Status.LISTED)
            result.append(Move("approve", step.office_level, to_status, to_step, label))
        else:
            result.append(Move("record_listing", step.office_level, Status.LISTED))
        result += [Move("return", step.office_level, Status.RETURNED),
                   Move("reject", step.office_level, Status.REJECTED)]
        if status == Status.SUBMITTED:
            result.append(Move("withdraw", street, Status.WITHDRAWN))
        return result
    if status in (Status.LISTED, Status.RECTIFYING):
        chain = acceptance_chain(project)
        return [Move("request_acceptance", street, Status.ACCEPTANCE_REQUESTED, 0, chain[0].label,
                     ("acceptance_prerequisites",)),
                Move("terminate", "district", Status.TERMINATED),
                Move("terminate", "city", Status.TERMINATED)]
    if status in (Status.ACCEPTANCE_REQUESTED, Status.ACCEPTANCE_REVIEW, Status.ACCEPTED):
        chain = acceptance_chain(project)
        index = project.review_step or 0
        step = chain[index]
        if step.action == "review":
            moving = Status.ACCEPTED if status == Status.ACCEPTED else Status.ACCEPTANCE_REVIEW
            to_status, to_step, label = _advance(chain, index, moving, Status.NAMED)
            result = [Move("approve", step.office_level, to_status, to_step, label)]
        elif step.action == "record_acceptance":
            to_status, to_step, label = _advance(chain, index, Status.ACCEPTED, Status.ACCEPTED)
            result = [Move("record_acceptance", step.office_level, to_status, to_step, label)]
        else:  # record_naming
            result = [Move("record_naming", step.office_level, Status.NAMED)]
            if step.decides:  # 审定 (嘉兴 二(二)6): name, return to the street, or refuse
                result += [Move("return", step.office_level, Status.LISTED),
                           Move("reject", step.office_level, Status.REJECTED)]
        if status != Status.ACCEPTED:
            result += [Move("return", step.office_level, Status.LISTED),
                       Move("issue_rectification", step.office_level, Status.RECTIFYING)]
        else:
            result.append(_finalise_spending(project))
        return result
    if status == Status.NAMED:
        return [_finalise_spending(project)]
    return []


def _finalise_spending(project) -> Move:
    """决算: after acceptance the street declares its actual spending final, once (富阳 五(三)
    settles on it). The status and step stay; the move records the total in the history."""
    return Move("finalise_spending", "street", project.status, project.review_step,
                guards=("spending_open",))


def describe_state(project) -> str:
    step = current_step(project)
    label = project.get_status_display()
    return f"{label}·{step.label}" if step else label
