"""A board's page below its tabs, as HTML: rendered once per computation and kept with it
(dashboards.cache.board), so a cached board's request renders only the page around it (the
header, the menu, the tabs). Everything it shows comes from the board, the parameters in the
cache key and the computation's time; nothing from the user or the request."""

import datetime as dt
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from dashboards.tables import Board
from portal import menu


def body(board: Board, params: dict[str, str], computed_at: dt.datetime) -> SafeString:
    shown = {name: value for name, value in params.items() if value}
    csv_url = menu.url(f"dashboards:{board.key}_csv")
    tables = [{"table": table, "body": table.html_body(), "total": table.html_total(),
               "csv_url": f"{csv_url}?{urlencode({**shown, 'table': table.key})}"}
              for table in board.tables]
    return render_to_string("dashboards/_board_body.html", {
        "board": board, "tables": tables, "computed_at": computed_at,
        "xlsx_url": f"{menu.url(f'dashboards:{board.key}_xlsx')}?{urlencode(shown)}",
    })
