from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("matters/", views.matter_list, name="matter_list"),
    path("matters/<str:code>/", views.matter_detail, name="matter_detail"),
    path("subjects/", views.subject_search, name="subject_search"),
    path("subjects/new/", views.subject_create, name="subject_create"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject_detail"),
    path("", include("approvals.web.urls")),
]
