from django.urls import path

from palermo.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("objectives/<int:number>/", views.objective, name="objective"),
    path("reference/exploitation-forms/", views.exploitation_forms, name="exploitation_forms"),
    path("reference/legal-frame/", views.legal_frame, name="legal_frame"),
    path("reference/indicators/", views.indicators, name="indicators"),
]
