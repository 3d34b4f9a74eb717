from django.urls import path

from residents import views_public as views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("p/<int:pk>/", views.project, name="project"),
    path("f/<int:pk>/", views.attachment, name="attachment"),
    path("n/<int:pk>/", views.notice, name="notice"),
    path("n/<int:pk>/objection/", views.objection, name="objection"),
    path("s/<str:token>/", views.survey, name="survey"),
]
