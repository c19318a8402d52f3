from django.urls import path

from . import views

urlpatterns = [
    path("apply/", views.apply, name="application_apply"),
    path("applications/", views.inbox, name="application_inbox"),
    path("applications/new/", views.intake, name="application_intake"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/letter.txt", views.letter_txt, name="application_letter_txt"),
    path("applications/<int:pk>/choose-commitment/", views.choose_commitment, name="application_choose_commitment"),
    path("applications/<int:pk>/choose-standard/", views.choose_standard, name="application_choose_standard"),
    path("applications/<int:pk>/sign/", views.sign, name="application_sign"),
    path("applications/<int:pk>/one-time-code/", views.otp, name="application_otp"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="application_withdraw"),
    path("applications/<int:pk>/accept-lenient/", views.accept_lenient, name="application_accept_lenient"),
    path("applications/<int:pk>/decide/", views.decide, name="application_decide"),
    path("applications/<int:pk>/reject/", views.reject, name="application_reject"),
    path("applications/<int:pk>/terminate/", views.terminate, name="application_terminate"),
    path("applications/<int:pk>/convert/", views.convert, name="application_convert"),
    path("applications/<int:pk>/materials/<int:material_id>/", views.upload_material, name="application_upload"),
    path("applications/<int:pk>/uploads/<int:upload_id>/", views.upload_download, name="application_upload_download"),
    path("applications/<int:pk>/supplements/<int:supplement_id>/supply/", views.supplement_supply,
         name="supplement_supply"),
    path("applications/<int:pk>/supplements/<int:supplement_id>/review/", views.supplement_review,
         name="supplement_review"),
    path("licences/<str:number>/", views.licence_detail, name="licence_detail"),
]
