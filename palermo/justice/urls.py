from django.urls import path

app_name = "justice"
urlpatterns: list = []
