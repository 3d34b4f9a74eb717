"""portal.tabular.csv_blocks (the ledger's CSV, formatted a column at a time) writes the very
characters of csv_lines (row by row), whatever the values of a block."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from portal.tabular import csv_blocks, csv_lines

HEADER = ["序号", "名称", "日期", "年度", "金额（元）", "备注"]
ROWS = [
    [1, "东湖社区", dt.date(2026, 3, 1), 2026, Decimal("12.50"), None],
    [2, "西湖, \"老\"社区\n二期", None, 2025, None, ""],
    [3, "=HYPERLINK(\"x\")", dt.date(2026, 1, 31), -5, Decimal("1E+2"), "+86"],
    [4, "南湖社区", dt.date(2025, 12, 31), 2024, Decimal("-5.00"), "@备注"],
    [5, "北湖社区", dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC), True, Decimal("0.0000001"), "-1"],
    [6, "中心社区", dt.date(2026, 2, 1), 2026, Decimal("0.00"), "\t缩进"],
    ["合计说明：截至2026年3月"],  # a ragged row (the note of a cut file)
    [8, "湖滨社区", dt.date(2026, 2, 2), 2026, Decimal("3.10"), None],
]


def test_blocks_write_the_same_characters_as_lines_in_any_block_size():
    expected = "".join(csv_lines(HEADER, ROWS))
    for size in (1, 2, 3, 500):
        blocks = list(csv_blocks(HEADER, ROWS, size=size))
        assert "".join(text for text, _ in blocks) == expected
        assert blocks[0][1] == 0  # the header
        assert sum(count for _, count in blocks) == len(ROWS)


def test_blocks_keep_formula_like_text_negative_numbers_and_amounts_as_text():
    with timezone.override("Asia/Shanghai"):
        text = "".join(block for block, _ in csv_blocks(HEADER, ROWS[2:6], size=500))
    lines = text.removeprefix("\ufeff").split("\r\n")
    assert lines[1] == "3,\"'=HYPERLINK(\"\"x\"\")\",2026-01-31,'-5,100,'+86"
    assert lines[2] == "4,南湖社区,2025-12-31,2024,-5.00,'@备注"
    assert lines[3] == "5,北湖社区,2026-03-01 16:30,True,0.0000001,'-1"
    assert lines[4] == "6,中心社区,2026-02-01,2026,0.00,'\t缩进"
