from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("verify/", views.verify_code, name="verify_code"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("documents/<int:pk>/pdf/", views.download, name="download"),
    path("documents/packages/<int:package_id>/certificates.pdf", views.package_listing, name="package_listing"),
    path("documents/packages/<int:package_id>/render/", views.package_resume, name="package_resume"),
]
