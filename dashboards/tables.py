"""The table a dashboard shows is the table it exports: one `Table`, rendered twice."""

import html
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import format_html
from django.utils.safestring import mark_safe


class Percent(Decimal):
    """A share (0.88) shown as a percentage (88.0%) and written to Excel with a % format."""

    def __str__(self):
        return f"{(self * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def share(part, whole) -> Percent | None:
    return Percent(Decimal(part) / Decimal(whole)) if whole else None


@dataclass(frozen=True)
class Link:
    """A cell that links somewhere on the page and is plain text in exports."""

    text: object
    url: str

    def __str__(self):
        return str(self.text)


FLAGS = {"未达标": "text-danger fw-bold", "未达到": "text-danger fw-bold", "达标": "text-success",
         "已达到": "text-success", "超计划完工": "text-danger fw-bold", "未按计划启动": "text-danger",
         "逾期完成": "text-warning"}


def plain(value):
    """The value an export writes: links lose their url."""
    return value.text if isinstance(value, Link) else value


def display(value) -> str:
    value = plain(value)
    if value is None:
        return "—"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class Table:
    key: str
    title: str  # the report's title (e.g. 年度创建计划完成情况表（2024年）)
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None  # the 合计 row, without its label
    unit: str = "个"

    def html_body(self) -> str:
        """The table's <tbody> rows as escaped HTML. Built here rather than by template loops
        (the Fuyang board's ~3,000 cells cost 60 ms through the template engine), each distinct
        value once (a column repeats its flags, names and bases) with the standard library's
        escape (Django's escape() is that one behind a lazy-string wrapper): 1,200 cells of
        the quotas board took 45 ms, now a few."""
        if not self.rows:
            return format_html('<tr><td colspan="{}" class="text-muted">暂无数据</td></tr>', len(self.columns) + 1)
        memo: dict = {}

        def cell(value) -> str:
            try:
                key = (type(value), value)
                return memo[key]
            except KeyError:
                memo[key] = html = self._cell_html(value)
                return html
            except TypeError:  # unhashable: not remembered
                return self._cell_html(value)

        return mark_safe("".join(  # safe: every piece below is escaped
            f"<tr><td>{number}</td>{''.join(map(cell, row))}</tr>"
            for number, row in enumerate(self.rows, start=1)))

    @staticmethod
    def _cell_html(value) -> str:
        """_cell's text, url and css as one <td>, without the intermediate dict."""
        url = ""
        if isinstance(value, Link):
            value, url = value.text, value.url
        text = "—" if value is None else value.isoformat() if isinstance(value, date) else str(value)
        css = (FLAGS.get(text, "") + (" money" if isinstance(value, int | Decimal) else "")).strip()
        attrs = f' class="{html.escape(css)}"' if css else ""
        text = html.escape(text)
        return f'<td{attrs}><a href="{html.escape(url)}">{text}</a></td>' if url else f"<td{attrs}>{text}</td>"

    def html_total(self) -> list[dict] | None:
        return [self._cell(value) for value in self.total] if self.total is not None else None

    @staticmethod
    def _cell(value) -> dict:
        number = isinstance(plain(value), int | Decimal)
        css = FLAGS.get(display(value), "") + (" money" if number else "")
        return {"text": display(value), "url": value.url if isinstance(value, Link) else "",
                "css": css.strip()}


@dataclass
class Board:
    """One dashboard page: charts, the tables behind them, the definitions and the filters."""

    key: str
    title: str
    tables: list[Table]
    charts: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    filters: list[dict] = field(default_factory=list)
    empty_message: str = ""

    def table(self, key: str | None) -> Table | None:
        if not key:
            return self.tables[0] if self.tables else None
        return next((table for table in self.tables if table.key == key), None)
