from django.urls import path

from communities import views

urlpatterns = [
    path("", views.home, name="home"),
    path("communities/", views.community_list, name="community_list"),
    path("communities/<int:pk>/", views.community_detail, name="community_detail"),
    path("communities/import/", views.community_import, name="community_import"),
    path("logs/operations/", views.operation_log, name="operation_log"),
    path("logs/logins/", views.login_log, name="login_log"),
    path("communities/import/template.xlsx", views.import_template, name="community_import_template"),
]
