"""已办 on the workbench: the moves the user made, from the project history; and the staff who
made them shown by real name and phone in the history and the inbox."""

import datetime as dt

import pytest

from communities.models import User
from projects.workbench import done_by
from tests import world as test_world

pytestmark = pytest.mark.django_db


def test_done_lists_the_users_own_moves_newest_first(client_for, users):
    first = test_world.create("shaoxing", test_world.community("330602001", "已办一社区"))
    second = test_world.create("shaoxing", test_world.community("330602001", "已办二社区"))
    test_world.act(first, "street_tashan", "submit")
    test_world.act(second, "street_tashan", "submit")
    test_world.act(first, "district_yuecheng", "return", comment="请补充运营方案")
    rows = list(done_by(users["street_tashan"]))
    assert [(t.project.community.name, t.action_label) for t in rows] == [
        ("已办二社区", "提交申报"), ("已办一社区", "提交申报"), ("已办二社区", "创建项目"), ("已办一社区", "创建项目")]
    html = client_for("district_yuecheng").get("/").content.decode()
    done = html.split("已办（最近办理）", 1)[1].split("</ul>", 1)[0]
    assert "退回修改 · " in done and "已办一社区" in done and "请补充运营方案" in done
    assert "已办二社区" not in done


def test_history_shows_the_actor_by_real_name_and_phone(client_for):
    User.objects.filter(username="district_yuecheng").update(first_name="李", last_name="", phone="0575-85201234")
    project = test_world.create("shaoxing")
    test_world.act(project, "street_tashan", "submit")
    test_world.act(project, "district_yuecheng", "return", comment="请补充")
    html = client_for("street_tashan").get(f"/projects/{project.pk}/").content.decode()
    timeline = html.split('data-testid="timeline"', 1)[1]
    assert '<span class="staff-name">李</span>' in timeline
    assert 'href="tel:0575-85201234"' in timeline


def test_inbox_shows_who_sent_a_rectification_notice(client_for, listed_project):
    User.objects.filter(username="district_yuecheng").update(first_name="王", last_name="", phone="13800000000")
    project = listed_project("shaoxing", listed_on=dt.date(2025, 3, 1))
    project = test_world.request_acceptance(project, "shaoxing")
    test_world.issue_rectification(project, "shaoxing", due_on=dt.date(2030, 6, 30))
    html = client_for("street_tashan").get("/inbox/").content.decode()
    sender = html.split('data-testid="sender"', 1)[1].split("</div>", 1)[0]
    assert "王" in sender and "13800000000" in sender
