from django.urls import path

from portal import export_views, views

app_name = "portal"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/export.xlsx", views.inbox, {"fmt": "xlsx"}, name="inbox_xlsx"),
    path("inbox/export.csv", views.inbox, {"fmt": "csv"}, name="inbox_csv"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("inbox/read-all/", views.mark_all_read, name="mark_all_read"),
    path("exports/", export_views.export_index, name="exports"),
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/jobs/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<slug:kind>/", export_views.export_report, name="export"),
]
