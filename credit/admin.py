"""Models are configured here: a draft version's indicators and bands are edited inline; a published version is
read-only and is changed by copying it to a new draft (the "copy" action), then publishing (the "publish"
action, refused with every problem listed)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Entry, EvaluationModel, GradeBand, Indicator, ModelVersion, Score, VersionState
from .services import version_copy, version_problems, version_publish


class DraftOnly:
    def _editable(self, obj) -> bool:
        version = obj if isinstance(obj, ModelVersion) else getattr(obj, "version", None)
        return version is None or version.state == VersionState.DRAFT

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(obj)


class IndicatorInline(DraftOnly, admin.TabularInline):
    model = Indicator
    extra = 0


class BandInline(DraftOnly, admin.TabularInline):
    model = GradeBand
    extra = 0


@admin.register(EvaluationModel)
class EvaluationModelAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(ModelVersion)
class ModelVersionAdmin(DraftOnly, admin.ModelAdmin):
    list_display = ["model", "number", "state", "published_at"]
    list_filter = ["model", "state"]
    readonly_fields = ["state", "published_at", "published_by"]
    inlines = [IndicatorInline, BandInline]
    actions = ["copy", "publish"]

    def has_add_permission(self, request):
        return admin.ModelAdmin.has_add_permission(self, request)

    @admin.action(description=_("Copy to a new draft"))
    def copy(self, request, queryset):
        for version in queryset:
            copy = version_copy(version_id=version.pk)
            self.message_user(request, str(copy))

    @admin.action(description=_("Publish"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                version_publish(version_id=version.pk, by=request.user)
            except (ValidationError, PermissionDenied) as refusal:
                for message in getattr(refusal, "messages", [str(refusal)]):
                    self.message_user(request, f"{version}: {message}", level=messages.ERROR)
            else:
                self.message_user(request, str(version))

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None and obj.state == VersionState.DRAFT:
            for problem in version_problems(obj):
                messages.warning(request, problem)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["subject", "source", "occurred_on", "quantity", "ends_on", "withdrawn_at"]
    list_filter = ["source"]
    raw_id_fields = ["subject", "recorded_by"]
    search_fields = ["subject__number", "source_key"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["subject", "version", "points", "grade", "computed_on"]
    list_filter = ["version", "grade"]
    raw_id_fields = ["subject"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
