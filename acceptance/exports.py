"""Bulletins as .xlsx through the portal's one tabular writer (portal.tabular: title row, unit
line, frozen header with auto-filter, 序号 column, 合计 row, footer with 制表单位 and 制表时间,
formula-like text written as text)."""

from decimal import Decimal
from io import BytesIO

from acceptance.bulletins import COLUMNS, period_label
from acceptance.models import Bulletin
from portal.tabular import Column, ReportWorkbook


def bulletin_title(bulletin: Bulletin) -> str:
    data = bulletin.data
    name = "未来社区创建季度晾晒排名表" if bulletin.kind == Bulletin.Kind.QUARTERLY else "未来社区创建月度通报"
    return f"{data['city']}{name}（{period_label(bulletin)}）"


def bulletin_columns(bulletin: Bulletin) -> list[tuple[str, str]]:
    columns = list(COLUMNS)
    if bulletin.kind == Bulletin.Kind.QUARTERLY:
        columns.append(("rank", "排名"))
    return columns


def _column(key: str, label: str) -> Column:
    if key == "district":
        return Column(label, width=14)
    if key == "avg_progress":
        return Column(label, "money", 14)
    return Column(label, "int", 12, total=key != "rank")


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    data = bulletin.data
    columns = bulletin_columns(bulletin)
    book = ReportWorkbook(unit=f"统计期间：{data['first_day']} 至 {data['last_day']}    单位：个、%",
                          org=f"{data['city']}风貌办（未来社区管理平台自动生成）", made_at=bulletin.generated_at)
    sheet = book.sheet("通报", bulletin_title(bulletin), [_column(key, label) for key, label in columns])
    for row in data["rows"]:
        sheet.add([_cell(key, row.get(key)) for key, _ in columns])
    totals = data["totals"]
    sheet.close(totals=[_cell(key, totals.get(key)) if key in totals else None for key, _ in columns],
                note=f"依据：{data['basis']}")
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _cell(key: str, value):
    if value is None:
        return None if key != "district" else "—"
    return Decimal(value) if key == "avg_progress" else value
