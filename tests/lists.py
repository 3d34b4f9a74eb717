"""Helpers for the list-page tests (portal.listing): read a page's rows, an export's
rows, and count the queries of a request (streamed bodies included)."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

BOM = "\ufeff"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def page_rows(response, listing="listing") -> list:
    assert response.status_code == 200, response.status_code
    return list(response.context[listing].page.object_list)


def xlsx_sheet(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(body(response))).worksheets[0]


def xlsx_table(response) -> tuple[list, list[list]]:
    """(header, data rows) without the 序号 column, the 合计 row and the footer."""
    rows = list(xlsx_sheet(response).iter_rows(values_only=True))
    header, data = rows[2], []
    for row in rows[3:]:
        if row[0] == "合计":
            break
        data.append(list(row[1:]))
    return list(header[1:]), data


def csv_table(response) -> tuple[list, list[list]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    text = body(response).decode("utf-8")
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    return rows[0][1:], [row[1:] for row in rows[1:]]


def column(table, label) -> list:
    header, data = table
    index = header.index(label)
    return [row[index] for row in data]


def queries(client, url, data=None) -> int:
    """Queries of one GET, the streamed body included."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
        body(response)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


def assert_sorted_as_written(client, url, spec, expected: dict, label, listing="listing", data=None):
    """`expected`: every whitelisted sort value ("key" and "-key", and "" for the default)
    → the page's rows as `label(row)`, written out by hand. An unknown key (or a field name
    that is not a key) gives the default order."""
    def shown(sort):
        response = client.get(url, {**(data or {}), spec.sort_param: sort})
        return [label(row) for row in page_rows(response, listing)]

    keys = {c.key for c in spec.columns if c.key}
    assert set(expected) == {""} | keys | {f"-{key}" for key in keys}, "write out every sort value"
    for sort, rows in expected.items():
        assert shown(sort) == rows, sort
    for bogus in ("nonsense", "-", "password", "user__password", "?", "--at", "pk; DROP TABLE x"):
        assert shown(bogus) == expected[""], bogus


def assert_exported_as_text(client, url, label, value):
    """`value` (formula-like) is a text cell of column `label` in the .xlsx, and ' + value in
    the .csv: a spreadsheet never evaluates it."""
    sheet = xlsx_sheet(client.get(f"{url}.xlsx"))
    header = [cell.value for cell in sheet[3]]
    cells = [row[header.index(label)] for row in sheet.iter_rows(min_row=4) if row[0].value != "合计"]
    matching = [cell for cell in cells if cell.value == value]
    assert matching and all(cell.data_type == "s" for cell in matching), [c.value for c in cells]
    assert f"'{value}" in column(csv_table(client.get(f"{url}.csv")), label)


def assert_query_count_is_constant(client, url, params, add_rows):
    """The same number of queries before and after `add_rows()` (e.g. 3 rows, then 20)."""
    small = queries(client, url, params)
    add_rows()
    assert queries(client, url, params) == small
