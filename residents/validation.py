"""Clean text and numbers typed by residents and staff: a clear Chinese message naming the field
(control characters, over-long text, phone numbers that are not ASCII digits) — never a 500."""

import datetime as dt
import re
import unicodedata

from portal.errors import InvalidInput

PHONE = re.compile(r"^[0-9+\-]{5,20}$")


def clean_text(value, label: str, field: str, *, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(f"{label}格式不正确", {field: f"{label}格式不正确"})
    value = value.strip()
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\r\t" for ch in value):
        raise InvalidInput(f"{label}含有不可见的控制字符", {field: f"{label}含有不可见的控制字符"})
    if required and not value:
        raise InvalidInput(f"请填写{label}", {field: f"请填写{label}"})
    if len(value) > max_length:
        raise InvalidInput(f"{label}过长（最多{max_length}字）", {field: f"{label}过长（最多{max_length}字）"})
    return value


def clean_phone(value, field: str = "phone") -> str:
    value = clean_text(value, "联系电话", field, max_length=20)
    if value and not (PHONE.match(value) and value.isascii()):
        message = "联系电话只能填写半角数字（可含 + 和 -）"
        raise InvalidInput(message, {field: message})
    return value


def clean_int(value, label: str, field: str, *, low: int, high: int) -> int:
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput(f"{label}须为半角整数", {field: f"{label}须为半角整数"})
    number = int(text)
    if not low <= number <= high:
        raise InvalidInput(f"{label}须在{low}至{high}之间", {field: f"{label}须在{low}至{high}之间"})
    return number


def clean_date(value, label: str, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    try:
        if not text.isascii():
            raise ValueError
        parsed = dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{label}须为日期（如 2026-05-01）", {field: f"{label}须为日期（如 2026-05-01）"}) from None
    if not 2000 <= parsed.year <= 2100:
        raise InvalidInput(f"{label}超出合理范围", {field: f"{label}超出合理范围"})
    return parsed
