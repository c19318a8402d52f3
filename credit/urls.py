from django.urls import path

from .web import views

app_name = "credit"
urlpatterns = [
    path("my/credit/", views.my_credit, name="mine"),
    path("credit/subjects/", views.subject_search, name="search"),
    path("credit/subjects/<int:pk>/", views.subject_credit, name="subject"),
    path("credit/subjects/<int:pk>/record/", views.subject_record, name="record"),
]
