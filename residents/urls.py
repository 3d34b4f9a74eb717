from django.urls import path

from residents import views

app_name = "residents"
urlpatterns = [
    path("projects/<int:pk>/", views.project_residents, name="project_surveys"),
    path("surveys/<int:pk>/", views.survey, name="survey"),
    path("surveys/<int:pk>/poster/", views.poster, name="poster"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
]
