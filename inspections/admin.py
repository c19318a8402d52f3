from django.contrib import admin

from .models import Assignment, Obligation


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    raw_id_fields = ["inspector"]


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = ["licence", "method", "scope", "due_on", "state"]
    list_filter = ["state", "method", "scope"]
    inlines = [AssignmentInline]
    raw_id_fields = ["licence"]
