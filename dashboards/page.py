"""A board's page as HTML, rendered once per computation and kept with it (dashboards.cache):
the body below the tabs with the board, the tabs with the list of boards. A cached board's
request renders only the page around them (header, menu). Everything they show comes from
the computation and the parameters in its cache key; nothing from the user or the request."""

import datetime as dt
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from dashboards.tables import Board
from portal import menu

BODY, TABS = "dashboards/_board_body.html", "dashboards/_tabs.html"
TEMPLATES = (BODY, TABS)  # rendered into cache entries: part of dashboards.cache.release()


def body(board: Board, params: dict[str, str], computed_at: dt.datetime) -> SafeString:
    shown = {name: value for name, value in params.items() if value}
    csv_url = menu.url(f"dashboards:{board.key}_csv")
    tables = [{"table": table, "body": table.html_body(), "total": table.html_total(),
               "csv_url": f"{csv_url}?{urlencode({**shown, 'table': table.key})}"}
              for table in board.tables]
    return render_to_string(BODY, {
        "board": board, "tables": tables, "computed_at": computed_at,
        "xlsx_url": f"{menu.url(f'dashboards:{board.key}_xlsx')}?{urlencode(shown)}",
    })


def tabs(boards: list[dict]) -> dict[str | None, SafeString]:
    """The tabs of the boards index (key None), of each board page (its own tab active) and of a
    board page without a tab of its own (key "": none active)."""
    return {key: render_to_string(TABS,
                                  {"tabs": boards, "board": None if key is None else {"key": key}})
            for key in [None, "", *(board["key"] for board in boards)]}
