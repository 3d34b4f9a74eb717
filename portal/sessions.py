"""Django's database sessions, the session read by one prepared statement on PostgreSQL.

Every signed-in page reads its session row. Through the ORM that cost 0.70 ms of CPU a request
on the benchmark machine, building the same query each time; as a statement prepared once per
connection (portal.prepared) it costs 0.22 ms (issue #19). The row, its expiry test
(`expire_date` later than now, by the application's clock) and everything else are Django's
`db.SessionStore`. Where portal.prepared is off (SQLite, PG_PREPARED_STATEMENTS=off) the ORM
reads it as before.
"""

from django.contrib.sessions.backends import db
from django.db import connection
from django.utils import timezone

from portal import prepared

# The expiry as text cast by PostgreSQL: a datetime parameter is never prepared (portal.prepared).
READ = ('SELECT "session_data", "expire_date" FROM "django_session" '
        'WHERE "session_key" = %s AND "expire_date" > CAST(%s AS timestamptz)')


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not prepared.enabled() or self.model._meta.db_table != "django_session":
            return super()._get_session_from_db()
        with connection.cursor() as cursor:
            prepared.execute(cursor, READ, [self.session_key, timezone.now().isoformat()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django does for a missing or expired session
            return None
        return self.model(session_key=self.session_key, session_data=row[0], expire_date=row[1])
