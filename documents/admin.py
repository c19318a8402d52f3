from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import CertificateBatch, Document, VerificationLog
from .services import documents_render_again


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "holder", "issued_at", "status", "attempts", "error_excerpt", "superseded_by"]
    list_filter = ["status", "kind", "year"]
    search_fields = ["number", "short_code", "holder__name"]
    list_select_related = ["holder", "superseded_by"]
    actions = ["render_again"]
    readonly_fields = [f.name for f in Document._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("error"))
    def error_excerpt(self, obj):
        return obj.error[:200]

    @admin.action(description=_("Render again"))
    def render_again(self, request, queryset):
        count = documents_render_again(queryset)
        self.message_user(request, ngettext("%(count)d document queued for rendering.",
                                            "%(count)d documents queued for rendering.", count) % {"count": count},
                          messages.SUCCESS)


@admin.register(VerificationLog)
class VerificationLogAdmin(admin.ModelAdmin):
    list_display = ["at", "token", "document", "ip"]
    readonly_fields = ["token", "document", "at", "ip"]

    def has_add_permission(self, request):
        return False


@admin.register(CertificateBatch)
class CertificateBatchAdmin(admin.ModelAdmin):
    """The packages' certificate batches: a failed listing shows here with its error."""

    list_display = ["package", "started_by", "started_at", "closed", "listing_status", "listing_count",
                    "listing_error"]
    list_filter = ["listing_status"]
    list_select_related = ["package", "started_by"]
    readonly_fields = [f.name for f in CertificateBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
