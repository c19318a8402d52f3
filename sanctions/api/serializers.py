"""Input serializers (parsing only; the services hold the rules) and the output serializers of the sanctions
API. Names are the schema's component names, so each is unique across the project."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.api.serializers import LicenceOutputSerializer, SubjectOutputSerializer
from approvals.masking import mask_name, mask_number
from approvals.models import StateChange

from ..models import Level, RestrictionScope, RestrictionState

# ---------------------------------------------------------------- input


class ViolationOpenInputSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField()
    kind = serializers.CharField(max_length=30, help_text="A violation kind's code, e.g. false_materials.")
    findings = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    evidence = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    application_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    licence_numbers = serializers.ListField(child=serializers.CharField(max_length=60), max_length=100,
                                            required=False, default=list)


class ViolationGradeInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True, default=None,
                                    help_text="Empty: the kind's level. Higher only with a reason; never lower.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ViolationEscalateInputSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RectificationOrderInputSerializer(serializers.Serializer):
    deadline = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="Empty: the configured number of working days from today.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RectifiedInputSerializer(serializers.Serializer):
    report = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class SanctionReasonInputSerializer(serializers.Serializer):
    # the service refuses an empty reason in its own words
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ObjectionFileInputSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class RepairFileInputSerializer(serializers.Serializer):
    evidence = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class ObjectionDecideInputSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(help_text="Upheld: the case is withdrawn with its restriction and publication.")
    reasons = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class RepairDecideInputSerializer(serializers.Serializer):
    approved = serializers.BooleanField(help_text="Approved: the restriction is lifted early, publication ends.")
    reasons = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class RestrictionImposeInputSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    legal_basis = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                        help_text="The legal basis of the act (required).")
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                          help_text="Empty: now.")
    ends_at = serializers.DateTimeField()
    scope = serializers.ChoiceField(choices=RestrictionScope.choices, default=RestrictionScope.ALL)
    matter_code = serializers.CharField(max_length=40, required=False, allow_blank=True, default="",
                                        help_text="The matter, when the scope is one matter.")
    key_supervision = serializers.BooleanField(default=True)


class FeedCsvInputSerializer(serializers.Serializer):
    after = serializers.IntegerField(min_value=0, default=0, help_text="The last id already read (0: from the start).")


class FeedPageInputSerializer(FeedCsvInputSerializer):
    limit = serializers.IntegerField(min_value=1, max_value=1000, default=500)


# ---------------------------------------------------------------- output


def _user_name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class StateChangeOutputSerializer(serializers.Serializer):
    object = serializers.SerializerMethodField(help_text="violation | objection | repair | restriction")
    source = serializers.CharField()
    target = serializers.CharField()
    by = serializers.SerializerMethodField()
    reason = serializers.CharField()
    at = serializers.DateTimeField()

    def get_object(self, change: StateChange) -> str:
        return change.content_type.model

    def get_by(self, change: StateChange) -> str | None:
        return _user_name(change.by)


class ViolationKindOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    level = serializers.IntegerField(help_text="The level it leads to by default.")


class ObjectionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    violation_id = serializers.IntegerField()
    case_number = serializers.CharField(source="violation.number")
    grounds = serializers.CharField()
    state = serializers.CharField(help_text="open | upheld | rejected")
    state_display = serializers.CharField(source="get_state_display")
    filed_at = serializers.DateTimeField()
    due_on = serializers.DateField(help_text="To be decided by this day.")
    decided_at = serializers.DateTimeField(allow_null=True)
    reasons = serializers.CharField()


class RepairOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    violation_id = serializers.IntegerField()
    case_number = serializers.CharField(source="violation.number")
    evidence = serializers.CharField()
    state = serializers.CharField(help_text="submitted | approved | rejected")
    state_display = serializers.CharField(source="get_state_display")
    filed_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    reasons = serializers.CharField()


class RestrictionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = SubjectOutputSerializer()
    scope = serializers.CharField(help_text="all | matter")
    scope_display = serializers.CharField(source="get_scope_display")
    matter_code = serializers.CharField(source="matter.code", allow_null=True, default=None)
    reason = serializers.CharField()
    legal_act = serializers.CharField()
    legal_basis = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    state = serializers.SerializerMethodField(
        help_text="active | expired | lifted | withdrawn; expired as soon as the end passes, before the sweep")
    state_display = serializers.SerializerMethodField()
    in_force = serializers.SerializerMethodField()
    key_supervision = serializers.BooleanField()
    case_number = serializers.CharField(source="violation.number", allow_null=True, default=None)
    lifted_at = serializers.DateTimeField(allow_null=True)
    lift_reason = serializers.CharField()

    def _state(self, restriction) -> str:
        if restriction.state == RestrictionState.ACTIVE and restriction.ends_at <= self.context["now"]:
            return RestrictionState.EXPIRED
        return restriction.state

    def get_state(self, restriction) -> str:
        return str(self._state(restriction))

    def get_state_display(self, restriction) -> str:
        return str(RestrictionState(self._state(restriction)).label)

    def get_in_force(self, restriction) -> bool:
        return restriction.is_active_at(self.context["now"])


class ViolationSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    subject = SubjectOutputSerializer()
    kind = ViolationKindOutputSerializer()
    level = serializers.IntegerField(allow_null=True)
    state = serializers.CharField(help_text="opened | graded | rectification_ordered | rectified | not_rectified | "
                                            "revoked | restricted | closed | withdrawn")
    state_display = serializers.CharField(source="get_state_display")
    opened_at = serializers.DateTimeField()
    rectification_deadline = serializers.DateField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)


class ViolationDetailOutputSerializer(ViolationSummaryOutputSerializer):
    application_id = serializers.IntegerField(allow_null=True)
    findings = serializers.CharField()
    evidence = serializers.CharField()
    rectification_report = serializers.CharField()
    publish_until = serializers.DateTimeField(allow_null=True)
    licences = LicenceOutputSerializer(many=True, source="licences.all")
    objections = ObjectionOutputSerializer(many=True, source="objections.all")
    repairs = RepairOutputSerializer(many=True, source="repairs.all")
    restrictions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField(help_text="Every transition of the case, its objection, "
                                                           "repairs and restrictions: who, when, why.")

    @extend_schema_field(RestrictionOutputSerializer(many=True))
    def get_restrictions(self, violation):
        rows = violation.restrictions.select_related("subject", "matter", "violation")
        return RestrictionOutputSerializer(rows, many=True, context=self.context).data

    @extend_schema_field(StateChangeOutputSerializer(many=True))
    def get_timeline(self, violation):
        return StateChangeOutputSerializer(self.context["timeline"], many=True).data


class FeedRecordOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The cursor: pass the last id read as `after`.")
    key = serializers.UUIDField(help_text="Unique per record: the receiver drops a repeat by it.")
    category = serializers.CharField(help_text="commitment | violation | restriction")
    action = serializers.CharField(help_text="publish | withdraw")
    created_at = serializers.DateTimeField()
    data = serializers.DictField(help_text="The record as published (subject, case, dates, state).")


class FeedPageOutputSerializer(serializers.Serializer):
    records = FeedRecordOutputSerializer(many=True)
    next = serializers.IntegerField(allow_null=True, help_text="The id to pass as `after` for the next page; null "
                                                               "when nothing newer was committed yet.")


# ---------------------------------------------------------------- output: public lists (masked)


class PublicSubjectOutputSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="person | organisation")
    name = serializers.SerializerMethodField(help_text="A person's name masked; an organisation's in full.")
    number = serializers.SerializerMethodField(help_text="ID card number or credit code, partly masked.")

    def get_name(self, subject) -> str:
        return mask_name(subject.name) if subject.is_person else subject.name

    def get_number(self, subject) -> str:
        return mask_number(subject.number)


class PublicRestrictionOutputSerializer(serializers.Serializer):
    subject = PublicSubjectOutputSerializer()
    scope_display = serializers.CharField(source="get_scope_display")
    matter_name = serializers.CharField(source="matter.name", allow_null=True, default=None)
    legal_act = serializers.CharField()
    kind_name = serializers.CharField(source="violation.kind.label", allow_null=True, default=None)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class PublicViolationOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    subject = PublicSubjectOutputSerializer()
    kind_name = serializers.CharField(source="kind.label")
    level = serializers.IntegerField(allow_null=True)
    level_display = serializers.CharField(source="get_level_display", allow_null=True)
    closed_at = serializers.DateTimeField()
    publish_until = serializers.DateTimeField()
