"""The session engine (SESSION_ENGINE): Django's database sessions in communities.UserSession,
each row with the id of the user it signs in, read with that user, office and region in one
prepared statement on PostgreSQL (communities.user_rows.load_session, issue #19): a signed-in
page sends one statement for its session and user instead of two.

The session's data decides as before: Django reads the user id, backend and password hash from
it (django.contrib.auth.get_user). The user read with the row is kept on the store
(`loaded_user`), and communities.backends uses it only when it is the user the data names;
otherwise the backend reads the user itself. Where the ORM reads sessions (SQLite, prepared
statements off) nothing is kept.
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone

from communities import user_rows


class SessionStore(db.SessionStore):
    loaded_user = None  # the user read with the session row, if any (this store only)

    @classmethod
    def get_model_class(cls):
        from communities.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = _user_id(data.get(SESSION_KEY))
        return instance

    def _get_session_from_db(self):
        loaded = user_rows.load_session(self.session_key, timezone.now())
        if loaded is NotImplemented:
            return super()._get_session_from_db()
        if loaded is None:
            self._session_key = None  # as Django does for a missing or expired session
            return None
        data, expire_date, self.loaded_user = loaded
        return self.model(session_key=self.session_key, session_data=data, expire_date=expire_date,
                          user_id=None if self.loaded_user is None else self.loaded_user.pk)


def _user_id(value) -> int | None:
    """The session data's user id as the column keeps it (None for none, or one not an integer)."""
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
