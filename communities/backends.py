"""The authentication backend: Django's ModelBackend, loading a signed-in user with its office
and the office's region in one query.

Every page and API call asks for the user's data scope (communities.scope: `user.office.region`),
which ModelBackend's `get_user` left to two more lazy queries per request. Token requests
already read the same three rows at once (communities.token_auth).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from communities import user_rows
from portal import auth_middleware


class OfficeModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Stop here: ModelBackend, listed after this backend only so that sessions signed in
            # through it stay valid, would check the same password a second time. Django answers
            # a PermissionDenied exactly as "no backend accepted" (user_login_failed, which
            # django-axes counts).
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        model = get_user_model()
        user = _read_with_session(user_id)
        if user is NotImplemented:
            user = user_rows.load(model._meta.label, user_id) if isinstance(user_id, int) else NotImplemented
        if user is NotImplemented:
            try:
                user = model._default_manager.select_related("office__region").get(pk=user_id)
            except (model.DoesNotExist, ValueError, TypeError):
                return None
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None


def _read_with_session(user_id):
    """The user the request's session row was read with (communities.sessions), when it is the
    user `user_id` its data names; NotImplemented otherwise (the backend reads the user)."""
    loaded = getattr(auth_middleware.reading_session(), "loaded_user", None)
    if loaded is None or not isinstance(user_id, int) or loaded.pk != user_id:
        return NotImplemented
    return loaded
