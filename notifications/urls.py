from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("messages/", views.message_list, name="list"),
    path("messages/<int:pk>/", views.message_detail, name="detail"),
    path("messages/read-all/", views.mark_all_read, name="read_all"),
    path("messages/language/", views.preference, name="preference"),
    path("messages/failed/", views.failed, name="failed"),
    path("messages/failed/<int:pk>/retry/", views.retry, name="retry"),
]
