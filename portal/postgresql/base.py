"""Django's PostgreSQL backend (ENGINE "portal.postgresql"), with a health check that costs no
round trip.

CONN_HEALTH_CHECKS asks `is_usable()` before each request that reuses a connection. Django's
sends `SELECT 1`: a round trip on every request (issue #19: 3–4 % of a list request's CPU, and
a statement on the database's side). A connection that is idle between requests receives
nothing from the server unless the server is dropping it: a restart, a failover,
`pg_terminate_backend` or `idle_session_timeout` send a FATAL message and close the socket,
which makes the socket readable. So here a reused connection is usable when the driver holds it
open and nothing is waiting on its socket; anything waiting closes it (Django then connects
afresh, as after a failed `SELECT 1`). After an error in the request before (`errors_occurred`),
Django's `SELECT 1` still decides. tests/reliability/test_database_restart.py and
tests/portal/test_postgresql_backend.py.
"""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.errors_occurred:
            return super().is_usable()
        driver = self.connection
        if driver is None or driver.closed:
            return False
        try:
            waiting, _, _ = select.select([driver.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket is gone
            return False
        return not waiting
