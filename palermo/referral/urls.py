from django.urls import path

from palermo.referral import views

app_name = "referral"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("cases/<int:case_pk>/", views.case_referral, name="case"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_new, name="service_new"),
    path("services/<int:pk>/verified/", views.service_confirm, name="service_confirm"),
]
