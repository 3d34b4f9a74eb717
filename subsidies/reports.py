"""The required reports of DOMAIN §8, each read within the user's data scope and streamed
from the database (`.iterator()`) into portal.tabular: 奖补资金拨付明细表, 创建项目台账 and
逾期预警清单 (年度创建计划完成情况表 is the dashboards' own, dashboards.reports).

A report yields rows as (district path, district name, values) ordered by district, so
the writer opens one sheet per district as it goes and a summary sheet of their totals.

Each report is an export kind of portal.exports (registered in subsidies.apps): the export
page, the API and background jobs write its file with `write(user, params, format, target, progress)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date

from django.conf import settings
from django.db import DatabaseError
from django.db.models import DecimalField, F, Sum
from django.utils import timezone

from policies.base import CATEGORY_LABELS, TIER_LABELS
from portal.errors import InvalidInput
from portal.formatting import YUAN, in_unit, unit_of
from portal.tabular import Column, ReportWorkbook, csv_blocks, csv_lines, export_filename, in_money_unit, maker_of
from projects.models import CreationProject, Status, project_display_name
from projects.periods import flag_expression
from projects.selectors import filter_projects, overdue_q
from subsidies.models import Payment

CHUNK = 2000
STATUS_LABELS = dict(Status.choices)
KIND_LABELS = dict(Payment.Kind.choices)
PAYER_LABELS = dict(Payment.Payer.choices)
STATE_LABELS = dict(Payment.State.choices)
MONEY = DecimalField(max_digits=18, decimal_places=2)


def clean_params(data) -> dict:
    """year (2019–2035), district (6 digits) and unit (元, or 万元 as "wan"), all optional;
    errors name the field."""
    params, errors = {}, {}
    year = data.get("year")
    if year not in (None, ""):
        try:
            params["year"] = int(year)
            if not 2019 <= params["year"] <= 2035:
                raise ValueError
        except (TypeError, ValueError):
            errors["year"] = "年度应为2019至2035之间的整数"
    district = data.get("district")
    if district not in (None, ""):
        if isinstance(district, str) and len(district) == 6 and district.isdigit():
            params["district"] = district
        else:
            errors["district"] = "区县代码应为6位数字"
    unit = data.get("unit")
    if unit not in (None, "", "yuan"):
        if unit == "wan":
            params["unit"] = unit
        else:
            errors["unit"] = "金额单位应为元或万元"
    if errors:
        raise InvalidInput("；".join(errors.values()), errors)
    return params




def scope_name(user) -> str:
    region = user.scope_region
    return region.name if region else ""


class Report:
    """A report of the export page, registered with portal.exports (subsidies.apps)."""

    key = ""
    title = ""
    startable = True
    unit = "单位：元"
    count_label = "项目数"
    columns: list[Column] = []

    def clean(self, data) -> dict:
        return clean_params(data)

    def heading(self, place: str, params: dict) -> str:
        year = params.get("year")
        return f"{place}未来社区{self.title}（{year}年度）" if year else f"{place}未来社区{self.title}"

    def queryset(self, user, params):  # pragma: no cover - each report defines it
        raise NotImplementedError

    def count(self, user, params) -> int:
        return self.queryset(user, params).count()

    def rows(self, user, params) -> Iterator[tuple[str, str, list]]:  # pragma: no cover
        raise NotImplementedError

    def write(self, user, params: dict, file_format: str, target, progress=None) -> tuple[str, int]:
        """The file of a background job, into `target`: (file name, data rows)."""
        name = filename(self, user, params, file_format)
        if file_format != "csv":
            return name, write_xlsx(self, user, params, target, progress=progress)
        rows = 0
        for text, count in csv_blocks(*csv_table(self, user, params)):  # 500 rows at a time
            target.write(text.encode("utf-8"))
            rows += count
            if progress and count and rows % 500 == 0:
                progress(rows)
        return name, rows

    def back_link(self, params: dict) -> tuple[str, str]:
        """(url, label) of the progress page's way back."""
        from django.urls import reverse

        return reverse("portal:exports"), "返回报表导出"


# 超出文件执行期（沿用）: every number of a project bound after its policy's period carries the flag
# (projects.periods, the one owner; the overdue list's 时限依据 carries it in the stored basis)
PERIOD_HEADER = "政策执行期说明"


class ProjectListReport(Report):
    """A report the project list's export buttons start (/projects/ → 导出台账, 导出逾期预警清单):
    it also takes the list's filters (projects.selectors.filter_projects), so the file holds
    the projects the list shows (issue #20 item 15: `/projects/?status=draft` exported all)."""

    def clean(self, data) -> dict:
        params = clean_params(data)
        _, shown = filter_projects(CreationProject.objects.none(), data)
        shown.pop("district", None)  # cleaned above: 6 digits or an error naming the field
        return {**params, **shown}

    def filtered(self, projects, params):
        return filter_projects(projects, params)[0]


class Disbursements(Report):
    """奖补资金拨付明细表: every tranche in scope (fiscal year = 应拨付年度)."""

    key = "disbursements"
    title = "奖补资金拨付明细表"
    count_label = "笔数"
    columns = [
        Column("区县", width=10), Column("街道", width=12), Column("社区", width=14),
        Column("项目名称", width=26), Column("创建级别", width=8), Column("类型", width=10),
        Column("拨付财政", width=12), Column("应拨付日期", "date", 12), Column("状态", width=8),
        Column("拨付凭证号", width=16), Column("拨付时间", "datetime", 17),
        Column("金额（元）", "money", 16, total=True), Column("说明", width=30), Column("依据", width=36),
        Column(PERIOD_HEADER, width=40),
    ]
    fields = ["project__street__parent__path", "project__street__parent__name", "project__street__name",
              "project__community__name", "project__name", "project__tier", "kind", "payer", "due_on",
              "state", "voucher_no", "paid_at", "amount", "reason", "basis"]

    def queryset(self, user, params):
        qs = Payment.objects.visible_to(user)
        if "year" in params:
            qs = qs.filter(fiscal_year=params["year"])
        if "district" in params:
            qs = qs.filter(project__street__parent__code=params["district"])
        return qs.order_by("project__street__parent__path", "project_id", "id")

    def rows(self, user, params):
        qs = self.queryset(user, params).annotate(period=flag_expression("project__"))
        for (path, district, street, community, name, tier, kind, payer, due_on, state, voucher, paid_at,
             amount, reason, basis, period) in qs.values_list(*self.fields, "period").iterator(CHUNK):
            yield path, district, [
                district, street, community, project_display_name(name, community, tier), TIER_LABELS.get(tier, tier),
                KIND_LABELS[kind], PAYER_LABELS[payer], due_on, STATE_LABELS[state], voucher, paid_at,
                amount, reason, basis, period]


def paid_by_project(**filters):
    """已拨付 of every project with paid tranches (of `filters`), one GROUP BY: `total` per
    `project`."""
    paid = Payment.objects.filter(state=Payment.State.PAID, **filters).order_by()
    return paid.values("project").annotate(total=Sum("amount"))


def joined_sums(qs, fields: list, sums: list):
    """One statement of the `fields` (names or expressions) of `qs` (a CreationProject queryset) followed by the
    `total` of each grouped queryset of `sums` (a `total` per `project`; None for a project
    without rows), in `qs`'s order: each sum is computed once, by one GROUP BY over the
    projects of `qs`, and joined (a subquery per project ran each sum 300,000 times for the
    nation's ledger). (sql, params, compiler, converters) — see `with_sums`."""
    order = [(name.lstrip("-"), " DESC" if name.startswith("-") else "") for name in qs.query.order_by]
    inner = qs.order_by().values(**{f"c{i}": F(f) if isinstance(f, str) else f for i, f in enumerate(fields)},
                                 **{f"o{i}": F(name) for i, (name, _) in enumerate(order)}, p_k=F("pk"))
    compiler = inner.query.get_compiler(qs.db)
    sql, params = compiler.as_sql()
    selected = [compiler.select[i][0] for i in range(len(fields))]  # c0… come first
    columns, joins = [f'l."c{i}"' for i in range(len(fields))], []
    for i, grouped in enumerate(sums):
        if qs.query.where:  # a scope or a filter: sum the projects of `qs` only
            grouped = grouped.filter(project__in=qs.order_by().values("pk"))
        grouped = grouped.annotate(s_pid=F("project"))
        sum_compiler = grouped.query.get_compiler(qs.db)
        sum_sql, sum_params = sum_compiler.as_sql()
        selected.append(next(expression for expression, _, alias in sum_compiler.select if alias == "total"))
        joins.append(f' LEFT JOIN ({sum_sql}) s{i} ON s{i}."s_pid" = l."p_k"')
        columns.append(f's{i}."total"')
        params = (*params, *sum_params)
    ordering = ", ".join(f'l."o{i}"{direction}' for i, (_, direction) in enumerate(order))
    statement = f"SELECT {', '.join(columns)} FROM ({sql}) l{''.join(joins)}" + (
        f" ORDER BY {ordering}" if ordering else "")
    converters = compiler.get_converters(selected)
    if compiler.connection.vendor == "postgresql":
        # psycopg2 reads numeric as Decimal: a sum's own converter, Decimal(value), would copy
        # each value once more (600,000 calls for the nation's ledger)
        converters = {i: (functions, expression) for i, (functions, expression) in converters.items()
                      if functions != [expression.convert_value]
                      or expression.output_field.get_internal_type() != "DecimalField"}
    return statement, params, compiler, converters


def with_sums(qs, fields: list[str], sums: list) -> Iterator[tuple]:
    """The rows of `joined_sums`, read from a server-side cursor CHUNK rows at a time, with the
    backend's converters applied (SQLite: text → Decimal, date)."""
    from django.db import connections

    statement, params, compiler, converters = joined_sums(qs, fields, sums)
    connection = connections[qs.db]
    with export_work_mem(connection), connection.chunked_cursor() as cursor:
        cursor.execute(statement, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield from compiler.apply_converters(chunk, converters) if converters else chunk


@contextmanager
def export_work_mem(connection):
    """PostgreSQL: the session's work_mem is settings.EXPORT_WORK_MEM for the export's statement
    (its sort and sums fit in memory; outside a transaction the server-side cursor is WITH HOLD,
    so the statement runs whole when declared), then the server's again."""
    if connection.vendor != "postgresql" or not settings.EXPORT_WORK_MEM:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, false)", [settings.EXPORT_WORK_MEM])
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:  # failed: the rollback undid the SET
            cursor.execute("RESET work_mem")


class ProjectLedger(ProjectListReport):
    """创建项目台账: every project in scope (year = 创建年度) with spending, A and payments."""

    key = "ledger"
    title = "创建项目台账"
    columns = [
        Column("区县", width=10), Column("街道", width=12), Column("社区", width=14),
        Column("项目名称", width=26), Column("创建级别", width=8), Column("创建类型", width=8),
        Column("创建年度", "year", 8), Column("状态", width=14), Column("列入名单日期", "date", 12),
        Column("建设完成时限", "date", 12), Column("验收日期", "date", 12), Column("命名日期", "date", 12),
        Column("总投资（元）", "money", 16, total=True), Column("实际支出（元）", "money", 16, total=True),
        Column("核定补助（元）", "money", 16, total=True), Column("已拨付（元）", "money", 16, total=True),
        Column(PERIOD_HEADER, width=40),
    ]

    def queryset(self, user, params):
        qs = self.filtered(CreationProject.objects.visible_to(user), params)
        if "year" in params:
            qs = qs.filter(batch_year=params["year"])
        if "district" in params:
            qs = qs.filter(street__parent__code=params["district"])
        return qs.order_by("street__parent__path", "street__path", "id")

    def query(self, user, params) -> tuple:
        """(queryset, fields, sums) of `joined_sums`: the rows of `rows` as one statement."""
        from projects.spending import spent_by_project

        fields = ["street__parent__path", "street__parent__name", "street__name", "community__name", "name",
                  "tier", "category", "batch_year", "status", "listed_on", "construction_deadline",
                  "accepted_on", "named_on", "total_investment", "approved_subsidy__amount", flag_expression()]
        return self.queryset(user, params), fields, [spent_by_project(timezone.localdate()), paid_by_project()]

    def rows(self, user, params):
        for (path, district, street, community, name, tier, category, year, status, listed_on, deadline,
             accepted_on, named_on, investment, approved, period, spent, paid) in with_sums(*self.query(user, params)):
            yield path, district, [
                district, street, community, project_display_name(name, community, tier), TIER_LABELS.get(tier, tier),
                CATEGORY_LABELS.get(category, category), year, STATUS_LABELS.get(status, status), listed_on,
                deadline, accepted_on, named_on, investment, spent, approved, paid, period]


class OverdueList(ProjectListReport):
    """逾期预警清单: listed projects past their construction deadline (not yet requesting acceptance)."""

    key = "overdue"
    title = "逾期预警清单"
    columns = [
        Column("区县", width=10), Column("街道", width=12), Column("社区", width=14),
        Column("项目名称", width=26), Column("创建级别", width=8), Column("创建类型", width=8),
        Column("状态", width=14), Column("列入名单日期", "date", 12), Column("建设完成时限", "date", 12),
        Column("时限依据", width=18), Column("逾期天数", "int", 10), Column("总投资（元）", "money", 16, total=True),
    ]

    def heading(self, place, params):
        return f"{place}未来社区创建项目{self.title}（截至{self.today:%Y年%m月%d日}）"

    @property
    def today(self) -> date:
        return timezone.localdate()

    def queryset(self, user, params):
        qs = self.filtered(CreationProject.objects.visible_to(user).filter(overdue_q(self.today)), params)
        if "district" in params:
            qs = qs.filter(street__parent__code=params["district"])
        return qs.order_by("street__parent__path", "construction_deadline", "id")

    def rows(self, user, params):
        today = self.today
        qs = self.queryset(user, params).values_list(
            "street__parent__path", "street__parent__name", "street__name", "community__name", "name", "tier",
            "category", "status", "listed_on", "construction_deadline", "construction_deadline_basis",
            "total_investment")
        for (path, district, street, community, name, tier, category, status, listed_on, deadline, basis,
             investment) in qs.iterator(CHUNK):
            yield path, district, [
                district, street, community, project_display_name(name, community, tier), TIER_LABELS.get(tier, tier),
                CATEGORY_LABELS.get(category, category), STATUS_LABELS.get(status, status), listed_on, deadline,
                basis, (today - deadline).days, investment]


REPORTS: tuple[Report, ...] = (Disbursements(), ProjectLedger(), OverdueList())


def write_xlsx(report: Report, user, params: dict, target, progress=None) -> int:
    """Stream the report into `target`; returns the number of data rows."""
    org = user.office.name if user.office_id else user.username
    book = ReportWorkbook(unit=report.unit, org=org, maker=maker_of(user), money_unit=unit_of(params))
    place = scope_name(user)
    total_columns = [i for i, c in enumerate(report.columns) if c.total]
    summary_columns = [Column("区县", width=14), Column(report.count_label, "int", 10, total=True),
                       *(report.columns[i] for i in total_columns)]
    summary = book.sheet("汇总", report.heading(place, params) + "（汇总）", summary_columns)
    sheet, current, current_name, written, per_district = None, None, "", 0, []
    for path, district, values in report.rows(user, params):
        if path != current:
            if sheet is not None:
                sheet.close()
                per_district.append((current_name, sheet))
            sheet = book.sheet(district, report.heading(district, params), report.columns)
            current, current_name = path, district
        sheet.add(values)
        written += 1
        if progress and written % 500 == 0:
            progress(written)
    if sheet is not None:
        sheet.close()
        per_district.append((current_name, sheet))
    for name, done in per_district:
        summary.add([name, done.count, *(done.totals[i] for i in total_columns)])
    summary.close()
    book.save(target)
    return written


def csv_rows(report: Report, user, params: dict):
    """The lines of the report's CSV file (`Report.write` writes the same text in blocks)."""
    return csv_lines(*csv_table(report, user, params))


def csv_table(report: Report, user, params: dict) -> tuple[list[str], Iterator[list]]:
    """(header, numbered rows) of the report's CSV file."""
    unit = unit_of(params)
    columns = [in_money_unit(c, unit) for c in report.columns]
    header = ["序号", *(c.header for c in columns)]
    money = [i for i, c in enumerate(columns) if c.kind == "money"] if unit is not YUAN else []

    def numbered():
        for index, (_, _, values) in enumerate(report.rows(user, params), start=1):
            for i in money:
                values[i] = in_unit(values[i], unit)
            yield [index, *values]

    return header, numbered()


def filename(report: Report, user, params: dict, file_format: str) -> str:
    title = f"{report.title}（{params['year']}年度）" if params.get("year") else report.title
    return export_filename(title, scope_name(user), file_format)
