from django.urls import path

from subsidies import views

app_name = "subsidies"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("summary/", views.summary, name="summary"),
    path("confirm/", views.confirm, name="confirm"),
    path("apply/", views.apply, name="apply"),
    path("projects/<int:pk>/", views.project_statement, name="project"),
    path("projects/<int:pk>/override/", views.request_override, name="request_override"),
    path("projects/<int:pk>/override/<int:override_id>/", views.decide_override, name="decide_override"),
]
