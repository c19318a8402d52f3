"""The application process over REST. Each view parses its input, finds what the user may see
(selectors.visibility: anything else is 404), calls one service and renders the result."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..models import (
    Application, ApplicationMatter, CreditCheck, Licence, Matter, MatterVersion, Notice, Package, Supplement,
)
from ..people_list import Listed, resolve
from ..selectors import applications_visible_to, can_see_credit_check, packages_visible_to, subjects_visible_to
from . import serializers as s
from .errors import api_exception_handler
from .idempotency import idempotent
from .schema import action_schema, read_schema


class ApiErrors:
    """Every view renders errors the same way (errors.py). `refusal_fields` maps a service's parameter names
    in a refusal to this view's request fields."""

    refusal_fields: dict[str, str] = {}

    def get_exception_handler(self):
        return api_exception_handler


class Api(ApiErrors, APIView):
    pass


# ---------------------------------------------------------------- reads shared by several views


def visible_application(user, application_id: int) -> Application:
    return get_object_or_404(applications_visible_to(user), pk=application_id)


def application_detail(request, application_id: int) -> dict:
    application = get_object_or_404(
        applications_visible_to(request.user).select_related("subject").prefetch_related(
            Prefetch("matters", queryset=ApplicationMatter.objects.select_related(
                "matter_version__matter", "licence__matter", "licence__holder")),
            Prefetch("supplements", queryset=Supplement.objects.select_related("material", "upload__material")),
        ),
        pk=application_id,
    )
    return s.ApplicationDetailOutputSerializer(application, context={"request": request}).data


def notice_data(application: Application, notice: Notice | None = None) -> dict:
    notice = notice or Notice.objects.filter(application=application).first()
    if notice is None:
        raise NotFound(_("No notice has been issued for this application."))
    letter = getattr(application, "letter", None)
    if letter is None and application.package_id:  # a packaged application: the organisation's letter
        letter = getattr(application.package, "letter", None)
    return s.NoticeOutputSerializer({"application_id": application.pk, "notice": notice, "letter": letter}).data


# ---------------------------------------------------------------- the catalog (public)


class MatterListApi(ApiErrors, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.MatterOutputSerializer

    def get_queryset(self):
        # only matters open for applications: those with a published version; each one's published versions
        # with their materials and commitment items in three queries in all (not three per matter)
        published = MatterVersion.objects.filter(published_at__isnull=False).order_by("-number").prefetch_related(
            "materials", "commitment_items")
        return (Matter.objects.filter(versions__published_at__isnull=False).distinct().order_by("code")
                .prefetch_related(Prefetch("versions", queryset=published, to_attr="published_versions")))

    @read_schema(summary="Matters open for applications, each with its current version",
                 response=s.MatterOutputSerializer, tags=["matters"], errors=())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MatterDetailApi(Api):
    permission_classes = [AllowAny]

    @read_schema(summary="A matter with its current version: materials, commitment items, modes, grades",
                 response=s.MatterOutputSerializer, tags=["matters"])
    def get(self, request, code: str):
        matter = get_object_or_404(Matter, code=code)
        if matter.current_version() is None:
            raise NotFound(_("This matter is not open for applications."))
        return Response(s.MatterOutputSerializer(matter).data)


# ---------------------------------------------------------------- applications


class ApplicationsApi(ApiErrors, generics.ListAPIView):
    serializer_class = s.ApplicationSummaryOutputSerializer
    refusal_fields = {"matters": "matter_codes"}

    def get_queryset(self):
        return applications_visible_to(self.request.user).select_related("subject").prefetch_related(
            Prefetch("matters", queryset=ApplicationMatter.objects.select_related("matter_version__matter")))

    @read_schema(summary="The applications the user may see", response=s.ApplicationSummaryOutputSerializer,
                 tags=["applications"], errors=())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @action_schema(summary="Apply: create, submit and credit-check an application", tags=["applications"],
                   request=s.ApplicationStartInputSerializer, response=s.ApplicationDetailOutputSerializer,
                   status=201)
    @idempotent
    def post(self, request):
        serializer = s.ApplicationStartInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        get_object_or_404(subjects_visible_to(request.user), pk=data["subject_id"])
        application = services.application_start(subject_id=data["subject_id"], matter_codes=data["matter_codes"],
                                                  channel=data["channel"], by=request.user)
        return Response(application_detail(request, application.pk), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(Api):
    @read_schema(summary="An application: state, mode, due date, matters and licences, supplements, credit check",
                 response=s.ApplicationDetailOutputSerializer, tags=["applications"])
    def get(self, request, application_id: int):
        return Response(application_detail(request, application_id))


class ApplicationCreditChecksApi(ApiErrors, generics.ListAPIView):
    serializer_class = s.CreditCheckOutputSerializer
    pagination_class = None  # a handful per application

    def get_queryset(self):
        application = visible_application(self.request.user, self.kwargs["application_id"])
        if not can_see_credit_check(self.request.user, application):
            raise PermissionDenied(_("Only staff and the applicant may see the credit checks."))
        return CreditCheck.objects.filter(application=application).select_related("application").prefetch_related(
            "application__matters__matter_version__matter").order_by("-checked_at", "-pk")

    @read_schema(summary="Every credit check of an application (intake, decision), newest first",
                 response=s.CreditCheckOutputSerializer, tags=["applications"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApplicationChooseCommitmentApi(Api):
    @action_schema(summary="Choose notify-and-commit: issues the notice and the commitment letter",
                   tags=["applications"], request=None, response=s.NoticeOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        visible_application(request.user, application_id)
        notice = services.application_choose_commitment(application_id=application_id, by=request.user)
        return Response(notice_data(notice.application, notice))  # as just written (the letter with it)


class ApplicationChooseStandardApi(Api):
    @action_schema(summary="Choose standard review", tags=["applications"], request=None,
                   response=s.ApplicationDetailOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        visible_application(request.user, application_id)
        services.application_choose_standard(application_id=application_id, by=request.user)
        return Response(application_detail(request, application_id))


class ApplicationNoticeApi(Api):
    @read_schema(summary="The notice and the commitment letter with their SHA-256", tags=["applications"],
                 response=s.NoticeOutputSerializer)
    def get(self, request, application_id: int):
        return Response(notice_data(visible_application(request.user, application_id)))


# ---------------------------------------------------------------- signing


class ApplicationSignApi(Api):
    refusal_fields = {"password": "secret", "code": "secret"}

    @action_schema(summary="Sign the commitment letter after re-authentication (password or one-time code)",
                   tags=["signing"], request=s.SignInputSerializer, response=s.SignatureOutputSerializer,
                   description="The signature records the IP address and user agent of this request. "
                               "Signing again returns the same signature.")
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible_application(request.user, application_id)
        signature = services.signature_sign(
            application_id=application_id, user=request.user, method=data["method"], secret=data["secret"],
            **services.request_evidence(request),
        )
        return Response(s.SignatureOutputSerializer(signature).data)


class OneTimeCodeApi(Api):
    @action_schema(summary="Send the logged-in user a one-time code for signing", tags=["signing"], request=None,
                   response=s.OneTimeCodeOutputSerializer, status=201, errors=(422,))
    @idempotent
    def post(self, request):
        code = services.otp_request(user=request.user)
        return Response(s.OneTimeCodeOutputSerializer(code).data, status=status.HTTP_201_CREATED)


class ApplicationWithdrawSignatureApi(Api):
    @action_schema(summary="Withdraw the commitment before the decision", tags=["signing"],
                   request=s.ReasonInputSerializer, response=s.ApplicationDetailOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_application(request.user, application_id)
        services.signature_withdraw(application_id=application_id, user=request.user,
                                    reason=serializer.validated_data["reason"])
        return Response(application_detail(request, application_id))


# ---------------------------------------------------------------- materials and supplements


class ApplicationMaterialsApi(Api):
    parser_classes = [MultiPartParser, FormParser]
    refusal_fields = {"material": "material_id"}

    @action_schema(summary="Upload a material of the application (PDF, JPEG or PNG)", tags=["materials"],
                   request=s.MaterialUploadInputSerializer, response=s.UploadOutputSerializer, status=201)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.MaterialUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible_application(request.user, application_id)
        upload = services.application_upload_material(application_id=application_id, material_id=data["material_id"],
                                                      upload=data["file"], by=request.user)
        return Response(s.UploadOutputSerializer(upload).data, status=status.HTTP_201_CREATED)


class ApplicationAcceptLenientApi(Api):
    refusal_fields = {"materials": "material_ids"}

    @action_schema(summary="Accept with deferrable materials missing; issues the supplement notice",
                   tags=["materials"], request=s.AcceptLenientInputSerializer, response=s.SupplementsOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.AcceptLenientInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_application(request.user, application_id)
        supplements = services.application_accept_lenient(
            application_id=application_id, by=request.user,
            missing_material_ids=serializer.validated_data["material_ids"])
        return Response(s.SupplementsOutputSerializer({"supplements": supplements}).data)


def visible_supplement(user, supplement_id: int) -> Supplement:
    return get_object_or_404(Supplement.objects.filter(application__in=applications_visible_to(user)),
                             pk=supplement_id)


class SupplementSupplyApi(Api):
    parser_classes = [MultiPartParser, FormParser]

    @action_schema(summary="Supply a deferred material before its deadline", tags=["materials"],
                   request=s.SupplementSupplyInputSerializer, response=s.SupplementOutputSerializer)
    @idempotent
    def post(self, request, supplement_id: int):
        serializer = s.SupplementSupplyInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_supplement(request.user, supplement_id)
        supplement = services.supplement_supply(supplement_id=supplement_id, upload=serializer.validated_data["file"],
                                                by=request.user)
        return Response(s.SupplementOutputSerializer(supplement).data)


class SupplementReviewApi(Api):
    @action_schema(summary="Accept a supplied material, or return it with the reason", tags=["materials"],
                   request=s.SupplementReviewInputSerializer, response=s.SupplementOutputSerializer)
    @idempotent
    def post(self, request, supplement_id: int):
        serializer = s.SupplementReviewInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible_supplement(request.user, supplement_id)
        supplement = services.supplement_review(supplement_id=supplement_id, by=request.user, accept=data["accept"],
                                                reason=data["reason"])
        return Response(s.SupplementOutputSerializer(supplement).data)


# ---------------------------------------------------------------- decision


class ApplicationDecideApi(Api):
    @action_schema(summary="Decide and issue every licence at once (re-checks credit first)", tags=["decision"],
                   request=None, response=s.LicencesOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        visible_application(request.user, application_id)
        licences = services.application_decide(application_id=application_id, by=request.user)
        return Response(s.LicencesOutputSerializer({"licences": licences}).data)


class ApplicationRejectApi(Api):
    @action_schema(summary="Reject after standard review, with the reasons", tags=["decision"],
                   request=s.ReasonInputSerializer, response=s.ApplicationDetailOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_application(request.user, application_id)
        services.application_reject(application_id=application_id, by=request.user,
                                    reason=serializer.validated_data["reason"])
        return Response(application_detail(request, application_id))


class ApplicationTerminateApi(Api):
    @action_schema(summary="Terminate processing (终止办理), with the reason", tags=["decision"],
                   request=s.ReasonInputSerializer, response=s.ApplicationDetailOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_application(request.user, application_id)
        services.application_terminate(application_id=application_id, by=request.user,
                                       reason=serializer.validated_data["reason"])
        return Response(application_detail(request, application_id))


class ApplicationConvertToStandardApi(Api):
    @action_schema(summary="Move a notify-and-commit application to standard review (staff), with the reason",
                   tags=["decision"], request=s.ReasonInputSerializer, response=s.ApplicationDetailOutputSerializer)
    @idempotent
    def post(self, request, application_id: int):
        serializer = s.ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_application(request.user, application_id)
        services.application_convert_to_standard(application_id=application_id, by=request.user,
                                                 reason=serializer.validated_data["reason"])
        return Response(application_detail(request, application_id))


class LicenceDetailApi(Api):
    @read_schema(summary="A licence and its state (staff and the holder)", response=s.LicenceOutputSerializer,
                 tags=["licences"])
    def get(self, request, number: str):
        licences = Licence.objects.filter(
            application_matter__application__in=applications_visible_to(request.user)).select_related(
            "matter", "holder")
        return Response(s.LicenceOutputSerializer(get_object_or_404(licences, number=number)).data)


# ---------------------------------------------------------------- packaged commitment (打包承诺)


def visible_package(user, package_id: int) -> Package:
    return get_object_or_404(packages_visible_to(user).select_related("organisation", "matter_version__matter"),
                             pk=package_id)


def package_detail(request, package_id: int) -> dict:
    return s.PackageDetailOutputSerializer(visible_package(request.user, package_id), context={"request": request}).data


class PackagesApi(ApiErrors, generics.ListAPIView):
    serializer_class = s.PackageSummaryOutputSerializer
    refusal_fields = {"people": "person_numbers", "organisation": "organisation_id", "matter": "matter_code"}

    def get_queryset(self):
        return packages_visible_to(self.request.user).select_related("organisation", "matter_version__matter")

    @read_schema(summary="The packaged commitments the user may see", response=s.PackageSummaryOutputSerializer,
                 tags=["packages"], errors=())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @action_schema(summary="File a packaged commitment (打包承诺) for many persons under one letter",
                   tags=["packages"], request=s.PackageCreateInputSerializer, response=s.PackageDetailOutputSerializer,
                   status=201, errors=(400, 403, 409, 422),
                   description="Every person is credit-checked; if anyone is not entitled to notify-and-commit, the "
                               "request is refused (409, code entitlement) naming them, and nothing is created. A "
                               "large package is prepared in the background: status `preparing`, then `ready`.")
    @idempotent
    def post(self, request):
        serializer = s.PackageCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        people = resolve([Listed(where=_("item %(n)d") % {"n": n}, number=number)
                          for n, number in enumerate(data["person_numbers"], start=1)])
        if people.messages():
            raise services.Refused({"people": people.messages()}, code="people")
        package = services.package_create(organisation_id=data["organisation_id"], matter_code=data["matter_code"],
                                          person_ids=people.person_ids, title=data["title"], by=request.user)
        return Response(package_detail(request, package.pk), status=status.HTTP_201_CREATED)


class PackageDetailApi(Api):
    @read_schema(summary="A packaged commitment: status, the letter and its signature, each person's application "
                         "with its state, licence or refusal", response=s.PackageDetailOutputSerializer,
                 tags=["packages"])
    def get(self, request, package_id: int):
        return Response(package_detail(request, package_id))


class PackageSignApi(Api):
    refusal_fields = {"password": "secret", "code": "secret"}

    @action_schema(summary="Sign the package's commitment letter once for everyone, after re-authentication",
                   tags=["packages"], request=s.SignInputSerializer, response=s.SignatureOutputSerializer,
                   description="Only the organisation's legal representative or authorised agent. Signing again "
                               "returns the same signature.")
    @idempotent
    def post(self, request, package_id: int):
        serializer = s.SignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        visible_package(request.user, package_id)
        signature = services.package_sign(
            package_id=package_id, user=request.user, method=data["method"], secret=data["secret"],
            **services.request_evidence(request),
        )
        return Response(s.SignatureOutputSerializer(signature).data)


class PackageDecideApi(Api):
    @action_schema(summary="Decide every signed application of the package and issue the licences (staff)",
                   tags=["packages"], request=None, response=s.PackageDecisionOutputSerializer,
                   description="Each person's credit is checked again first; those no longer entitled are listed in "
                               "`refused` with the reasons and stay signed.")
    @idempotent
    def post(self, request, package_id: int):
        visible_package(request.user, package_id)
        result = services.package_decide(package_id=package_id, by=request.user)
        refused = Application.objects.filter(pk__in=result["refused"]).select_related("subject").order_by("pk")
        return Response(s.PackageDecisionOutputSerializer({
            "licences": result["licences"],
            "refused": [{"application_id": a.pk, "subject": a.subject, "reasons": result["refused"][a.pk]}
                        for a in refused],
        }, context={"request": request}).data)
