from django.urls import path

from palermo.assistance import views

app_name = "assistance"
urlpatterns = [
    path("cases/<int:case_pk>/new/", views.support_new, name="new"),
    path("<int:pk>/edit/", views.support_edit, name="edit"),
    path("<int:pk>/close/", views.support_close, name="close"),
]
