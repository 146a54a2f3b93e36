from django.urls import path

from palermo.steering import views

app_name = "steering"
urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("new/", views.meeting_create, name="create"),
    path("<int:year>/", views.meeting_detail, name="detail"),
    path("<int:year>/close/", views.meeting_close, name="close"),
    path("<int:year>/decisions/new/", views.decision_create, name="decision-create"),
    path("<int:year>/review.<str:fmt>", views.review_document, name="review"),
    path("<int:year>/tables/<slug:table>.csv", views.review_table, {"fmt": "csv"}, name="table-csv"),
    path("<int:year>/tables/<slug:table>.xlsx", views.review_table, {"fmt": "xlsx"}, name="table-xlsx"),
]
