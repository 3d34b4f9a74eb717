"""Dashboards (看板): plan vs actual, coverage, quotas, overdue, Fuyang 挂图作战."""
from django.urls import path

from dashboards import views
from dashboards.boards import BOARDS

app_name = "dashboards"
urlpatterns = [path("", views.index, name="index")]
for key in BOARDS:
    urlpatterns += [
        path(f"{key}/", views.board, {"key": key}, name=key),
        path(f"{key}.xlsx", views.export, {"key": key, "fmt": "xlsx"}, name=f"{key}_xlsx"),
        path(f"{key}.csv", views.export, {"key": key, "fmt": "csv"}, name=f"{key}_csv"),
    ]
