from django.urls import path

from portal import export_views, notice_views, views

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
    path("notices/", notice_views.notice_list, name="notices"),
    path("notices/new/", notice_views.notice_edit, name="notice_new"),
    path("notices/<int:pk>/", notice_views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/edit/", notice_views.notice_edit, name="notice_edit"),
    path("policies/", notice_views.policy_library, name="policy_library"),
    # Browsers ask for /favicon.ico whatever the page links: answer with the portal's icon.
    path("favicon.ico", views.favicon, name="favicon"),
]
