"""Every kind of notification the apps emit has its own Chinese label in the inbox's 类型
column (and its Excel), never the generic “通知”: the labels are declared by the app that
emits them (AppConfig.inbox_events) and read through portal.notifications.event_label."""

import ast
from pathlib import Path

import pytest

from portal.notifications import GENERIC_LABEL, event_label, event_labels

ROOT = Path(__file__).resolve().parents[2]
APPS = ("acceptance", "communities", "dashboards", "demo", "portal", "projects", "residents", "subsidies",
        "supervision")

# Call sites whose kind is built at run time: (file, function) → every kind it can emit, by hand.
DYNAMIC = {
    ("projects/notices.py", "notify_workflow_move"): [
        "project_start_application", "project_submit", "project_approve", "project_return", "project_reject",
        "project_withdraw", "project_record_listing", "project_request_acceptance", "project_record_acceptance",
        "project_record_naming", "project_terminate", "project_finalise_spending"],
    ("projects/report_corrections.py", "_notify"): ["report_correction_request", "report_correction_decision"],
    ("subsidies/notices.py", "payments_moved"): ["payment_approved", "payment_paid"],
    ("supervision/inspections.py", "review"): ["inspection_order_close", "inspection_order_send_back"],
    ("supervision/orders.py", "review"): ["supervision_accept", "supervision_send_back"],
    ("supervision/operations.py", "_tell_district"): ["operator_recorded", "operating_report_filed",
                                                      "fund_inflow_recorded"],
}
INSERTED_IN_SQL = ["alert"]  # acceptance.notifications.record_alerts


def notify_calls():
    """(file, enclosing function, first argument) of every notify(...) call in the apps."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    name = getattr(getattr(node, "func", None), "id", None) or getattr(
                        getattr(node, "func", None), "attr", None)
                    if isinstance(node, ast.Call) and name == "notify" and node.args:
                        found.append((str(path.relative_to(ROOT)), function.name, node.args[0]))
    return found


def emitted_kinds() -> set[str]:
    kinds = set(INSERTED_IN_SQL)
    for file, function, first in notify_calls():
        if isinstance(first, ast.Constant):
            kinds.add(first.value)
        else:
            assert (file, function) in DYNAMIC, (
                f"{file}:{function} emits a kind built at run time: list its kinds in DYNAMIC")
            kinds.update(DYNAMIC[(file, function)])
    return kinds


def test_the_scan_finds_the_known_call_sites():
    kinds = emitted_kinds()
    assert {"rectification_issued", "inspection_orders_issued", "supervision_issued", "notice_objection",
            "account_locked", "work_summary_filed", "spending_correction"} <= kinds
    assert len(kinds) >= 33


def test_every_emitted_kind_has_its_own_chinese_label():
    unlabelled = sorted(kind for kind in emitted_kinds() if event_label(kind) == GENERIC_LABEL)
    assert unlabelled == []
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in event_labels().values())


@pytest.mark.parametrize("kind, label", [
    ("alert", "预警"), ("rectification_issued", "整改通知"), ("project_submit", "提交申报"),
    ("project_record_naming", "录入命名"), ("payment_paid", "奖补资金已拨付"), ("supervision_accept", "督办办结"),
    ("inspection_order_send_back", "整改退回"), ("notice_objection", "公示异议"), ("account_locked", "账号锁定"),
    ("report_correction_request", "月报更正申请"), ("no_such_kind", "通知"),
])
def test_labels_written_by_hand(kind, label):
    assert event_label(kind) == label


@pytest.mark.django_db
def test_the_inbox_page_and_its_excel_show_the_label(users, client_for):
    from portal.notifications import notify

    notify("supervision_replied", title="【督办回复】测试督办 已回复，请审核", users=[users["city_jiaxing"]])
    client = client_for("city_jiaxing")
    assert "<td>督办回复</td>" in client.get("/inbox/").content.decode()
    exported = client.get("/inbox/export.csv")
    assert exported.status_code == 200
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    assert "督办回复,【督办回复】测试督办" in content.decode("utf-8-sig")
