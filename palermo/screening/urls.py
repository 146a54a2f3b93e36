from django.urls import path

from palermo.screening import views

app_name = "screening"
urlpatterns = [
    path("qualify/", views.qualify, name="qualify"),
]
