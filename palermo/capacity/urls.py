from django.urls import path

from palermo.capacity import views

app_name = "capacity"
urlpatterns = [
    path("", views.training_list, name="list"),
    path("new/", views.training_new, name="new"),
    path("<int:pk>/", views.training_detail, name="detail"),
    path("<int:pk>/edit/", views.training_edit, name="edit"),
    path("<int:pk>/delete/", views.training_delete, name="delete"),
    path("<int:pk>/participants/new/", views.participant_new, name="participant_new"),
    path("<int:pk>/participants/download/", views.participants_download, name="participants_download"),
    path("<int:pk>/attendance/", views.attendance_upload, name="attendance"),
    path("<int:pk>/imports/<int:import_pk>/", views.import_detail, name="import"),
    path("<int:pk>/survey/", views.survey, name="survey"),
    path("<int:pk>/survey/new/", views.survey_new, name="survey_new"),
    path("<int:pk>/materials/new/", views.material_new, name="material_new"),
    path("<int:pk>/certificates.pdf", views.certificates, name="certificates"),
    path("participants/<int:pk>/edit/", views.participant_edit, name="participant_edit"),
    path("participants/<int:pk>/delete/", views.participant_delete, name="participant_delete"),
    path("participants/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("materials/<int:pk>/", views.material_file, name="material"),
    path("materials/<int:pk>/delete/", views.material_delete, name="material_delete"),
]
