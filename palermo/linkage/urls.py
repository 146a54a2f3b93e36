from django.urls import path

from palermo.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("pairs/<int:pk>/judge/", views.judge, name="judge"),
    path("judgements/", views.history, name="history"),
    path("judgements/<int:pk>/undo/", views.undo, name="undo"),
    path("model/", views.model_page, name="model"),
    path("unique-victims/", views.unique, name="unique"),
]
