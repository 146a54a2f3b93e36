from django.urls import path

from palermo.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("<slug:name>/download/", views.download, name="download"),
]
