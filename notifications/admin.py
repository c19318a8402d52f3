from django.contrib import admin

from .models import Delivery, Message, Preference


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    readonly_fields = ["channel", "address", "status", "attempts", "next_attempt_at", "last_error", "sent_at",
                       "provider_id"]
    can_delete = False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "recipient", "subject", "created_at", "read_at"]
    list_filter = ["event"]
    search_fields = ["title", "key", "subject__name", "recipient__username"]
    readonly_fields = ["key", "event", "recipient", "subject", "object_type", "object_id", "language", "title",
                       "body", "sms_text", "link", "created_at", "read_at"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["message", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel"]
    readonly_fields = ["message", "channel", "address", "attempts", "last_error", "sent_at", "provider_id"]


admin.site.register(Preference)
