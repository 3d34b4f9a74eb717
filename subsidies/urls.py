from django.urls import path

from subsidies import export_views, views

app_name = "subsidies"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("summary/", views.summary, name="summary"),
    path("confirm/", views.confirm, name="confirm"),
    path("apply/", views.apply, name="apply"),
    path("projects/<int:pk>/", views.project_statement, name="project"),
    path("exports/", export_views.export_index, name="exports"),
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/progress/", export_views.export_progress, name="export_progress"),
    path("exports/jobs/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<slug:kind>/", export_views.export_report, name="export"),
]
