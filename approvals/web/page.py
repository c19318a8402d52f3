"""What the application page shows, read from the models: no rule is decided here, only looked up."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from .. import selectors
from ..models import (
    Application, ApplicationMaterial, ApplicationState, CommitmentLetter, Grade, Licence, MaterialKind, Mode,
    StateChange, Supplement, SupplementState,
)
from ..roles import ADMINISTRATOR, WINDOW_STAFF, has_role
from . import forms

DONE_STATES = {ApplicationState.DECIDED, ApplicationState.REJECTED, ApplicationState.FAILED,
               ApplicationState.TERMINATED}


def state_label(value: str) -> str:
    try:
        return ApplicationState(value).label
    except ValueError:
        return value or "—"


def is_overdue(application: Application, today=None) -> bool:
    """The decision deadline has passed and nothing was decided."""
    today = today or timezone.localdate()
    return bool(application.decision_due_on and application.decision_due_on < today
                and application.state not in DONE_STATES)


def _date(value: str | None):
    if not value:
        return None
    parsed = datetime.fromisoformat(value)
    return timezone.localtime(parsed).date() if timezone.is_aware(parsed) else parsed.date()


@dataclass
class MaterialRow:
    material: object
    uploads: list
    form: forms.UploadForm
    show_form: bool = False


@dataclass
class MatterRow:
    application_matter: object
    version: object
    modes: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    grade: str = ""
    materials: list[MaterialRow] = field(default_factory=list)
    licence: Licence | None = None

    @property
    def allows_commitment(self) -> bool:
        return Mode.COMMITMENT.label in self.modes


def _credit(check) -> list[dict]:
    """The facts the check looked at, ready to print: who, grade, dishonest entries, restrictions."""
    if check is None:
        return []
    rows = []
    for fact in check.inputs.get("facts", []):
        grade = fact.get("grade")
        rows.append({
            "role": fact["role"], "name": fact["name"], "number": fact["number"],
            "grade": grade and {"label": Grade(grade["grade"]).label, "value": grade["grade"],
                                "source": grade["source"], "assessed_on": _date(grade["assessed_on"])},
            "dishonest": [{"list": d["list"], "listed_on": _date(d["listed_on"])} for d in fact.get("dishonest", [])],
            "restrictions": [{"legal_act": r["legal_act"], "ends_on": _date(r["ends_at"])}
                             for r in fact.get("restrictions", [])],
        })
    return rows


def application_page(request, application: Application, bound: dict | None = None) -> dict:
    """The template context of the application page; `bound` holds the forms of a refused action."""
    user = request.user
    bound = bound or {}
    state = application.state
    full_numbers = selectors.can_see_full_numbers(user)
    window = has_role(user, WINDOW_STAFF, ADMINISTRATOR)
    own = selectors.subjects_acting_for(user).filter(pk=application.subject_id).exists()

    checks = list(application.credit_checks.order_by("-checked_at", "-pk"))
    check = checks[0] if checks else None
    uploads: dict[int, list] = {}
    for upload in ApplicationMaterial.objects.filter(application=application).order_by("uploaded_at", "pk"):
        uploads.setdefault(upload.material_id, []).append(upload)
    licences = {lic.application_matter_id: lic for lic in Licence.objects.filter(application_matter__application=application)}
    upload_forms = bound.get("upload", {})
    may_upload = (own or window) and application.is_open

    matters = []
    for am in application.matters.select_related("matter_version__matter").order_by("pk"):
        version = am.matter_version
        entitlement = (check.entitlements.get(str(version.pk)) if check else None) or {}
        row = MatterRow(
            application_matter=am, version=version, grade=entitlement.get("grade", ""),
            modes=[Mode(m).label for m in entitlement.get("modes", [])], reasons=entitlement.get("reasons", []),
            licence=licences.get(am.pk),
        )
        for material in version.materials.all():
            form = upload_forms.get(material.pk) or forms.UploadForm(prefix=f"m{material.pk}")
            replaced = application.mode == Mode.COMMITMENT and material.kind == MaterialKind.REPLACEABLE
            row.materials.append(MaterialRow(
                material=material, uploads=uploads.get(material.pk, []), form=form,
                show_form=(may_upload and not replaced) or bool(form.errors),
            ))
        matters.append(row)

    letter = CommitmentLetter.objects.filter(application=application).first()
    if letter is None and application.package_id:
        letter = CommitmentLetter.objects.filter(package_id=application.package_id).first()
    signature = letter.active_signature() if letter else None
    notice = getattr(application, "notice", None)  # the reverse one-to-one raises an AttributeError when absent

    supplement_forms = bound.get("supply", {})
    review_forms = bound.get("review", {})
    supplements = []
    today = timezone.localdate()
    for s in Supplement.objects.filter(application=application).select_related("material", "upload"):
        supplements.append({
            "supplement": s,
            "can_supply": own and s.state in (SupplementState.PENDING, SupplementState.RETURNED) and today <= s.deadline,
            "can_review": window and s.state == SupplementState.SUPPLIED,
            "late": s.state in (SupplementState.PENDING, SupplementState.RETURNED) and today > s.deadline,
            "supply_form": supplement_forms.get(s.pk) or forms.UploadForm(prefix=f"s{s.pk}"),
            "review_form": review_forms.get(s.pk) or forms.ReviewForm(prefix=f"r{s.pk}"),
        })

    timeline = [
        {"at": c.at, "source": state_label(c.source) if c.source else "—", "target": state_label(c.target),
         "by": c.by, "reason": c.reason}
        for c in StateChange.objects.filter(content_type=ContentType.objects.get_for_model(Application),
                                            object_id=application.pk).select_related("by").order_by("at", "pk")
    ]

    deferrable = [m.material for row in matters for m in row.materials if m.material.kind == MaterialKind.DEFERRABLE]
    lenient_form = bound.get("lenient") or forms.LenientForm(
        prefix="lenient", materials=deferrable,
        initial={"materials": [m.pk for m in deferrable if m.pk not in uploads]})
    sign_form = bound.get("sign") or forms.SignForm(prefix="sign")
    commitment_blocked = [f"{row.version.matter.name}：{'；'.join(row.reasons) or '—'}"
                          for row in matters if check and not row.allows_commitment]

    own_letter = letter is not None and letter.application_id == application.pk
    decidable = (ApplicationState.COMMITTED, ApplicationState.AWAITING_SUPPLEMENTS, ApplicationState.UNDER_REVIEW)
    can = {  # which buttons to offer; the services still decide
        "choose": state == ApplicationState.CHECKED and (own or window),
        "commit": state == ApplicationState.CHECKED and (own or window) and not commitment_blocked,
        "sign": state == ApplicationState.NOTIFIED and own and own_letter,
        "withdraw": own and not application.package_id
        and state in (ApplicationState.NOTIFIED, ApplicationState.COMMITTED),
        "lenient": window and state == ApplicationState.COMMITTED and bool(deferrable),
        "decide": window and state in decidable,
        "reject": window and state == ApplicationState.UNDER_REVIEW,
        "terminate": window and application.is_open,
        "convert": window and state in (ApplicationState.NOTIFIED, ApplicationState.COMMITTED,
                                         ApplicationState.AWAITING_SUPPLEMENTS),
        "upload": may_upload,
    }

    package = application.package if application.package_id else None
    return {
        "application": application,
        "package": package,
        "package_visible": package is not None and selectors.packages_visible_to(user).filter(pk=package.pk).exists(),
        "can": can,
        "subject": application.subject,
        "full_numbers": full_numbers,
        "window": window,
        "own": own,
        "overdue": is_overdue(application, today),
        "state_label": state_label(state),
        "check": check,
        "checks": checks,
        "credit": _credit(check),
        "matters": matters,
        "commitment_blocked": commitment_blocked,
        "notice": notice,
        "letter": letter,
        "signature": signature,
        "withdrawn_signatures": letter.signatures.filter(withdrawn_at__isnull=False) if letter else [],
        "supplements": supplements,
        "timeline": timeline,
        "licences": [row.licence for row in matters if row.licence],
        "deferrable": deferrable,
        "done": state in DONE_STATES,
        "states": ApplicationState,
        "forms": {
            "choose": bound.get("choose") or forms.ActionForm(prefix="choose"),
            "sign": sign_form,
            "otp": bound.get("otp") or forms.ActionForm(prefix="otp"),
            "withdraw": bound.get("withdraw") or forms.WithdrawForm(prefix="withdraw"),
            "lenient": lenient_form,
            "decide": bound.get("decide") or forms.ActionForm(prefix="decide"),
            "reject": bound.get("reject") or forms.ReasonForm(prefix="reject"),
            "terminate": bound.get("terminate") or forms.ReasonForm(prefix="terminate"),
            "convert": bound.get("convert") or forms.ReasonForm(prefix="convert"),
        },
        "code_sent": bound.get("code_sent", False),
    }
