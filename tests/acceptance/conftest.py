"""Helpers for deadline, alert and notification tests.

Projects come from the shared world (tests/world.py): in bulk with hand-set dates
(`bulk_listed`, no signals: the sweep must find them by SQL), or through the real workflow
(the `listed_project` fixture, `request_acceptance`, `drive_to_accepted`,
`issue_rectification`) so the receivers run. Dates in the bulk tests are far in the future,
so `today` is always passed explicitly. What stays here are the snapshots a rerun must
reproduce exactly.
"""

from acceptance.models import Alert, Deadline
from portal.models import Delivery, Notification
from tests.world import accept as drive_to_accepted  # noqa: F401
from tests.world import act, issue_rectification, request_acceptance  # noqa: F401 (the tests' imports)
from tests.world import listed_rows as bulk_listed  # noqa: F401


def construction_alerts(**filters):
    return Alert.objects.filter(deadline__kind=Deadline.Kind.CONSTRUCTION, **filters)


def alert_set(alerts=None):
    """Alerts without ids: what a rerun must reproduce exactly."""
    alerts = Alert.objects.all() if alerts is None else alerts
    return sorted(alerts.values_list("deadline__project_id", "deadline__key", "due_on", "level", "period",
                                     "office__name", "state"))


def notification_set():
    return sorted(Notification.objects.values_list("user__username", "event", "project_id", "link", "link_label",
                                                   "title", "body", "mode"))


def delivery_set():
    return sorted(Delivery.objects.values_list("user__username", "kind", "notification__title",
                                               "notification__body", "state"))
