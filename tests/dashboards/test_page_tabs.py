"""dashboards.page.tabs: the boards' tabs built in Python, one variant per active board."""

import re

from dashboards import page


def test_each_variant_marks_only_its_own_tab_and_escapes_every_value():
    boards = [{"key": "plan", "title": "创建计划", "url": "/dashboards/plan/"},
              {"key": "odd", "title": "A&B <i>", "url": "/d/?a=1&b=\"2\""}]
    shown = page.tabs(boards)
    assert set(shown) == {None, "", "plan", "odd"}
    active = {key: re.findall(r'class="nav-link active" href="([^"]*)"', html) for key, html in shown.items()}
    assert active == {None: ["/dashboards/"], "": [], "plan": ["/dashboards/plan/"],
                      "odd": ["/d/?a=1&amp;b=&quot;2&quot;"]}
    assert "A&amp;B &lt;i&gt;" in shown[""] and "<i>" not in shown[""]
    assert shown["plan"].count('<li class="nav-item">') == 3  # 看板首页 and the two boards
