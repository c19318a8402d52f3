from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("checks/", views.check_list, name="checks"),
    path("checks/<int:obligation_id>/", views.check_detail, name="check"),
    path("checks/<int:obligation_id>/start/", views.check_start, name="check_start"),
    path("checks/<int:obligation_id>/records/<int:record_id>/items/<int:item_id>/", views.item_save,
         name="item_save"),
    path("checks/<int:obligation_id>/records/<int:record_id>/items/<int:item_id>/photos/", views.photo_upload,
         name="photo_upload"),
    path("checks/<int:obligation_id>/records/<int:record_id>/sign/", views.record_sign, name="record_sign"),
    path("checks/<int:obligation_id>/records/<int:record_id>/correct/", views.record_correct,
         name="record_correct"),
    path("checks/photos/<int:photo_id>/", views.photo_view, name="photo"),
    path("draws/", views.draw_list, name="draws"),
    path("draws/new/", views.draw_new, name="draw_new"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/run/", views.draw_run, name="draw_run"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
    path("obligations/overdue/", views.overdue, name="overdue"),
    path("recusals/", views.recusals, name="recusals"),
    path("public/draws/", views.public_draws, name="public_draws"),
    path("public/draws/<str:number>/", views.public_draw, name="public_draw"),
]
