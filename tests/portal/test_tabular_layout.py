"""The workbook a finance officer hands over as is (portal.tabular): merged centred title,
print setup, widths fitted to Chinese text, 年度 as a number, the signature line, and the one
file-name rule. Expected values are written by hand."""

import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import load_workbook

from portal.formatting import WAN
from portal.tabular import Column, ReportWorkbook, display_width, export_filename

MADE_AT = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
COLUMNS = [Column("社区", width=10), Column("创建年度", "year"), Column("金额（元）", "money", total=True)]


def _book(rows, **options):
    book = ReportWorkbook(org="富阳区财政局", made_at=MADE_AT, maker="张三", **options)
    sheet = book.sheet("明细", "富阳区奖补资金拨付明细表", COLUMNS)
    for row in rows:
        sheet.add(row)
    sheet.close()
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer)["明细"]


ROWS = [["东洲街道黄公望村未来社区", "2026", Decimal("1234567.89")], ["春江社区", 2025, Decimal("10.01")]]


def test_title_is_merged_and_centred_over_every_column():
    ws = _book(ROWS)
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:D1"]  # 序号 + 3 columns
    assert ws["A1"].value == "富阳区奖补资金拨付明细表"
    assert ws["A1"].alignment.horizontal == "center"


def test_printed_landscape_one_page_wide_with_the_header_repeated():
    ws = _book(ROWS)
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    # fitToWidth absent is 1 (ECMA-376 CT_PageSetup default), which XlsxWriter leaves out
    assert (ws.page_setup.fitToWidth or 1) == 1 and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$3"


def test_column_widths_count_a_chinese_character_as_two():
    assert display_width("东洲街道") == 8 and display_width("2026年") == 6 and display_width("ab") == 2
    ws = _book(ROWS)
    # 东洲街道黄公望村未来社区: 12 characters → 24, plus 2 of padding
    assert ws.column_dimensions["B"].width == 26
    # 创建年度 header (8) is wider than a year (4)
    assert ws.column_dimensions["C"].width == 10
    # 合计 1,234,577.90 → 12 characters; the header 金额（元） is 10
    assert ws.column_dimensions["D"].width == 14
    assert ws.column_dimensions["A"].width == 6  # 序号, at least the minimum


def test_year_is_a_number_without_thousands_separator():
    ws = _book(ROWS)
    assert ws["C4"].value == 2026 and ws["C5"].value == 2025
    assert ws["C4"].number_format == "0"
    assert ws["D4"].value == 1234567.89 and ws["D4"].number_format == "#,##0.00"


def test_footer_has_maker_checker_and_head_then_the_office_and_time():
    ws = _book(ROWS)
    rows = [[c for c in row if c is not None] for row in ws.iter_rows(values_only=True)]
    assert rows[-2] == ["制表人：张三", "审核人：", "负责人："]
    assert rows[-1] == ["制表单位：富阳区财政局", "制表时间：2026-03-05 09:30"]
    assert rows[5] == ["合计", 1234577.90]


def test_amounts_in_wan_say_so_in_the_header_and_unit_line():
    ws = _book(ROWS, money_unit=WAN)
    assert ws["D3"].value == "金额（万元）"
    assert ws.cell(2, 4).value == "单位：万元"
    assert ws["D4"].value == 123.4568 and ws["D4"].number_format == "#,##0.0000"
    assert ws["D5"].value == 0.001  # 10.01 元 → 0.0010 万元 (half up)
    assert ws["D6"].value == 123.4578  # 合计 1,234,577.90 元


def test_many_rows_are_measured_then_streamed_in_order():
    ws = _book([[f"社区{i}", 2020 + i % 5, Decimal(i)] for i in range(1, 451)])
    numbers = [row[0] for row in ws.iter_rows(min_row=4, max_row=453, values_only=True)]
    assert numbers == list(range(1, 451))
    assert ws["B453"].value == "社区450"


def test_every_export_file_is_named_title_scope_date():
    when = timezone.make_aware(dt.datetime(2026, 12, 31, 23, 59))
    assert export_filename("奖补资金拨付明细表", "富阳区", "xlsx", when) == "奖补资金拨付明细表_富阳区_20261231.xlsx"
    assert export_filename("待审核项目", "", "csv", when) == "待审核项目_全部_20261231.csv"
    assert export_filename("a/b", "c:d", "xlsx", when) == "a_b_c_d_20261231.xlsx"
