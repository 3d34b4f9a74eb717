from django.urls import path

from subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("summary/", views.summary, name="summary"),
    path("approved/", views.approved, name="approved"),
    path("confirm/", views.confirm, name="confirm"),
    path("apply/", views.apply, name="apply"),
    path("projects/<int:pk>/", views.project_statement, name="project"),
]
