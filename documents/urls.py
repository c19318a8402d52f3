from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_code, name="verify_code"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("documents/<int:pk>/pdf/", views.download, name="download"),
]
