"""Cleaning of what people type into the supervision forms and API: every bad value gives a
Chinese message naming its field, and nothing is changed (portal.errors.InvalidInput)."""

import datetime as dt
import re

from portal.errors import InvalidInput

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_FUTURE_YEARS = 5


def refuse(field: str, message: str):
    raise InvalidInput(message, {field: message})


def text(data, field: str, label: str, *, max_length: int, required: bool = True) -> str:
    value = data.get(field, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        refuse(field, f"{label}格式不正确")
    value = value.strip()
    if CONTROL.search(value):
        refuse(field, f"{label}含有不可见的控制字符")
    if required and not value:
        refuse(field, f"请填写{label}")
    if len(value) > max_length:
        refuse(field, f"{label}过长（不超过{max_length}个字符）")
    return value


def date(data, field: str, label: str, *, required: bool = True) -> dt.date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            refuse(field, f"请填写{label}")
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value.strip()):
        refuse(field, f"{label}格式应为 YYYY-MM-DD（半角数字）")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        refuse(field, f"{label}不是有效日期")


def not_after(value: dt.date, field: str, label: str, limit: dt.date, what: str = "今天"):
    if value > limit:
        refuse(field, f"{label}不能晚于{what}")


def future(value: dt.date, field: str, label: str, today: dt.date):
    if value <= today:
        refuse(field, f"{label}应晚于今天")
    if value.year > today.year + MAX_FUTURE_YEARS:
        refuse(field, f"{label}过远（不超过{MAX_FUTURE_YEARS}年）")
