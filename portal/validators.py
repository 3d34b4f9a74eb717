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
