from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from communities.api import CommunityViewSet

router = DefaultRouter()
router.register("communities", CommunityViewSet, basename="community")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api_token"),
    path("", include(router.urls)),
]
