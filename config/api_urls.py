"""One router for the whole API. Each app registers its viewsets in `register(router)`
of its api module, so apps never edit this file to add an endpoint."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from communities.tokens import ObtainExpiringToken, RevokeToken

API_MODULES = ["portal.api", "communities.api", "projects.api", "residents.api", "acceptance.api", "subsidies.api",
               "supervision.api", "dashboards.api"]

router = DefaultRouter()
extra_urls = []
for module_name in API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_urls += getattr(module, "extra_urls", [])

urlpatterns = [
    path("auth/token/", ObtainExpiringToken.as_view(), name="api_token"),
    path("auth/token/revoke/", RevokeToken.as_view(), name="api_token_revoke"),
    *extra_urls,
    path("", include(router.urls)),
]
