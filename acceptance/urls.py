from django.urls import path

from acceptance import batch_views, print_views, views, whole_area_views

app_name = "acceptance"
urlpatterns = [
    path("batches/", batch_views.batch_list, name="batches"),
    path("batches/acceptance.xlsx", batch_views.batch_list, {"fmt": "xlsx", "which": "acceptance"},
         name="acceptance_batches_xlsx"),
    path("batches/acceptance.csv", batch_views.batch_list, {"fmt": "csv", "which": "acceptance"},
         name="acceptance_batches_csv"),
    path("batches/naming.xlsx", batch_views.batch_list, {"fmt": "xlsx", "which": "naming"},
         name="naming_batches_xlsx"),
    path("batches/naming.csv", batch_views.batch_list, {"fmt": "csv", "which": "naming"}, name="naming_batches_csv"),
    path("batches/acceptance/new/", batch_views.acceptance_batch_create, name="acceptance_batch_create"),
    path("batches/acceptance/<int:pk>/", batch_views.acceptance_batch_detail, name="acceptance_batch"),
    path("batches/naming/new/", batch_views.naming_batch_create, name="naming_batch_create"),
    path("rectifications/<int:pk>/print/", print_views.rectification_notice, name="rectification_print"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
    path("whole-area/", whole_area_views.whole_area_list, name="whole_area"),
    path("whole-area/apply/", whole_area_views.whole_area_apply, name="whole_area_apply"),
    path("whole-area/<int:pk>/decide/", whole_area_views.whole_area_decide, name="whole_area_decide"),
    path("whole-area/<int:pk>/publish/", whole_area_views.whole_area_publish, name="whole_area_publish"),
]
