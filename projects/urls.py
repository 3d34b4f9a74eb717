from django.urls import path

from projects import print_views, report_views, views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/export.xlsx", views.review_queue, {"fmt": "xlsx"}, name="review_queue_xlsx"),
    path("review/export.csv", views.review_queue, {"fmt": "csv"}, name="review_queue_csv"),
    path("review/batch/", views.review_batch, name="review_batch"),
    path("new/", views.project_create, name="create"),
    path("prechecks/", views.project_prechecks, name="prechecks"),
    path("what-if/", views.what_if, name="what_if"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/print/application/", print_views.application_form, name="print_application"),
    path("<int:pk>/print/review/", print_views.review_opinions, name="print_review"),
    path("<int:pk>/act/", views.project_act, name="act"),
    path("<int:pk>/reports/new/", report_views.monthly_report_form, name="report_new"),
    path("<int:pk>/reports/<int:report_pk>/", report_views.monthly_report_form, name="report_edit"),
    path("<int:pk>/reports/<int:report_pk>/correction/", report_views.correction_request,
         name="report_correction"),
    path("<int:pk>/corrections/<int:correction_pk>/decide/", report_views.correction_decide,
         name="correction_decide"),
    path("<int:pk>/spending/", views.spending_add, name="spending_add"),
    path("<int:pk>/spending/finalise/", views.spending_finalise, name="spending_finalise"),
    path("<int:pk>/spending/<int:record>/correct/", views.spending_correct, name="spending_correct"),
    path("<int:pk>/spending/<int:record>/decide/", views.spending_decide, name="spending_decide"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/download/", views.attachment_download, name="attachment_download"),
]
