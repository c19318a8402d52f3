"""Input serializers (one per operation: parsing only, the services hold the rules) and the output
serializers they render with. Names are unique because they are the schema's component names."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Channel, ReauthMethod
from ..selectors import can_see_credit_check, can_see_full_numbers, package_counts, package_rows
from ..services import latest_check

# ---------------------------------------------------------------- input


class ApplicationStartInputSerializer(serializers.Serializer):
    subject_id = serializers.IntegerField()
    matter_codes = serializers.ListField(child=serializers.CharField(max_length=40), max_length=50)
    # a packaged application is made by the package import, not here
    channel = serializers.ChoiceField(choices=[Channel.ONLINE, Channel.COUNTER])


class SignInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=ReauthMethod.choices)
    secret = serializers.CharField(max_length=128, trim_whitespace=False, write_only=True,
                                   help_text="The password, or the one-time code from POST /api/otp/.")
    # the channel is derived from the request (online or mobile), not taken from the client


class ReasonInputSerializer(serializers.Serializer):
    # the service refuses an empty reason where one is needed, in its own words
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MaterialUploadInputSerializer(serializers.Serializer):
    material_id = serializers.IntegerField()
    file = serializers.FileField(help_text="PDF, JPEG or PNG, checked by content.")


class AcceptLenientInputSerializer(serializers.Serializer):
    material_ids = serializers.ListField(child=serializers.IntegerField(), max_length=100,
                                         help_text="The deferrable materials missing at acceptance.")


class SupplementSupplyInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, checked by content.")


class SupplementReviewInputSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                   help_text="Why the material is returned (needed when accept is false).")


# ---------------------------------------------------------------- output: errors


class ErrorOutputSerializer(serializers.Serializer):
    detail = serializers.ListField(child=serializers.CharField(), help_text="Messages in the user's language.")
    code = serializers.CharField(help_text="e.g. state, decided, entitlement (409); reauth, type, invalid (400).")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False,
                                   help_text="Messages per input field, when the error concerns fields.")


# ---------------------------------------------------------------- output: the catalog


class MaterialOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    kind = serializers.CharField(help_text="required | replaceable | deferrable")
    kind_display = serializers.CharField(source="get_kind_display")
    replaces_proof = serializers.CharField()
    issuing_office = serializers.CharField()
    supplement_days = serializers.IntegerField(allow_null=True)


class CommitmentItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()


class MatterVersionOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    legal_basis = serializers.CharField()
    conditions = serializers.CharField()
    modes = serializers.ListField(child=serializers.CharField(), help_text="standard, commitment, lenient, green")
    commitment_grades = serializers.ListField(child=serializers.CharField())
    green_channel_grades = serializers.ListField(child=serializers.CharField())
    statutory_limit_days = serializers.IntegerField()
    verification_scope = serializers.CharField(source="get_verification_scope_display")
    verification_method = serializers.CharField(source="get_verification_method_display")
    verification_window_days = serializers.IntegerField()
    certificate_name = serializers.CharField()
    validity_months = serializers.IntegerField(allow_null=True)
    materials = MaterialOutputSerializer(many=True, source="materials.all")
    commitment_items = CommitmentItemOutputSerializer(many=True, source="commitment_items.all")


class MatterOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    department = serializers.CharField()
    current_version = MatterVersionOutputSerializer()


# ---------------------------------------------------------------- output: applications


class SubjectOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="person | organisation")
    name = serializers.CharField()
    number = serializers.SerializerMethodField(help_text="Masked except for staff.")

    def get_number(self, subject) -> str:
        request = self.context.get("request")
        return subject.number if request and can_see_full_numbers(request.user) else subject.masked_number


class LicenceOutputSerializer(serializers.Serializer):
    number = serializers.CharField()
    matter_code = serializers.CharField(source="matter.code")
    matter_name = serializers.CharField(source="matter.name")
    holder_name = serializers.CharField(source="holder.name")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)
    state = serializers.CharField(help_text="valid | suspended | revoked | expired | superseded")
    state_display = serializers.CharField(source="get_state_display")
    issued_at = serializers.DateTimeField()


class LicencesOutputSerializer(serializers.Serializer):
    licences = LicenceOutputSerializer(many=True)


class ApplicationMatterOutputSerializer(serializers.Serializer):
    matter_code = serializers.CharField(source="matter_version.matter.code")
    matter_name = serializers.CharField(source="matter_version.matter.name")
    version = serializers.IntegerField(source="matter_version.number")
    mode = serializers.CharField()
    licence = serializers.SerializerMethodField()

    @extend_schema_field(LicenceOutputSerializer(allow_null=True))
    def get_licence(self, application_matter):
        licence = getattr(application_matter, "licence", None)  # the reverse one-to-one raises when absent
        return LicenceOutputSerializer(licence, context=self.context).data if licence else None


class UploadOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    material_id = serializers.IntegerField()
    material_name = serializers.CharField(source="material.name")
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class SupplementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application_id = serializers.IntegerField()
    material_id = serializers.IntegerField()
    material_name = serializers.CharField(source="material.name")
    deadline = serializers.DateField()
    state = serializers.CharField(help_text="pending | supplied | accepted | returned | overdue")
    state_display = serializers.CharField(source="get_state_display")
    return_reason = serializers.CharField()
    upload = UploadOutputSerializer(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)


class SupplementsOutputSerializer(serializers.Serializer):
    supplements = SupplementOutputSerializer(many=True)


class EntitlementOutputSerializer(serializers.Serializer):
    matter_code = serializers.CharField()
    matter_name = serializers.CharField()
    modes = serializers.ListField(child=serializers.CharField(), help_text="The modes the applicant may use.")
    grade = serializers.CharField(allow_null=True, help_text="The effective credit grade the check used.")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why a mode is not open, in plain words.")


class CreditCheckOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    stage = serializers.CharField(help_text="intake | decision")
    stage_display = serializers.CharField(source="get_stage_display")
    checked_at = serializers.DateTimeField()
    rule_version = serializers.CharField()
    restricted = serializers.BooleanField()
    entitlements = serializers.SerializerMethodField()

    @extend_schema_field(EntitlementOutputSerializer(many=True))
    def get_entitlements(self, check):
        # the check stores entitlements per matter version id; name the matters
        matters = {str(am.matter_version_id): am.matter_version.matter for am in check.application.matters.all()}
        return [
            {"matter_code": matters[pk].code if pk in matters else "", "matter_name": matters[pk].name if pk in matters
             else "", "modes": e.get("modes", []), "grade": e.get("grade"), "reasons": e.get("reasons", [])}
            for pk, e in check.entitlements.items()
        ]


def _overdue(application) -> bool:
    """Open past the day the decision was due (statutory or promised limit)."""
    return bool(application.is_open and application.decision_due_on
                and application.decision_due_on < timezone.localdate())


class ApplicationSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    subject = SubjectOutputSerializer()
    channel = serializers.CharField(help_text="counter | online | package")
    state = serializers.CharField(help_text="draft | submitted | checked | notified | committed | "
                                            "awaiting_supplements | under_review | decided | rejected | failed | "
                                            "terminated")
    state_display = serializers.CharField(source="get_state_display")
    mode = serializers.CharField(help_text="empty until chosen; standard | commitment")
    mode_display = serializers.CharField(source="get_mode_display")
    created_at = serializers.DateTimeField()
    decision_due_on = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    matter_codes = serializers.SerializerMethodField()

    def get_overdue(self, application) -> bool:
        return _overdue(application)

    def get_matter_codes(self, application) -> list[str]:
        return [am.matter_version.matter.code for am in application.matters.all()]


class ApplicationDetailOutputSerializer(ApplicationSummaryOutputSerializer):
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    outcome_reason = serializers.CharField()
    package_id = serializers.IntegerField(allow_null=True)
    matters = ApplicationMatterOutputSerializer(many=True, source="matters.all")
    supplements = SupplementOutputSerializer(many=True, source="supplements.all")
    latest_credit_check = serializers.SerializerMethodField()

    @extend_schema_field(CreditCheckOutputSerializer(allow_null=True))
    def get_latest_credit_check(self, application):
        request = self.context.get("request")
        if request is None or not can_see_credit_check(request.user, application):
            return None  # credit data of other people is not shown to whoever filed their package
        check = latest_check(application)
        return CreditCheckOutputSerializer(check, context=self.context).data if check else None


# ---------------------------------------------------------------- output: notice, letter, signature


class DocumentTextOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    sha256 = serializers.CharField(help_text="SHA-256 of the UTF-8 text: what a signature binds to.")


class NoticeOutputSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    notice = DocumentTextOutputSerializer()
    letter = DocumentTextOutputSerializer(allow_null=True, help_text="The commitment letter to sign; for a "
                                                                     "packaged application, the package's letter.")


class SignatureOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    signed_at = serializers.DateTimeField()
    signer = serializers.CharField(source="signer.get_username")
    signer_name = serializers.CharField(source="signer_subject.name")
    channel = serializers.CharField(help_text="online | mobile | counter_pad")
    ip_address = serializers.IPAddressField(allow_null=True)
    user_agent = serializers.CharField()
    text_sha256 = serializers.CharField()
    reauth_method = serializers.CharField(help_text="password | otp")
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class OneTimeCodeOutputSerializer(serializers.Serializer):
    expires_at = serializers.DateTimeField(help_text="The code was sent to the user's phone; it works until then.")


# ---------------------------------------------------------------- packaged commitment (打包承诺)


class PackageCreateInputSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField(help_text="The organisation the package is filed for.")
    matter_code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=200, help_text="e.g. the batch it registers.")
    person_numbers = serializers.ListField(
        child=serializers.CharField(max_length=40), min_length=1, max_length=10_000,
        help_text="ID card numbers of registered persons (GB 11643). Unknown or invalid numbers are refused "
                  "(400, code people) and nothing is created.")


class PackageApplicationOutputSerializer(serializers.Serializer):
    application_id = serializers.IntegerField(source="application.pk")
    subject = SubjectOutputSerializer(source="application.subject")
    state = serializers.CharField(source="application.state")
    state_display = serializers.CharField(source="application.get_state_display")
    licence_number = serializers.CharField(source="licence.number", allow_null=True, default=None)
    refused = serializers.ListField(
        child=serializers.CharField(),
        help_text="Why the decision-time credit check refused notify-and-commit, if it did.")


class PackageSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    organisation = SubjectOutputSerializer()
    matter_code = serializers.CharField(source="matter_version.matter.code")
    matter_name = serializers.CharField(source="matter_version.matter.name")
    matter_version = serializers.IntegerField(source="matter_version.number")
    status = serializers.CharField(help_text="preparing (a large package is being prepared in the background) | "
                                             "ready | failed (see refusals; nothing was created)")
    status_display = serializers.CharField(source="get_status_display")
    people_count = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    prepared_at = serializers.DateTimeField(allow_null=True)

    def get_people_count(self, package) -> int:
        return len(package.people)


class PackageDetailOutputSerializer(PackageSummaryOutputSerializer):
    refusals = serializers.ListField(child=serializers.CharField(), help_text="Why preparation was refused.")
    letter = serializers.SerializerMethodField(help_text="The one letter the organisation signs (once prepared).")
    signature = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField(help_text="Applications per state.")
    applications = serializers.SerializerMethodField()

    @staticmethod
    def _letter(package):
        return getattr(package, "letter", None)  # the reverse one-to-one raises when absent

    @extend_schema_field(DocumentTextOutputSerializer(allow_null=True))
    def get_letter(self, package):
        letter = self._letter(package)
        return DocumentTextOutputSerializer(letter).data if letter else None

    @extend_schema_field(SignatureOutputSerializer(allow_null=True))
    def get_signature(self, package):
        letter = self._letter(package)
        signature = letter.active_signature() if letter else None
        return SignatureOutputSerializer(signature).data if signature else None

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, package) -> dict:
        return package_counts(package)

    @extend_schema_field(PackageApplicationOutputSerializer(many=True))
    def get_applications(self, package):
        return PackageApplicationOutputSerializer(package_rows(package), many=True, context=self.context).data


class PackageRefusedOutputSerializer(serializers.Serializer):
    application_id = serializers.IntegerField()
    subject = SubjectOutputSerializer()
    reasons = serializers.ListField(child=serializers.CharField())


class PackageDecisionOutputSerializer(serializers.Serializer):
    licences = LicenceOutputSerializer(many=True)
    refused = PackageRefusedOutputSerializer(
        many=True, help_text="Not decided: the decision-time credit check no longer allows notify-and-commit. "
                             "They stay signed for staff to move to standard review or terminate.")
