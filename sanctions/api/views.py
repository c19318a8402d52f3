"""Sanctions over REST. Each view parses its input, finds what the user may see (anything else is 404), calls
one service and renders the result. Who may act is the services' rule (PermissionDenied → 403)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from approvals.api.errors import api_exception_handler
from approvals.api.idempotency import idempotent
from approvals.api.schema import ERRORS, action_schema, read_schema
from approvals.models import Application, Licence, Matter, StateChange
from approvals.roles import ADMINISTRATOR, SUPERVISOR, WINDOW_STAFF, has_role
from approvals.selectors import subjects_visible_to
from approvals.services import Refused

from .. import services
from ..models import Objection, Repair, Restriction, RestrictionState, Violation
from ..selectors import published_restrictions, published_violations, violations_of_user
from . import serializers as s

TAGS = ["sanctions"]


class ApiErrors:
    # errors rendered as in the approvals API (approvals/api/errors.py); a comment, not a docstring, because
    # drf-spectacular would print a docstring as every operation's description
    refusal_fields: dict[str, str] = {}

    def get_exception_handler(self):
        return api_exception_handler


class Api(ApiErrors, APIView):
    pass


# ---------------------------------------------------------------- who sees what


def is_supervisor(user) -> bool:
    return has_role(user, SUPERVISOR, ADMINISTRATOR)


def violations_visible_to(user):
    """Supervisors and administrators see every case; anyone else only those of the subjects they act for."""
    if is_supervisor(user):
        return Violation.objects.select_related("subject", "kind")
    return violations_of_user(user)


def visible_violation(user, violation_id: int) -> Violation:
    return get_object_or_404(violations_visible_to(user), pk=violation_id)


def require_restriction_reader(user) -> None:
    if not has_role(user, WINDOW_STAFF, SUPERVISOR, ADMINISTRATOR):
        raise PermissionDenied(_("Only window staff and supervisors may see the restriction list."))


def timeline(violation: Violation) -> list[StateChange]:
    """The case's transitions with those of its objection, repairs and restrictions, in order."""
    types = ContentType.objects.get_for_models(Violation, Objection, Repair, Restriction)
    wanted = Q(content_type=types[Violation], object_id=violation.pk)
    for model, ids in ((Objection, violation.objections.values_list("pk", flat=True)),
                       (Repair, violation.repairs.values_list("pk", flat=True)),
                       (Restriction, violation.restrictions.values_list("pk", flat=True))):
        wanted |= Q(content_type=types[model], object_id__in=list(ids))
    return list(StateChange.objects.filter(wanted).select_related("by", "content_type").order_by("at", "pk"))


def violation_detail(request, violation_id: int) -> dict:
    violation = get_object_or_404(
        violations_visible_to(request.user).prefetch_related("licences__matter", "licences__holder",
                                                              "objections", "repairs"),
        pk=violation_id)
    context = {"request": request, "now": timezone.now(), "timeline": timeline(violation)}
    return s.ViolationDetailOutputSerializer(violation, context=context).data


def _flag(value: str | None) -> bool | None:
    if value in (None, ""):
        return None
    return value.lower() in ("1", "true", "yes")


# ---------------------------------------------------------------- violations

VIOLATION_FILTERS = [
    OpenApiParameter("state", str, description="opened | graded | rectification_ordered | rectified | "
                                               "not_rectified | revoked | restricted | closed | withdrawn"),
    OpenApiParameter("level", int, enum=[1, 2, 3]),
    OpenApiParameter("kind", str, description="A violation kind's code."),
    OpenApiParameter("subject", str, description="The subject's ID card number or credit code (exact)."),
]


class ViolationsApi(ApiErrors, generics.ListAPIView):
    serializer_class = s.ViolationSummaryOutputSerializer
    refusal_fields = {"licences": "licence_numbers", "application": "application_id"}

    def get_queryset(self):
        rows = violations_visible_to(self.request.user)
        params = self.request.query_params
        if params.get("state"):
            rows = rows.filter(state=params["state"])
        if (params.get("level") or "").isdigit():
            rows = rows.filter(level=int(params["level"]))
        if params.get("kind"):
            rows = rows.filter(kind__code=params["kind"])
        if params.get("subject"):
            rows = rows.filter(subject__number=params["subject"].strip().upper())
        return rows.order_by("-opened_at", "-pk")

    @extend_schema(summary="Violation cases: every case for supervisors, one's own for a subject", tags=TAGS,
                   parameters=VIOLATION_FILTERS, responses={200: s.ViolationSummaryOutputSerializer(many=True)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @action_schema(summary="Open a violation case (supervisor): subject, kind, findings", tags=TAGS,
                   request=s.ViolationOpenInputSerializer, response=s.ViolationDetailOutputSerializer, status=201)
    @idempotent
    def post(self, request):
        serializer = s.ViolationOpenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject = get_object_or_404(subjects_visible_to(request.user), pk=data["subject_id"])
        if not is_supervisor(request.user):  # before looking up anything else of the subject
            raise PermissionDenied(_("Only supervisors may do this."))
        application = (get_object_or_404(Application, pk=data["application_id"])
                       if data["application_id"] else None)
        licences = list(Licence.objects.filter(number__in=data["licence_numbers"]))
        missing = sorted(set(data["licence_numbers"]) - {licence.number for licence in licences})
        if missing:
            raise Refused({"licences": _("No licence numbered %(numbers)s.")
                                    % {"numbers": "、".join(missing)}}, code="licences")
        violation = services.violation_open_manual(
            subject=subject, kind=data["kind"], findings=data["findings"], evidence=data["evidence"],
            application=application, licences=licences, by=request.user)
        return Response(violation_detail(request, violation.pk), status=status.HTTP_201_CREATED)


class ViolationDetailApi(Api):
    @read_schema(summary="A violation case with its licences, objection, repairs, restrictions and timeline",
                 response=s.ViolationDetailOutputSerializer, tags=TAGS)
    def get(self, request, violation_id: int):
        return Response(violation_detail(request, violation_id))


class _ViolationAction(Api):
    # POST to a verb of a case: parse, check the case is visible, call one service, render the case

    input_serializer = s.SanctionReasonInputSerializer

    def act(self, request, violation_id: int, data: dict) -> None:
        raise NotImplementedError

    def _post(self, request, violation_id: int):
        serializer = self.input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_violation(request.user, violation_id)
        self.act(request, violation_id, serializer.validated_data)
        return Response(violation_detail(request, violation_id))


class ViolationGradeApi(_ViolationAction):
    input_serializer = s.ViolationGradeInputSerializer

    def act(self, request, violation_id, data):
        services.violation_grade(violation_id=violation_id, by=request.user, level=data["level"],
                                 reason=data["reason"])

    @action_schema(summary="Grade a case (定级): the kind's level, or higher with a reason", tags=TAGS,
                   request=s.ViolationGradeInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationEscalateApi(_ViolationAction):
    input_serializer = s.ViolationEscalateInputSerializer

    def act(self, request, violation_id, data):
        services.violation_escalate(violation_id=violation_id, by=request.user, level=data["level"],
                                    reason=data["reason"])

    @action_schema(summary="Escalate a running case to a higher level, with the reason", tags=TAGS,
                   request=s.ViolationEscalateInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationOrderRectificationApi(_ViolationAction):
    input_serializer = s.RectificationOrderInputSerializer

    def act(self, request, violation_id, data):
        services.violation_order_rectification(violation_id=violation_id, by=request.user,
                                               deadline=data["deadline"], reason=data["reason"])

    @action_schema(summary="Order rectification within a deadline (限期整改, level 1)", tags=TAGS,
                   request=s.RectificationOrderInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationRectifiedApi(_ViolationAction):
    input_serializer = s.RectifiedInputSerializer

    def act(self, request, violation_id, data):
        services.violation_record_rectified(violation_id=violation_id, by=request.user, report=data["report"])

    @action_schema(summary="Record the rectification made in time: the case closes", tags=TAGS,
                   request=s.RectifiedInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationNotRectifiedApi(_ViolationAction):
    def act(self, request, violation_id, data):
        services.violation_record_not_rectified(violation_id=violation_id, by=request.user, reason=data["reason"])

    @action_schema(summary="Record that the subject did not rectify: level 2", tags=TAGS,
                   request=s.SanctionReasonInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationRevokeApi(_ViolationAction):
    def act(self, request, violation_id, data):
        services.violation_revoke(violation_id=violation_id, by=request.user, reason=data["reason"])

    @action_schema(summary="Revoke the licensing decision (撤销); at level 3 also terminate and restrict",
                   tags=TAGS, request=s.SanctionReasonInputSerializer, response=s.ViolationDetailOutputSerializer)
    @idempotent
    def post(self, request, violation_id: int):
        return self._post(request, violation_id)


class ViolationObjectionsApi(Api):
    @action_schema(summary="Object to the finding (异议; the subject): publication is frozen until decided",
                   tags=TAGS, request=s.ObjectionFileInputSerializer, response=s.ObjectionOutputSerializer,
                   status=201)
    @idempotent
    def post(self, request, violation_id: int):
        serializer = s.ObjectionFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_violation(request.user, violation_id)
        objection = services.objection_file(violation_id=violation_id, by=request.user,
                                            grounds=serializer.validated_data["grounds"])
        return Response(s.ObjectionOutputSerializer(objection).data, status=status.HTTP_201_CREATED)


class ViolationRepairsApi(Api):
    @action_schema(summary="Apply for credit repair (信用修复; the subject) with the evidence of rectification",
                   tags=TAGS, request=s.RepairFileInputSerializer, response=s.RepairOutputSerializer, status=201)
    @idempotent
    def post(self, request, violation_id: int):
        serializer = s.RepairFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        visible_violation(request.user, violation_id)
        repair = services.repair_file(violation_id=violation_id, by=request.user,
                                      evidence=serializer.validated_data["evidence"])
        return Response(s.RepairOutputSerializer(repair).data, status=status.HTTP_201_CREATED)


class ObjectionDecideApi(Api):
    @action_schema(summary="Decide an objection with reasons (supervisor)", tags=TAGS,
                   request=s.ObjectionDecideInputSerializer, response=s.ObjectionOutputSerializer)
    @idempotent
    def post(self, request, objection_id: int):
        serializer = s.ObjectionDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        get_object_or_404(Objection.objects.filter(violation__in=violations_visible_to(request.user)),
                          pk=objection_id)
        objection = services.objection_decide(objection_id=objection_id, by=request.user,
                                              upheld=serializer.validated_data["upheld"],
                                              reasons=serializer.validated_data["reasons"])
        return Response(s.ObjectionOutputSerializer(objection).data)


class RepairDecideApi(Api):
    @action_schema(summary="Approve or reject a credit repair with reasons (supervisor)", tags=TAGS,
                   request=s.RepairDecideInputSerializer, response=s.RepairOutputSerializer)
    @idempotent
    def post(self, request, repair_id: int):
        serializer = s.RepairDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        get_object_or_404(Repair.objects.filter(violation__in=violations_visible_to(request.user)), pk=repair_id)
        repair = services.repair_decide(repair_id=repair_id, by=request.user,
                                        approved=serializer.validated_data["approved"],
                                        reasons=serializer.validated_data["reasons"])
        return Response(s.RepairOutputSerializer(repair).data)


# ---------------------------------------------------------------- the restriction list

RESTRICTION_FILTERS = [
    OpenApiParameter("q", str, description="Part of the subject's name, or its ID card number / credit code."),
    OpenApiParameter("state", str, enum=["active", "expired", "lifted", "withdrawn"],
                     description="active: not ended; expired: ended, even before the sweep recorded it."),
    OpenApiParameter("key_supervision", bool, description="Only key supervision targets (重点监管对象)."),
]


class RestrictionsApi(ApiErrors, generics.ListAPIView):
    serializer_class = s.RestrictionOutputSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    def get_queryset(self):
        require_restriction_reader(self.request.user)
        rows = Restriction.objects.select_related("subject", "matter", "violation")
        params, now = self.request.query_params, timezone.now()
        if params.get("q"):
            q = params["q"].strip()
            # numbers are stored normalised (upper case): an exact match on the upper-cased query uses their unique
            # index; names by part on the trigram index of UPPER(name) (PostgreSQL, approvals 0006)
            rows = rows.filter(Q(subject__name__icontains=q) | Q(subject__number=q.upper()))
        state = params.get("state")
        if state == RestrictionState.ACTIVE:
            rows = rows.filter(state=RestrictionState.ACTIVE, ends_at__gt=now)
        elif state == RestrictionState.EXPIRED:
            rows = rows.filter(Q(state=RestrictionState.EXPIRED) | Q(state=RestrictionState.ACTIVE, ends_at__lte=now))
        elif state:
            rows = rows.filter(state=state)
        key = _flag(params.get("key_supervision"))
        if key is not None:
            rows = rows.filter(key_supervision=key)
        return rows.order_by("-starts_at", "-pk")

    @extend_schema(summary="The restriction list (window staff and supervisors), with search and filters",
                   tags=TAGS, parameters=RESTRICTION_FILTERS,
                   responses={200: s.RestrictionOutputSerializer(many=True), 403: ERRORS[403]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @action_schema(summary="Put a subject on the restriction list by a supervisor's act with its legal basis",
                   tags=TAGS, request=s.RestrictionImposeInputSerializer, response=s.RestrictionOutputSerializer,
                   status=201)
    @idempotent
    def post(self, request):
        serializer = s.RestrictionImposeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subject = get_object_or_404(subjects_visible_to(request.user), pk=data["subject_id"])
        matter = get_object_or_404(Matter, code=data["matter_code"]) if data["matter_code"] else None
        restriction = services.restriction_impose_manual(
            subject=subject, reason=data["reason"], legal_basis=data["legal_basis"],
            starts_at=data["starts_at"] or timezone.now(), ends_at=data["ends_at"], by=request.user,
            scope=data["scope"], matter=matter, key_supervision=data["key_supervision"])
        return Response(s.RestrictionOutputSerializer(restriction, context={"request": request,
                                                                            "now": timezone.now()}).data,
                        status=status.HTTP_201_CREATED)


class RestrictionDetailApi(Api):
    @read_schema(summary="A restriction", response=s.RestrictionOutputSerializer, tags=TAGS, errors=(403, 404))
    def get(self, request, restriction_id: int):
        require_restriction_reader(request.user)
        restriction = get_object_or_404(Restriction.objects.select_related("subject", "matter", "violation"),
                                        pk=restriction_id)
        return Response(s.RestrictionOutputSerializer(restriction, context={"request": request,
                                                                            "now": timezone.now()}).data)


class RestrictionLiftApi(Api):
    @action_schema(summary="Lift a restriction early, with the reason (supervisor)", tags=TAGS,
                   request=s.SanctionReasonInputSerializer, response=s.RestrictionOutputSerializer)
    @idempotent
    def post(self, request, restriction_id: int):
        serializer = s.SanctionReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        require_restriction_reader(request.user)
        get_object_or_404(Restriction, pk=restriction_id)
        restriction = services.restriction_lift_by_supervisor(restriction_id=restriction_id, by=request.user,
                                                              reason=serializer.validated_data["reason"])
        return Response(s.RestrictionOutputSerializer(restriction, context={"request": request,
                                                                            "now": timezone.now()}).data)


# ---------------------------------------------------------------- public lists (no login)


class PublicRestrictionsApi(ApiErrors, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicRestrictionOutputSerializer

    def get_queryset(self):
        return published_restrictions(timezone.now()).select_related("violation__kind")

    @read_schema(summary="The public restriction list: in force, names and numbers masked", tags=TAGS,
                 response=s.PublicRestrictionOutputSerializer(many=True), errors=())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicViolationsApi(ApiErrors, generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicViolationOutputSerializer

    def get_queryset(self):
        return published_violations(timezone.now())

    @read_schema(summary="Concluded violation cases within their publication period, names and numbers masked",
                 tags=TAGS, response=s.PublicViolationOutputSerializer(many=True), errors=())
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ---------------------------------------------------------------- the credit-platform feed


def require_feed_reader(user) -> None:
    """Supervisors, administrators, and an API client given the permission to read the feed."""
    if not (is_supervisor(user) or user.has_perm("sanctions.view_feedrecord")):
        raise PermissionDenied(_("Only supervisors and the credit platform may read the feed."))


class CreditFeedApi(Api):
    @extend_schema(
        summary="The feed for the credit platform, by cursor: records after `after`, oldest first", tags=TAGS,
        parameters=[s.FeedPageInputSerializer],
        responses={200: s.FeedPageOutputSerializer, 400: ERRORS[400], 403: ERRORS[403]},
        description="Pass the `next` of one page as `after` of the next. Only committed records are returned, in "
                    "id order, so no record is skipped or repeated even while acts write new ones.",
    )
    def get(self, request):
        require_feed_reader(request.user)
        page = s.FeedPageInputSerializer(data=request.query_params)
        page.is_valid(raise_exception=True)
        records = list(services.feed_pending(after=page.validated_data["after"], limit=page.validated_data["limit"]))
        return Response(s.FeedPageOutputSerializer({
            "records": [services.record_json(r) for r in records],
            "next": records[-1].pk if records else None,
        }).data)

