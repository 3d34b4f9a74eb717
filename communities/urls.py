from django.contrib.auth.decorators import login_required
from django.urls import path

from communities import regions, user_views, views

urlpatterns = [
    path("communities/", views.community_list, name="community_list"),
    path("communities/export.xlsx", views.community_list, {"fmt": "xlsx"}, name="community_list_xlsx"),
    path("communities/export.csv", views.community_list, {"fmt": "csv"}, name="community_list_csv"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("communities/import/", views.community_import, name="community_import"),
    path("logs/operations/", views.operation_log, name="operation_log"),
    path("logs/operations/export.xlsx", views.operation_log, {"fmt": "xlsx"}, name="operation_log_xlsx"),
    path("logs/operations/export.csv", views.operation_log, {"fmt": "csv"}, name="operation_log_csv"),
    path("logs/logins/", views.login_log, name="login_log"),
    path("logs/logins/export.xlsx", views.login_log, {"fmt": "xlsx"}, name="login_log_xlsx"),
    path("logs/logins/export.csv", views.login_log, {"fmt": "csv"}, name="login_log_csv"),
    path("regions/streets/", login_required(regions.streets_json), name="region_streets"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_edit, name="user_new"),
    path("users/<int:pk>/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", user_views.user_toggle, name="user_toggle"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
    path("communities/import/template.xlsx", views.import_template, name="community_import_template"),
]
