"""How a permission decision is enforced, and the plumbing's own permissions.

Every app's `permissions.py` answers `can_<action>(user, obj) -> (allowed, reason)`; the
menu shows an item when its decision allows, a page refuses with `require_page` (403 with
the reason), a service with `require` (Forbidden: 403 in the API, a message on the page).
Scope is decided before (communities.scope): outside it the object is 404.
"""

from django.core.exceptions import PermissionDenied

from portal.errors import Forbidden

Decision = tuple[bool, str]
ALLOWED: Decision = (True, "")


def require(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise Forbidden(reason)


def require_page(decision: Decision) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def can_view_exports(user, obj=None) -> Decision:
    """报表导出: every signed-in user; each file is built within the user's data scope
    (DOMAIN §8: every table a user can see can be exported)."""
    if getattr(user, "is_authenticated", False):
        return ALLOWED
    return False, "请先登录"


def can_view_inbox(user, obj=None) -> Decision:
    """消息: every signed-in user has an inbox."""
    if getattr(user, "is_authenticated", False):
        return ALLOWED
    return False, "请先登录"
