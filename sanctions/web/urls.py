from django.urls import path

from . import views

app_name = "sanctions"

urlpatterns = [
    path("sanctions/", views.case_list, name="cases"),
    path("sanctions/new/", views.case_new, name="case_new"),
    path("sanctions/<int:pk>/", views.case_detail, name="case"),
    path("sanctions/<int:pk>/grade/", views.case_grade, name="case_grade"),
    path("sanctions/<int:pk>/escalate/", views.case_escalate, name="case_escalate"),
    path("sanctions/<int:pk>/order-rectification/", views.case_order_rectification, name="case_order"),
    path("sanctions/<int:pk>/rectified/", views.case_rectified, name="case_rectified"),
    path("sanctions/<int:pk>/not-rectified/", views.case_not_rectified, name="case_not_rectified"),
    path("sanctions/<int:pk>/revoke/", views.case_revoke, name="case_revoke"),
    path("sanctions/<int:pk>/objections/<int:objection_id>/decide/", views.objection_decide,
         name="objection_decide"),
    path("sanctions/<int:pk>/repairs/<int:repair_id>/decide/", views.repair_decide, name="repair_decide"),
    path("sanctions/restrictions/", views.restriction_list, name="restrictions"),
    path("sanctions/restrictions/new/", views.restriction_new, name="restriction_new"),
    path("sanctions/restrictions/<int:pk>/", views.restriction_detail, name="restriction"),
    path("sanctions/restrictions/<int:pk>/lift/", views.restriction_lift, name="restriction_lift"),
    path("sanctions/objections/", views.objection_queue, name="objections"),
    path("sanctions/repairs/", views.repair_queue, name="repairs"),
    path("sanctions/key-targets/", views.key_targets, name="key_targets"),
    path("my/cases/", views.my_cases, name="my_cases"),
    path("my/cases/<int:pk>/objection/", views.my_objection, name="my_objection"),
    path("my/cases/<int:pk>/repair/", views.my_repair, name="my_repair"),
    path("public/restrictions/", views.public_restrictions, name="public_restrictions"),
    path("public/violations/", views.public_violations, name="public_violations"),
]
