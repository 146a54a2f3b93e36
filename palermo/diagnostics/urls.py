from django.urls import path

from palermo.diagnostics import views

app_name = "diagnostics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<slug:name>.csv", views.figure_csv, name="figure_csv"),
    path("official-statistics/", views.official, name="official"),
    path("releases/", views.releases, name="releases"),
    path("releases/<int:pk>/download/", views.release_download, name="release_download"),
]
