"""One router for the whole API. Each app registers its viewsets in `register(router)`
of its api module, so apps never edit this file to add an endpoint."""

from importlib import import_module

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

API_MODULES = ["portal.api", "communities.api", "projects.api", "acceptance.api", "subsidies.api",
               "supervision.api"]

router = DefaultRouter()
extra_urls = []
for module_name in API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_urls += getattr(module, "extra_urls", [])

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api_token"),
    *extra_urls,
    path("", include(router.urls)),
]
