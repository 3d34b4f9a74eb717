"""Bulletins as .xlsx, in the conventions of DOMAIN §8: title row, unit line, frozen header
with auto-filter, 序号 column, a 合计 row, and a footer with 制表单位 and 制表时间."""

from decimal import Decimal
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from acceptance.bulletins import COLUMNS, period_label
from acceptance.models import Bulletin


def bulletin_title(bulletin: Bulletin) -> str:
    data = bulletin.data
    name = "未来社区创建季度晾晒排名表" if bulletin.kind == Bulletin.Kind.QUARTERLY else "未来社区创建月度通报"
    return f"{data['city']}{name}（{period_label(bulletin)}）"


def bulletin_columns(bulletin: Bulletin) -> list[tuple[str, str]]:
    columns = list(COLUMNS)
    if bulletin.kind == Bulletin.Kind.QUARTERLY:
        columns.append(("rank", "排名"))
    return columns


def bulletin_workbook(bulletin: Bulletin) -> bytes:
    data = bulletin.data
    columns = bulletin_columns(bulletin)
    book = Workbook()
    sheet = book.active
    sheet.title = "通报"
    width = len(columns) + 1
    sheet.append([bulletin_title(bulletin)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"统计期间：{data['first_day']} 至 {data['last_day']}    单位：个、%"])
    sheet.append(["序号", *[label for _, label in columns]])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for index, row in enumerate(data["rows"], start=1):
        sheet.append([index, *[_cell(key, row.get(key)) for key, _ in columns]])
    totals = data["totals"]
    sheet.append(["合计", "", *[totals.get(key, "") for key, _ in columns[1:]]])
    last = sheet.max_row
    sheet.freeze_panes = "A4"
    sheet.auto_filter.ref = f"A3:{get_column_letter(width)}{last - 1}"
    for row in sheet.iter_rows(min_row=4, max_row=last):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    sheet.append([])
    sheet.append([f"依据：{data['basis']}"])
    generated = timezone.localtime(bulletin.generated_at)
    sheet.append([f"制表单位：{data['city']}风貌办（未来社区管理平台自动生成）", "", "", "", "",
                  f"制表时间：{generated:%Y-%m-%d %H:%M}"])
    for column in range(1, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column > 2 else 12
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _cell(key: str, value):
    if value is None:
        return "—"
    return Decimal(value) if key == "avg_progress" else value
