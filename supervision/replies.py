"""The reply-and-review state machine (回复 → 审核 → 销号/办结 or 退回) that an inspection's 整改单
(InspectionOrder) and a 督办单 (SupervisionOrder) share: its shape, as abstract models, and
the one function that moves it (`take`), used by supervision.inspections and
supervision.orders for reply, close and send-back alike.

A step is a compare-and-set on the item's `version` and state in one UPDATE, in the caller's
transaction with its history row: two offices acting on the same version cannot both win.

Residents' objections (residents.Objection) are not handled here: one answer by the
publishing office, no review, no send-back and no history, and residents sits below
supervision in the layers.
"""

from django.conf import settings
from django.db import models
from django.db.models import F

from portal.errors import Conflict
from supervision import inputs

REPLY, SEND_BACK = "reply", "send_back"


class ReplyAndReview(models.Model):
    """回复 → 审核 → 销号/办结 or 退回: the state machine an inspection's 整改单 and a 督办单 share.
    Each subclass names its three states and the review decision that closes it; the step names
    ("reply", CLOSE_DECISION, "send_back") are also its history's action values. Adds no column
    beyond `version` (the compare-and-set guard of every step)."""

    AWAITING = REPLIED = CLOSED = ""  # the subclass's state values
    CLOSE_DECISION = ""  # the review decision that closes it
    CLOSE_LABEL = ""  # what closing is called (销号 / 办结)
    NOUN = ""  # 整改单 / 督办单, in messages

    version = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    @classmethod
    def step_states(cls, step: str) -> tuple[str, str]:
        """(from, to) of `step`: "reply", the CLOSE_DECISION or "send_back"."""
        return {REPLY: (cls.AWAITING, cls.REPLIED), cls.CLOSE_DECISION: (cls.REPLIED, cls.CLOSED),
                SEND_BACK: (cls.REPLIED, cls.AWAITING)}[step]

    def awaits(self, step: str) -> bool:
        """`step` can be taken now ("reply" while awaiting the reply, a decision once replied)."""
        return self.state == self.step_states(step)[0]


class HandlingEvent(models.Model):
    """One row of the append-only 履历 of a `ReplyAndReview`: who, which office, when, what."""

    comment = models.TextField("说明", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    office = models.ForeignKey("communities.Office", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise TypeError("履历不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("履历不可删除")


def take(user, item: ReplyAndReview, step: str, comment: str = "", *, changes: dict | None = None,
         **event_fields) -> HandlingEvent:
    """Move `item` by `step` ("reply", its CLOSE_DECISION or "send_back") with `changes` to its
    own columns in the same UPDATE, and record the step in its history (`events`), naming the
    user and their office. Conflict (nothing changed) if another step came first."""
    from_state, to_state = item.step_states(step)
    changes = {"state": to_state, **(changes or {})}
    updated = type(item).objects.filter(pk=item.pk, version=item.version, state=from_state).update(
        **changes, version=F("version") + 1)
    if updated != 1:
        raise Conflict(f"{item.NOUN}已被他人处理，本次操作未执行，请刷新后重试")
    for name, value in changes.items():
        setattr(item, name, value)
    item.version += 1
    return item.events.create(action=step, comment=comment, actor=user, office=user.office, **event_fields)


def read_review(item: ReplyAndReview, data: dict, due_field: str, due_label: str, today) -> tuple:
    """(decision, comment, new due date or None) of a review form or API call: the decision is
    the item's CLOSE_DECISION or "send_back"; a comment is required to send back, which may
    also set a new due date (after today)."""
    decision = data.get("decision")
    if decision not in (item.CLOSE_DECISION, SEND_BACK):
        inputs.refuse("decision", f"请选择审核结果：{item.CLOSE_LABEL}或退回")
    comment = inputs.text(data, "comment", "审核意见", max_length=2000, required=decision == SEND_BACK)
    due = None
    if decision == SEND_BACK:
        due = inputs.date(data, due_field, due_label, required=False)
        if due is not None:
            inputs.future(due, due_field, due_label, today)
    return decision, comment, due
