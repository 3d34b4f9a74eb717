from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from communities.login import LoginForm
from config.health import healthz
from portal.views import home

admin.site.site_header = "未来社区创建项目全生命周期管理平台"
admin.site.site_title = "未来社区管理平台"
handler500 = "portal.error_views.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its initialiser as a script file: no inline script under the CSP.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("api/", include("config.api_urls")),
    path("projects/", include("projects.urls")),
    path("dashboards/", include("dashboards.urls")),
    path("acceptance/", include("acceptance.urls")),
    path("subsidies/", include("subsidies.urls")),
    path("residents/", include("residents.urls")),
    path("gongshi/", include("residents.urls_public")),  # the public site: no login
    path("supervision/", include("supervision.urls")),
    path("", include("portal.urls")),
    path("", include("communities.urls")),
]
