from django.urls import path

from supervision import approval_views, meeting_views, operation_views, summary_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("orders.xlsx", views.index, {"fmt": "xlsx", "which": "orders"}, name="inspection_orders_xlsx"),
    path("orders.csv", views.index, {"fmt": "csv", "which": "orders"}, name="inspection_orders_csv"),
    path("supervision.xlsx", views.index, {"fmt": "xlsx", "which": "supervision"}, name="supervision_orders_xlsx"),
    path("supervision.csv", views.index, {"fmt": "csv", "which": "supervision"}, name="supervision_orders_csv"),
    path("overdue.xlsx", views.index, {"fmt": "xlsx", "which": "overdue"}, name="overdue_items_xlsx"),
    path("overdue.csv", views.index, {"fmt": "csv", "which": "overdue"}, name="overdue_items_csv"),
    path("projects/<int:project_pk>/inspect/", views.inspection_new, name="inspection_new"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/issue/", views.inspection_issue, name="inspection_issue"),
    path("items/<int:pk>/reply/", views.item_reply, name="item_reply"),
    path("items/<int:pk>/review/", views.item_review, name="item_review"),
    path("orders/new/", views.order_new, name="order_new"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/reply/", views.order_reply, name="order_reply"),
    path("orders/<int:pk>/review/", views.order_review, name="order_review"),
    path("urge/<int:deadline_pk>/", views.urge, name="urge"),
    path("approvals/", approval_views.ledger, name="approval_ledger"),
    path("approvals.xlsx", approval_views.ledger, {"fmt": "xlsx"}, name="approval_ledger_xlsx"),
    path("approvals.csv", approval_views.ledger, {"fmt": "csv"}, name="approval_ledger_csv"),
    path("projects/<int:project_pk>/approvals/", approval_views.approval_form, name="approvals"),
    path("meetings/", meeting_views.meeting_list, name="meetings"),
    path("meetings.xlsx", meeting_views.meeting_list, {"fmt": "xlsx"}, name="meetings_xlsx"),
    path("meetings.csv", meeting_views.meeting_list, {"fmt": "csv"}, name="meetings_csv"),
    path("meetings/<int:pk>/", meeting_views.meeting_detail, name="meeting"),
    path("summaries/", summary_views.summary_list, name="summaries"),
    path("summaries.xlsx", summary_views.summary_list, {"fmt": "xlsx"}, name="summaries_xlsx"),
    path("summaries.csv", summary_views.summary_list, {"fmt": "csv"}, name="summaries_csv"),
    path("operations/", operation_views.operations_list, name="operations_list"),
    path("operations.xlsx", operation_views.operations_list, {"fmt": "xlsx"}, name="operations_list_xlsx"),
    path("operations.csv", operation_views.operations_list, {"fmt": "csv"}, name="operations_list_csv"),
    path("projects/<int:project_pk>/operations/", operation_views.operations_dossier, name="operations"),
]
