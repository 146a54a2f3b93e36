from django.urls import path

from palermo.cases import caseload, views, views_rights

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("search/", caseload.search, name="search"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
    path("<int:pk>/identity/", views.case_identity, name="identity"),
    path("<int:pk>/hold/", views_rights.case_hold, name="hold"),
    path("<int:pk>/subject-access/", views_rights.case_subject_access, name="subject_access"),
    path("<int:pk>/erase/", views_rights.case_erase, name="erase"),
    path("retention/", views_rights.retention_policies, name="retention"),
    path("retention/<str:code>/", views_rights.retention_policy_edit, name="retention_edit"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
]
