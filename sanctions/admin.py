from django.contrib import admin

from approvals.admin import ReadOnlyAdmin

from .models import FeedRecord, Objection, Repair, Restriction, Violation, ViolationKind


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["subject", "scope", "starts_at", "ends_at", "state", "key_supervision"]
    list_filter = ["state", "scope", "key_supervision"]
    search_fields = ["subject__name", "subject__number", "legal_act"]
    raw_id_fields = ["subject", "violation"]
    readonly_fields = ["state", "lifted_at", "lifted_by", "lift_reason", "created_at", "created_by"]


@admin.register(ViolationKind)
class ViolationKindAdmin(admin.ModelAdmin):
    """Administrators add kinds and set the level each leads to (the built-in five can be re-levelled)."""

    list_display = ["code", "name", "name_en", "level", "builtin", "active"]
    list_editable = ["level", "active"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj and obj.builtin else []

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(ReadOnlyAdmin):
    """Cases, objections and repairs change only through their acts (the supervisor pages)."""


@admin.register(Violation)
class ViolationAdmin(_ReadOnly):
    list_display = ["number", "subject", "kind", "level", "state", "opened_at"]
    list_filter = ["state", "level", "kind"]
    search_fields = ["number", "subject__name", "subject__number"]


@admin.register(Objection)
class ObjectionAdmin(_ReadOnly):
    list_display = ["violation", "state", "filed_at", "due_on"]
    list_filter = ["state"]


@admin.register(Repair)
class RepairAdmin(_ReadOnly):
    list_display = ["violation", "state", "filed_at"]
    list_filter = ["state"]


@admin.register(FeedRecord)
class FeedRecordAdmin(_ReadOnly):
    list_display = ["pk", "category", "action", "created_at", "pushed_at", "attempts", "last_error"]
    list_filter = ["category", "action", ("pushed_at", admin.EmptyFieldListFilter)]
