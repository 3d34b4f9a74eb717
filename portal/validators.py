"""Free text typed by people (names, comments, descriptions): one rule, used by the model
fields, the HTML forms and the API serializers.

Control characters (\\x00–\\x1f, \\x7f–\\x9f) have no place in what a person types: a
vertical tab in a project name broke every Excel export holding it, a newline in a name broke
the alert e-mails about it (a header cannot hold one). `single_line` (names, titles, numbers)
refuses them all, line and paragraph separators included; `free_text` (comments, descriptions)
allows tab and newlines only. The messages are Chinese and name the character.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x85\u2028\u2029]")


def _shown(char: str) -> str:
    return {"\n": "换行", "\r": "回车", "\t": "制表符"}.get(char, f"\\x{ord(char):02x}" if ord(char) < 256
                                                       else f"\\u{ord(char):04x}")


@deconstructible
class TextValidator:
    def __init__(self, single_line: bool):
        self.single_line = single_line

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        found = (_LINE_BREAKS.search(value) if self.single_line else None) or _CONTROL.search(value)
        if found:
            what = "换行或控制字符" if self.single_line else "控制字符"
            raise ValidationError(f"不能包含{what}（发现 %(char)s），请删除后重新输入", code="control_character",
                                  params={"char": _shown(found.group())})

    def __eq__(self, other):
        return isinstance(other, TextValidator) and other.single_line == self.single_line


single_line = TextValidator(single_line=True)
free_text = TextValidator(single_line=False)


def one_line(text: str, limit: int | None = None) -> str:
    """`text` flattened to one line (every line break and control character a space, runs of
    spaces one): e-mail subjects, headers, file names."""
    flat = " ".join(_CONTROL.sub(" ", _LINE_BREAKS.sub(" ", text or "")).split())
    return flat[:limit] if limit else flat


_ASCII_INT = re.compile(r"[0-9]{1,18}")


def ascii_int(value, low: int | None = None, high: int | None = None) -> int | None:
    """`value` (text or int) as an int when it is plain ASCII digits (str.isdigit() also takes
    ², full-width and Arabic-Indic digits, which int() then refuses) within [low, high]; else None."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _ASCII_INT.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    if (low is not None and number < low) or (high is not None and number > high):
        return None
    return number


def require_text(field: str, label: str, value, max_length: int, *, single: bool = True,
                 required: bool = False) -> str:
    """`value` stripped, or InvalidInput (400, nothing changed) naming `label`: for services
    that take text straight from a request (batch forms) rather than through a form."""
    from portal.errors import InvalidInput

    text = value.strip() if isinstance(value, str) else ""
    problem = None
    if value is not None and not isinstance(value, str):
        problem = "应为文本"
    elif required and not text:
        problem = "必须填写"
    elif len(text) > max_length:
        problem = f"过长：最多 {max_length} 个字符（收到 {len(text)} 个）"
    else:
        try:
            (single_line if single else free_text)(text)
        except ValidationError as exc:
            problem = exc.messages[0]
    if problem:
        raise InvalidInput(f"{label}{problem}", {field: f"{label}{problem}"})
    return text
