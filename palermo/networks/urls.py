from django.urls import path

from palermo.networks import views, views_diagnosis

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("upload/", views.network_upload, name="upload"),
    path("<int:pk>/", views.network_detail, name="detail"),
    path("<int:pk>/graph.json", views.network_graph, name="graph"),
    path("<int:pk>/entities/", views.entity_list, name="entities"),
    path("<int:pk>/entities/<int:entity_pk>/", views.entity_detail, name="entity"),
    path("<int:pk>/entities/<int:entity_pk>/roles/", views.entity_annotate, name="annotate"),
    path("<int:pk>/entities/<int:entity_pk>/cases/", views.entity_link_case, name="link_case"),
    path("<int:pk>/share/", views.network_share, name="share"),
    path("<int:pk>/export/<str:fmt>/", views.network_export, name="export"),
    path("<int:pk>/diagnoses/new/", views_diagnosis.diagnosis_new, name="diagnosis_new"),
    path("diagnoses/", views_diagnosis.diagnosis_list, name="diagnoses"),
    path("diagnoses/<int:pk>/", views_diagnosis.diagnosis_detail, name="diagnosis"),
    path("diagnoses/<int:pk>/pdf/", views_diagnosis.diagnosis_pdf, name="diagnosis_pdf"),
    path("diagnoses/<int:pk>/<str:step>/", views_diagnosis.diagnosis_step, name="diagnosis_step"),
]
