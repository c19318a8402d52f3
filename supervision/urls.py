from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("supervision/", views.dashboard, name="dashboard"),
    path("supervision/export/<str:table>.<str:fmt>", views.export, name="export"),
    path("supervision/records/<str:name>/", views.records, name="records"),
    path("supervision/records/<str:name>/export.<str:fmt>", views.records_export, name="records_export"),
    path("supervision/refresh/", views.refresh, name="refresh"),
]
