from django.contrib import admin

from .models import Restriction


@admin.register(Restriction)
class RestrictionAdmin(admin.ModelAdmin):
    list_display = ["subject", "scope", "starts_at", "ends_at", "state", "key_supervision"]
    list_filter = ["state", "scope", "key_supervision"]
    search_fields = ["subject__name", "subject__number", "legal_act"]
    raw_id_fields = ["subject"]
    readonly_fields = ["state", "lifted_at", "lifted_by", "lift_reason", "created_at", "created_by"]
