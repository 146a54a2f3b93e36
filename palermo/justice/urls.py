from django.urls import path

from palermo.justice import views

app_name = "justice"
urlpatterns = [
    path("", views.proceedings, name="proceedings"),
    path("new/", views.proceeding_new, name="new"),
    path("<int:pk>/", views.proceeding_detail, name="proceeding"),
    path("<int:pk>/edit/", views.proceeding_edit, name="edit"),
    path("<int:pk>/decisions/", views.decision_new, name="decision_new"),
    path("<int:pk>/victims/", views.victim_set, name="victim_set"),
    path("decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("victims/<int:pk>/remove/", views.victim_remove, name="victim_remove"),
    path("defendants/", views.defendants, name="defendants"),
    path("defendants/<int:pk>/edit/", views.defendant_edit, name="defendant_edit"),
    path("figures/", views.figures_page, name="figures"),
    path("figures/<slug:name>/", views.figures_download, name="figures_download"),
]
