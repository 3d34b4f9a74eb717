"""The records a listed project keeps while it is built (demo.scale_seed): monthly reports
and spending, generated in the project's turn from the generator's one random.Random, with
the generator's ids and row buffers."""

from __future__ import annotations

from demo.scale_plan import ANCHOR, _at, _between, _int, _money, _months
from projects.models import MonthlyReport, SpendingRecord, Status

S = Status
SPENDING = ("工程款", "设计费", "监理费", "设备采购", "场景建设", "运营启动")


def monthly_reports(generator, project_id, listed_on, end, investment, user_id, version, status) -> None:
    """月报 of every completed month from listing to `end`, filed in the next month before the
    policy's report day; a few never filed (their deadlines go overdue)."""
    rng, rows = generator.rng, generator.buffers.setdefault(MonthlyReport, [])
    next_id = generator.ids[MonthlyReport]
    due_day = min(generator.params[version.pk].get("monthly_report_day") or 5, 28)
    months = _months(listed_on, end)
    share_of = len(months) + 2
    for index, (year, month) in enumerate(months, start=1):
        if status == S.LISTED and rng.random() < 0.02:
            continue
        filed_year, filed_month = (year + 1, 1) if month == 12 else (year, month + 1)
        minutes = _int(rng, 0, 480)
        at = (f"{filed_year}-{filed_month:02d}-{_int(rng, 1, due_day):02d} "
              f"{9 + minutes // 60:02d}:{minutes % 60:02d}:00+08:00")
        progress = index * 10000 // share_of
        rows.append((next_id, project_id, f"{year}-{month:02d}-01", _money(progress),
                     _money(investment * index // share_of), "", "", user_id, at, at))
        next_id += 1
    generator.ids[MonthlyReport] = next_id


def spending(generator, project_id, listed_on, end, investment, user_id) -> None:
    """Two to five spending records between listing and `end`, together half to all of the
    investment."""
    rng = generator.rng
    parts = _int(rng, 2, 5)
    each = investment * _int(rng, 50, 100) // 100 // parts
    for part in range(parts):
        on = _between(rng, listed_on, min(end, ANCHOR))
        generator.row(SpendingRecord, (generator.new_id(SpendingRecord), project_id, on, _money(each),
                                       SPENDING[part % len(SPENDING)], user_id, _at(on, 60 + part)))
