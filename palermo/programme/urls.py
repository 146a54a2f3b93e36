from django.urls import path

from palermo.programme import analysis_views, framework_views, views

app_name = "programme"
urlpatterns = [
    path("actions/", views.action_list, name="action_list"),
    path("actions/new/", views.action_edit, name="action_create"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_pk>/results/new/", framework_views.result_edit, name="result_create"),
    path("results/<int:pk>/edit/", framework_views.result_edit, name="result_edit"),
    path("results/<int:pk>/delete/", framework_views.result_delete, name="result_delete"),
    path("results/<int:result_pk>/indicators/new/", framework_views.indicator_edit, name="indicator_create"),
    path("indicators/<int:pk>/edit/", framework_views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", framework_views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:indicator_pk>/periods/new/", framework_views.period_edit, name="period_create"),
    path("periods/<int:pk>/edit/", framework_views.period_edit, name="period_edit"),
    path("periods/<int:pk>/delete/", framework_views.period_delete, name="period_delete"),
    path("transactions/<int:pk>/edit/", framework_views.transaction_edit, name="transaction_edit"),
    path("transactions/<int:pk>/delete/", framework_views.transaction_delete, name="transaction_delete"),
    path("budgets/<int:pk>/edit/", framework_views.budget_edit, name="budget_edit"),
    path("budgets/<int:pk>/delete/", framework_views.budget_delete, name="budget_delete"),
    path("actions/<int:action_pk>/documents/new/", framework_views.document_add, name="document_create"),
    path("documents/<int:pk>/delete/", framework_views.document_delete, name="document_delete"),
    path("documents/<int:pk>/file/", framework_views.document_file, name="document_file"),
    path("greta/", views.greta_list, name="greta_list"),
    path("greta/upload/", framework_views.greta_upload, name="greta_upload"),
    path("greta/<int:pk>/", views.greta_detail, name="greta_detail"),
    path("complementarity/", analysis_views.matrix, name="matrix"),
    path("complementarity/overlaps/", analysis_views.overlaps, name="overlaps"),
    path("complementarity/gaps/", analysis_views.gaps, name="gaps"),
    path("complementarity/timeline/", analysis_views.timeline, name="timeline"),
]
