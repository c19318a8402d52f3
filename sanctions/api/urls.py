from django.urls import path

from . import views
from .csv import CreditFeedCsvApi

app_name = "sanctions_api"

urlpatterns = [
    path("violations/", views.ViolationsApi.as_view(), name="violations"),
    path("violations/<int:violation_id>/", views.ViolationDetailApi.as_view(), name="violation_detail"),
    path("violations/<int:violation_id>/grade/", views.ViolationGradeApi.as_view(), name="violation_grade"),
    path("violations/<int:violation_id>/escalate/", views.ViolationEscalateApi.as_view(), name="violation_escalate"),
    path("violations/<int:violation_id>/order-rectification/", views.ViolationOrderRectificationApi.as_view(),
         name="violation_order_rectification"),
    path("violations/<int:violation_id>/rectified/", views.ViolationRectifiedApi.as_view(),
         name="violation_rectified"),
    path("violations/<int:violation_id>/not-rectified/", views.ViolationNotRectifiedApi.as_view(),
         name="violation_not_rectified"),
    path("violations/<int:violation_id>/revoke/", views.ViolationRevokeApi.as_view(), name="violation_revoke"),
    path("violations/<int:violation_id>/objections/", views.ViolationObjectionsApi.as_view(),
         name="violation_objections"),
    path("violations/<int:violation_id>/repairs/", views.ViolationRepairsApi.as_view(), name="violation_repairs"),
    path("objections/<int:objection_id>/decide/", views.ObjectionDecideApi.as_view(), name="objection_decide"),
    path("repairs/<int:repair_id>/decide/", views.RepairDecideApi.as_view(), name="repair_decide"),
    path("restrictions/", views.RestrictionsApi.as_view(), name="restrictions"),
    path("restrictions/<int:restriction_id>/", views.RestrictionDetailApi.as_view(), name="restriction_detail"),
    path("restrictions/<int:restriction_id>/lift/", views.RestrictionLiftApi.as_view(), name="restriction_lift"),
    path("public/restrictions/", views.PublicRestrictionsApi.as_view(), name="public_restrictions"),
    path("public/violations/", views.PublicViolationsApi.as_view(), name="public_violations"),
    path("credit-feed/", views.CreditFeedApi.as_view(), name="credit_feed"),
    path("credit-feed.csv", CreditFeedCsvApi.as_view(), name="credit_feed_csv"),
]
