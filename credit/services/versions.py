"""Model versions: validated before they are published (bands without gap or overlap, caps that make sense,
no two indicators counting the same entries), published one at a time per model, copied to change."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from approvals.roles import ADMINISTRATOR, SUPERVISOR, has_role
from approvals.services._common import Refused

from ..models import GradeBand, Indicator, ModelVersion, Source, VersionState

GRADES = "ABCD"


def _n(value) -> str:
    return f"{Decimal(value).normalize():f}" if value is not None else "∞"


def _reachable(version: ModelVersion, indicators: list[Indicator]) -> tuple[Decimal | None, Decimal | None]:
    """The lowest and highest score the caps allow (None: unbounded that way)."""
    low = high = Decimal(version.base_points)
    for ind in indicators:
        if ind.offsets_only:
            continue
        if ind.source == Source.IMPORTED:
            scores = [Decimal(str(v)) for v in (version.imported_scores or {}).values()] or [Decimal(0)]
            top = max(scores) * ind.points
            top = min(top, ind.cap) if ind.cap is not None else top
        else:
            top = ind.cap
        if top is None:
            if ind.negative:
                low = None
            else:
                high = None
            continue
        if ind.negative and low is not None:
            low -= top
        elif not ind.negative and high is not None:
            high += top
    return low, high


def version_problems(version: ModelVersion, indicators: list[Indicator] | None = None,
                     bands: list[GradeBand] | None = None) -> list[str]:
    """Every reason the version cannot be used, in the user's language; empty when it is sound."""
    indicators = list(version.indicators.all()) if indicators is None else indicators
    bands = list(version.bands.all()) if bands is None else bands
    problems: list[str] = []
    if not (version.applies_to_person or version.applies_to_organisation):
        problems.append(_("The model scores neither persons nor organisations."))
    for ind in indicators:
        if ind.points is None or ind.points <= 0:
            problems.append(_("Indicator “%(name)s”: points per unit must be more than zero (the sign is set by "
                              "“deducts”).") % {"name": ind.name})
        if ind.cap is not None and ind.points and ind.source != Source.IMPORTED and ind.cap < ind.points:
            problems.append(_("Indicator “%(name)s”: its cap %(cap)s is below the points of a single entry "
                              "(%(points)s).") % {"name": ind.name, "cap": _n(ind.cap), "points": _n(ind.points)})
        if ind.cap is not None and ind.cap <= 0:
            problems.append(_("Indicator “%(name)s”: the cap must be more than zero.") % {"name": ind.name})
        if ind.offsets_only and ind.negative:
            problems.append(_("Indicator “%(name)s”: repair credit cannot deduct.") % {"name": ind.name})
        if ind.repair_months and not ind.negative and not ind.offsets_only:
            pass  # a positive entry may also stop counting (e.g. a commendation for two years)
    seen: dict[tuple, Indicator] = {}
    for ind in indicators:
        key = (ind.source, ind.matures_months or 0)
        if key in seen:
            problems.append(_("Indicators “%(a)s” and “%(b)s” count the same entries; their caps would overlap.")
                            % {"a": seen[key].name, "b": ind.name})
        seen[key] = ind
    if not bands:
        problems.append(_("The model has no grade bands."))
        return problems
    letters = [b.grade for b in bands]
    if len(set(letters)) != len(letters):
        problems.append(_("Each grade may have one band only."))
    ordered = sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0))
    for band in ordered:
        if band.lower is not None and band.upper is not None and band.upper <= band.lower:
            problems.append(_("Band %(grade)s: “below” (%(upper)s) must be more than “from” (%(lower)s).")
                            % {"grade": band.grade, "upper": _n(band.upper), "lower": _n(band.lower)})
    for lower_band, higher_band in zip(ordered, ordered[1:]):
        if GRADES.index(higher_band.grade) > GRADES.index(lower_band.grade):
            problems.append(_("Band %(high)s scores higher than band %(low)s but is a worse grade.")
                            % {"high": higher_band.grade, "low": lower_band.grade})
        if lower_band.upper is None:
            problems.append(_("Bands %(a)s and %(b)s overlap: %(a)s has no upper bound.")
                            % {"a": lower_band.grade, "b": higher_band.grade})
        elif higher_band.lower is None:
            problems.append(_("Bands %(a)s and %(b)s overlap: %(b)s has no lower bound.")
                            % {"a": lower_band.grade, "b": higher_band.grade})
        elif lower_band.upper < higher_band.lower:
            problems.append(_("Bands %(a)s and %(b)s leave a gap: scores from %(from)s to below %(to)s get no "
                              "grade.") % {"a": lower_band.grade, "b": higher_band.grade,
                                           "from": _n(lower_band.upper), "to": _n(higher_band.lower)})
        elif lower_band.upper > higher_band.lower:
            problems.append(_("Bands %(a)s and %(b)s overlap: scores from %(from)s to below %(to)s fall in both.")
                            % {"a": lower_band.grade, "b": higher_band.grade,
                               "from": _n(higher_band.lower), "to": _n(lower_band.upper)})
    low, high = _reachable(version, indicators)
    bottom, top = ordered[0], ordered[-1]
    if bottom.lower is not None and (low is None or low < bottom.lower):
        problems.append(_("Scores below %(lower)s get no grade (the caps allow down to %(low)s): leave the "
                          "lowest band open below.") % {"lower": _n(bottom.lower), "low": _n(low)})
    if top.upper is not None and (high is None or high >= top.upper):
        problems.append(_("Scores from %(upper)s up get no grade (the caps allow up to %(high)s): leave the "
                          "highest band open above.") % {"upper": _n(top.upper), "high": _n(high)})
    return problems


def version_check(version: ModelVersion, **kwargs) -> None:
    problems = version_problems(version, **kwargs)
    if problems:
        raise Refused(problems, code="model")


def _require_admin(user) -> None:
    if user is not None and not has_role(user, ADMINISTRATOR, SUPERVISOR):
        raise PermissionDenied(_("Only administrators and supervisors may publish an evaluation model."))


@transaction.atomic
def version_publish(*, version_id: int, by=None) -> ModelVersion:
    """Publish a draft (refused with every problem listed); the model's previous version is retired."""
    _require_admin(by)
    version = ModelVersion.objects.select_for_update().get(pk=version_id)
    if version.state != VersionState.DRAFT:
        raise Refused(_("Version %(v)s is %(state)s; only a draft can be published.")
                      % {"v": version.number, "state": version.get_state_display()}, code="state")
    version_check(version)
    ModelVersion.objects.select_for_update().filter(model=version.model, state=VersionState.PUBLISHED).update(
        state=VersionState.RETIRED)
    version.state, version.published_at, version.published_by = VersionState.PUBLISHED, timezone.now(), by
    version.save(update_fields=["state", "published_at", "published_by"])
    return version


@transaction.atomic
def version_copy(*, version_id: int) -> ModelVersion:
    """A new draft with the same indicators and bands, to change and publish."""
    source = ModelVersion.objects.get(pk=version_id)
    number = (ModelVersion.objects.filter(model=source.model).order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    copy = ModelVersion.objects.create(
        model=source.model, number=number, base_points=source.base_points,
        applies_to_person=source.applies_to_person, applies_to_organisation=source.applies_to_organisation,
        imported_scores=source.imported_scores, requires_imported=source.requires_imported, notes=source.notes)
    for ind in source.indicators.all():
        ind.pk, ind.version = None, copy
        ind.save()
    for band in source.bands.all():
        band.pk, band.version = None, copy
        band.save()
    return copy
