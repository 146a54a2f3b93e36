from django.contrib.auth import views as auth_views
from django.urls import path

from palermo.accounts import views, views_approvals

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("profile/", views.profile, name="profile"),
    path("approvals/", views_approvals.approvals, name="approvals"),
    path("approvals/<int:pk>/", views_approvals.approval, name="approval"),
]
