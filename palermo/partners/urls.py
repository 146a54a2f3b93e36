from django.urls import path

from palermo.partners import views

app_name = "partners"
urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("partnerships/", views.partnerships, name="partnerships"),
]
