from django.urls import path

from subsidies import print_views, views

app_name = "subsidies"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("export.xlsx", views.ledger, {"fmt": "xlsx"}, name="payments_xlsx"),
    path("export.csv", views.ledger, {"fmt": "csv"}, name="payments_csv"),
    path("summary/", views.summary, name="summary"),
    path("approved/", views.approved, name="approved"),
    path("confirm/", views.confirm, name="confirm"),
    path("apply/", views.apply, name="apply"),
    path("projects/<int:pk>/", views.project_statement, name="project"),
    path("payments/<int:pk>/print/", print_views.payment_approval, name="payment_print"),
    path("projects/<int:pk>/override/", views.request_override, name="request_override"),
    path("projects/<int:pk>/override/<int:override_id>/", views.decide_override, name="decide_override"),
]
