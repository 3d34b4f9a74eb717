"""The portal's URLs plus a view that fails, to render the 500 page (tests/portal/test_shell.py)."""

from config.urls import handler500  # noqa: F401  (handler500 is read here)
from config.urls import urlpatterns as portal_urlpatterns
from tests.portal.test_shell import urlpatterns as boom

urlpatterns = [*boom, *portal_urlpatterns]
