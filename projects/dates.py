"""The one check of a project's decision dates against its history (issue #20 item 5).

Order: 列入名单 (listed_on) ≤ 申请验收 (acceptance_requested_on) ≤ 验收通过 (accepted_on) ≤
命名 (named_on), and none later than today (the project clock, `projects.services.today`).
`perform_action` calls it for every move that records a date, so the pages, the API and
the acceptance/naming batches (which take their results through perform_action) refuse the
same dates with the same message, before anything is written.
"""

from __future__ import annotations

import datetime as dt

from portal.errors import InvalidInput

# The decision dates, in the order the history must show them.
ORDER = ("listed_on", "acceptance_requested_on", "accepted_on", "named_on")
LABELS = {"listed_on": "列入名单日期", "acceptance_requested_on": "申请验收日期",
          "accepted_on": "验收通过日期", "named_on": "命名日期"}


def date_errors(project, new: dict, today: dt.date | None) -> dict[str, str]:
    """{field: message} for each date of `new` (field → date) that is in the future or out of
    order with the project's recorded dates (fields of `new` replace the recorded ones).
    `today` None: the order only (a batch planned for a later day)."""
    dates = {name: getattr(project, name, None) for name in ORDER}
    dates.update({name: value for name, value in new.items() if name in dates})
    errors = {}
    for name, value in new.items():
        if name not in dates or value is None:
            continue
        label = LABELS[name]
        if today is not None and value > today:
            errors[name] = f"{label}不能晚于今天（{today:%Y-%m-%d}）"
            continue
        index = ORDER.index(name)
        earlier = [(other, dates[other]) for other in ORDER[:index] if dates[other] is not None]
        later = [(other, dates[other]) for other in ORDER[index + 1:] if dates[other] is not None]
        for other, when in reversed(earlier):
            if value < when:
                errors[name] = f"{label}（{value:%Y-%m-%d}）不能早于{LABELS[other]}（{when:%Y-%m-%d}）"
                break
        else:
            for other, when in later:
                if value > when:
                    errors[name] = f"{label}（{value:%Y-%m-%d}）不能晚于{LABELS[other]}（{when:%Y-%m-%d}）"
                    break
    return errors


def check_decision_dates(project, new: dict, today: dt.date | None, prefix: str = "") -> None:
    """InvalidInput naming each field whose date breaks the order or lies in the future."""
    errors = date_errors(project, new, today)
    if errors:
        raise InvalidInput(prefix + "；".join(errors.values()), errors)
