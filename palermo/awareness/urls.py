from django.urls import path

from palermo.awareness import views

app_name = "awareness"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_new, name="campaign_new"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/materials/new/", views.material_new, name="material_new"),
    path("materials/<int:pk>/versions/new/", views.version_new, name="version_new"),
    path("versions/<int:pk>/review/", views.version_review, name="version_review"),
    path("versions/<int:pk>/file/", views.version_file, name="version_file"),
    path("<int:pk>/reach/new/", views.reach_new, name="reach_new"),
    path("reach/<int:pk>/edit/", views.reach_edit, name="reach_edit"),
    path("risk/", views.risk_profiles, name="risk"),
    path("plan/", views.plan, name="plan"),
]
