"""A board's page as HTML, rendered once per computation and kept with it (dashboards.cache):
the body below the tabs with the board, the tabs with the list of boards. A cached board's
request renders only the page around them (header, menu). Everything they show comes from
the computation and the parameters in its cache key; nothing from the user or the request."""

import datetime as dt
import html
from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from dashboards.tables import Board
from portal import menu

BODY = "dashboards/_board_body.html"
TEMPLATES = (BODY,)  # rendered into cache entries: part of dashboards.cache.release()


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
    board page without a tab of its own (key "": none active). Built here, every value escaped
    as a template escapes it (Django's escape is html.escape), rather than by rendering a
    template once per key: a board computed afresh rendered it 9 times, 1.5 ms of the page."""
    index = html.escape(menu.url("dashboards:index"))
    items = [(board["key"], html.escape(str(board["url"])), html.escape(str(board["title"]))) for board in boards]

    def shown(active: str | None) -> SafeString:
        links = "".join(f'<li class="nav-item"><a class="nav-link{" active" if key == active else ""}" '
                        f'href="{url}">{title}</a></li>' for key, url, title in items)
        return mark_safe(  # safe: every value above is escaped
            '<ul class="nav nav-tabs mb-3" data-testid="dashboard-tabs">\n'
            f'  <li class="nav-item"><a class="nav-link{" active" if active is None else ""}" href="{index}">'
            f'看板首页</a></li>\n  {links}\n</ul>\n')

    return {key: shown(key) for key in [None, "", *(key for key, _, _ in items)]}
