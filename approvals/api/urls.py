from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("matters/", views.MatterListApi.as_view(), name="matter_list"),
    path("matters/<str:code>/", views.MatterDetailApi.as_view(), name="matter_detail"),
    path("applications/", views.ApplicationsApi.as_view(), name="applications"),
    path("applications/<int:application_id>/", views.ApplicationDetailApi.as_view(), name="application_detail"),
    path("applications/<int:application_id>/credit-checks/", views.ApplicationCreditChecksApi.as_view(),
         name="application_credit_checks"),
    path("applications/<int:application_id>/choose-commitment/", views.ApplicationChooseCommitmentApi.as_view(),
         name="application_choose_commitment"),
    path("applications/<int:application_id>/choose-standard/", views.ApplicationChooseStandardApi.as_view(),
         name="application_choose_standard"),
    path("applications/<int:application_id>/notice/", views.ApplicationNoticeApi.as_view(), name="application_notice"),
    path("applications/<int:application_id>/sign/", views.ApplicationSignApi.as_view(), name="application_sign"),
    path("applications/<int:application_id>/withdraw-signature/", views.ApplicationWithdrawSignatureApi.as_view(),
         name="application_withdraw_signature"),
    path("applications/<int:application_id>/materials/", views.ApplicationMaterialsApi.as_view(),
         name="application_materials"),
    path("applications/<int:application_id>/accept-lenient/", views.ApplicationAcceptLenientApi.as_view(),
         name="application_accept_lenient"),
    path("applications/<int:application_id>/decide/", views.ApplicationDecideApi.as_view(), name="application_decide"),
    path("applications/<int:application_id>/reject/", views.ApplicationRejectApi.as_view(), name="application_reject"),
    path("applications/<int:application_id>/terminate/", views.ApplicationTerminateApi.as_view(),
         name="application_terminate"),
    path("applications/<int:application_id>/convert-to-standard/", views.ApplicationConvertToStandardApi.as_view(),
         name="application_convert_to_standard"),
    path("otp/", views.OneTimeCodeApi.as_view(), name="otp"),
    path("supplements/<int:supplement_id>/supply/", views.SupplementSupplyApi.as_view(), name="supplement_supply"),
    path("supplements/<int:supplement_id>/review/", views.SupplementReviewApi.as_view(), name="supplement_review"),
    path("packages/", views.PackagesApi.as_view(), name="packages"),
    path("packages/<int:package_id>/", views.PackageDetailApi.as_view(), name="package_detail"),
    path("packages/<int:package_id>/sign/", views.PackageSignApi.as_view(), name="package_sign"),
    path("packages/<int:package_id>/decide/", views.PackageDecideApi.as_view(), name="package_decide"),
    path("licences/<str:number>/", views.LicenceDetailApi.as_view(), name="licence_detail"),
]
