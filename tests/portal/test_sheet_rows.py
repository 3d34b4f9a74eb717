"""portal.sheet_rows writes a plain data row as the very XML XlsxWriter writes for it: a sheet
written with it and the same sheet written cell by cell through XlsxWriter's API are the same
bytes (every part of the package but its creation time), whatever the mix of plain rows and
rows it hands back."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from portal import sheet_rows
from portal.formatting import WAN, YUAN
from portal.tabular import Column, ReportWorkbook

MADE_AT = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 30))
COLUMNS = [Column("社区"), Column("创建年度", "year"), Column("列入名单日期", "date"), Column("项目数", "int"),
           Column("完成率", "rate"), Column("拨付时间", "datetime"), Column("金额（元）", "money", total=True),
           Column("说明")]
PLAIN = [
    ["东湖社区", 2026, dt.date(2026, 3, 1), 3, Decimal("0.5"), None, Decimal("1234567.89"), None],
    ["西湖社区", 2025, None, 0, None, None, Decimal("0.00"), "沿用"],
    ["=SUM(A1)", 2024, dt.date(1900, 3, 1), 12, Decimal("1"), None, None, "-5"],  # formula-like: quoted
    ["南湖社区", 2026, dt.date(2026, 3, 1), 7, Decimal("0.25"), None, Decimal("10"), "@备注"],
]
HANDED_BACK = [
    ["北湖\x0b社区", 2026, None, 1, None, None, Decimal("1.00"), None],  # control character
    ["_x0041_社区", 2026, None, 1, None, None, Decimal("1.00"), None],  # reads as an escape
    ["<r>社区</r>", 2026, None, 1, None, None, Decimal("1.00"), None],  # rich-string markup
    ["A & B <社区>", 2026, None, 1, None, None, Decimal("1.00"), None],
    [" 社区 ", 2026, None, 1, None, None, Decimal("1.00"), "\t缩进"],  # white space kept
    ["长" * 20000, 2026, None, 1, None, None, Decimal("1.00"), None],
    ["中心社区", "2026", None, 1, None, None, Decimal("1.00"), None],  # 年度 as text
    ["湖滨社区", 2026, None, 1, None, timezone.make_aware(dt.datetime(2026, 3, 1, 8, 30)), 5, True],
    ["东湖社区", 2026, None, 1, None, None, Decimal("2.50"), 42],
]


def _package(rows, money_unit, direct: bool, monkeypatch) -> dict[str, bytes]:
    calls = []
    write = sheet_rows.RowWriter.write

    def counted(self, row, count, values):
        calls.append(write(self, row, count, values) if direct else False)
        return calls[-1]

    monkeypatch.setattr(sheet_rows.RowWriter, "write", counted)
    book = ReportWorkbook(org="富阳区财政局", made_at=MADE_AT, maker="张三", money_unit=money_unit)
    summary = book.sheet("汇总", "汇总", [Column("区县"), Column("金额（元）", "money", total=True)])
    for name in ("富阳区", "桐庐县"):
        sheet = book.sheet(name, f"{name}台账", COLUMNS)
        for values in rows:
            sheet.add(list(values))
        sheet.close()
        summary.add([name, sheet.totals[6]])
    summary.close()
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as package:
        parts = {name: package.read(name) for name in package.namelist() if name != "docProps/core.xml"}
    return parts, calls


@pytest.mark.parametrize("money_unit", [YUAN, WAN])
def test_direct_rows_are_the_bytes_xlsxwriter_writes(monkeypatch, money_unit):
    rows = [*PLAIN, *HANDED_BACK, *PLAIN]
    direct, calls = _package(rows, money_unit, True, monkeypatch)
    through_api, _ = _package(rows, money_unit, False, monkeypatch)
    assert direct == through_api
    written_here = sum(calls)
    if money_unit is YUAN:  # the plain rows (twice, on each of two sheets, and the summary's)
        assert written_here == 2 * 2 * len(PLAIN) + 2
    else:  # amounts in 万元 are converted by the writer: every row with one goes through the API
        assert written_here == 2 * 2  # the one row without an amount (=SUM), twice on each sheet
    assert len(calls) - written_here >= 2 * len(HANDED_BACK)
