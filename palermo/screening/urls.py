from django.urls import path

from palermo.screening import screening_views, views

app_name = "screening"
urlpatterns = [
    path("qualify/", views.qualify, name="qualify"),
    path("", screening_views.screening_list, name="list"),
    path("new/<int:list_pk>/", screening_views.screening_new, name="new"),
    path("<int:pk>/", screening_views.screening_detail, name="detail"),
    path("<int:pk>/result.pdf", screening_views.screening_pdf, name="pdf"),
    path("<int:pk>/open-case/", screening_views.screening_open_case, name="open_case"),
]
