from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import (
    Application, ApplicationMatter, CalendarDay, CreditCheck, CalendarYear, CommitmentItem, CreditGrade, DishonestEntry,
    DishonestImport, Material, Matter, MatterVersion, StateChange, Subject,
)

admin.site.site_header = gettext_lazy("Notify-and-commit licensing administration")
admin.site.site_title = gettext_lazy("Licensing administration")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are evidence or history: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _FrozenInlineMixin:
    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not (obj and obj.is_frozen)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_frozen)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_frozen)


class MaterialInline(_FrozenInlineMixin, admin.TabularInline):
    model = Material
    extra = 0
    fields = ["position", "name", "kind", "replaces_proof", "issuing_office", "supplement_days", "description"]


class CommitmentItemInline(_FrozenInlineMixin, admin.TabularInline):
    model = CommitmentItem
    extra = 0
    fields = ["position", "text"]


class MatterVersionInline(admin.TabularInline):
    model = MatterVersion
    extra = 0
    fields = ["number", "published_at", "statutory_limit_days", "allows_commitment", "allows_lenient", "link"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    @admin.display(description=gettext_lazy("open"))
    def link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("admin:approvals_matterversion_change", args=[obj.pk]), _("open"))

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Matter)
class MatterAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "department", "current"]
    search_fields = ["code", "name", "department"]
    inlines = [MatterVersionInline]

    @admin.display(description=gettext_lazy("current version"))
    def current(self, obj):
        version = obj.current_version()
        return version.number if version else "—"


@admin.register(MatterVersion)
class MatterVersionAdmin(admin.ModelAdmin):
    list_display = ["matter", "number", "published_at", "allows_commitment", "allows_lenient", "allows_green_channel"]
    list_filter = ["allows_commitment", "allows_lenient", "allows_green_channel", "verification_scope"]
    search_fields = ["matter__code", "matter__name"]
    inlines = [MaterialInline, CommitmentItemInline]
    actions = ["publish", "revise"]
    change_form_template = "admin/approvals/matterversion/change_form.html"

    def get_readonly_fields(self, request, obj=None):
        if obj and obj.is_frozen:
            return [f.name for f in self.model._meta.fields]
        return ["number", "published_at", "created_by"] if obj else ["published_at", "created_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj and obj.is_frozen and request.method == "GET":
            messages.info(request, _("This version is used by applications and cannot change. "
                                     "Use “Edit as a new version” to change the matter."))
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        return [
            path("<int:pk>/revise/", self.admin_site.admin_view(self.revise_view), name="approvals_matterversion_revise"),
            *super().get_urls(),
        ]

    def revise_view(self, request, pk):
        if request.method != "POST" or not self.has_add_permission(request):
            return redirect("admin:approvals_matterversion_change", pk)
        version = services.matter_version_revise(version_id=pk, by=request.user)
        messages.success(request, _("Version %(number)d created as a draft; publish it when ready.") % {"number": version.number})
        return redirect("admin:approvals_matterversion_change", version.pk)

    @admin.action(description=gettext_lazy("Publish the selected versions"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                services.matter_version_publish(version_id=version.pk)
            except ValidationError as error:
                self.message_user(request, f"{version}: {'；'.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(version)s published.") % {"version": version})

    @admin.action(description=gettext_lazy("Edit as a new version"))
    def revise(self, request, queryset):
        for version in queryset:
            new = services.matter_version_revise(version_id=version.pk, by=request.user)
            self.message_user(request, _("%(version)s created as a draft.") % {"version": new})


class SubjectAdminForm(forms.ModelForm):
    class Meta:
        model = Subject
        fields = "__all__"


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    form = SubjectAdminForm
    list_display = ["name", "kind", "number", "legal_representative", "user"]
    list_filter = ["kind"]
    search_fields = ["name", "number"]
    raw_id_fields = ["legal_representative", "user"]
    filter_horizontal = ["agents"]


@admin.register(CreditGrade)
class CreditGradeAdmin(admin.ModelAdmin):
    list_display = ["subject", "grade", "source", "assessed_on"]
    list_filter = ["grade", "source"]
    search_fields = ["subject__name", "subject__number"]
    raw_id_fields = ["subject"]


class DishonestUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"))
    list_name = forms.CharField(label=gettext_lazy("list"), initial=services.dishonest.DEFAULT_LIST, max_length=100)


@admin.register(DishonestEntry)
class DishonestEntryAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "list_name", "listed_on", "removed_on", "authority"]
    list_filter = ["list_name", "listed_on"]
    search_fields = ["name", "number"]
    change_list_template = "admin/approvals/dishonestentry/change_list.html"

    def has_add_permission(self, request):
        return False  # entries come only from imports

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="approvals_dishonestentry_import"),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not request.user.has_perm("approvals.add_dishonestimport"):
            messages.error(request, _("You may not import lists."))
            return redirect("admin:approvals_dishonestentry_changelist")
        form = DishonestUploadForm(request.POST or None, request.FILES or None)
        errors = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = services.dishonest_list_import(
                    data=upload.read(), filename=upload.name, list_name=form.cleaned_data["list_name"], by=request.user
                )
            except services.ImportRejected as rejected:
                errors = rejected.lines()
                messages.error(request, _("Nothing was imported: %(count)d row(s) have errors. Correct them and import the whole file again.") % {"count": len(errors)})
            else:
                messages.success(request, _("Imported %(rows)d rows: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.") % {
                    "rows": record.rows, "created": record.created, "updated": record.updated, "unchanged": record.unchanged})
                return redirect("admin:approvals_dishonestentry_changelist")
        context = {**self.admin_site.each_context(request), "form": form, "errors": errors, "opts": self.model._meta,
                   "title": _("Import the list of seriously dishonest subjects")}
        return render(request, "admin/approvals/dishonestentry/import.html", context)


@admin.register(DishonestImport)
class DishonestImportAdmin(ReadOnlyAdmin):
    list_display = ["imported_at", "list_name", "filename", "rows", "created", "updated", "unchanged", "imported_by"]


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 0


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "provisional", "declared_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.declared_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "name"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"


class ApplicationMatterInline(admin.TabularInline):
    model = ApplicationMatter
    extra = 0
    raw_id_fields = ["matter_version"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["pk", "subject", "channel", "state", "created_at"]
    list_filter = ["channel", "state"]
    raw_id_fields = ["subject", "created_by"]
    inlines = [ApplicationMatterInline]


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyAdmin):
    list_display = ["at", "content_type", "object_id", "source", "target", "by", "reason"]
    list_filter = ["content_type"]



@admin.register(CreditCheck)
class CreditCheckAdmin(ReadOnlyAdmin):
    """Evidence: read-only."""

    list_display = ["application", "stage", "checked_at", "rule_version", "restricted"]
    list_filter = ["stage", "restricted", "rule_version"]
    readonly_fields = ["application", "stage", "checked_at", "rule_version", "inputs", "entitlements", "restricted"]
