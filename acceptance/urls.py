from django.urls import path

from acceptance import views

app_name = "acceptance"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/export.xlsx", views.inbox, {"fmt": "xlsx"}, name="inbox_xlsx"),
    path("inbox/export.csv", views.inbox, {"fmt": "csv"}, name="inbox_csv"),
    path("inbox/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("inbox/read-all/", views.mark_all_read, name="mark_all_read"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
]
