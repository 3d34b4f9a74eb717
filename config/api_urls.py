from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from communities.api import CommunityViewSet
from projects.api import AttachmentViewSet, MonthlyReportViewSet, ProjectViewSet, SpendingViewSet

router = DefaultRouter()
router.register("communities", CommunityViewSet, basename="community")
router.register("projects", ProjectViewSet, basename="project")
router.register("attachments", AttachmentViewSet, basename="attachment")
router.register("monthly-reports", MonthlyReportViewSet, basename="monthly-report")
router.register("spending", SpendingViewSet, basename="spending")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api_token"),
    path("", include(router.urls)),
]
