"""The erasure trail, read-only: it says when something was deleted, never whose."""

from django.contrib import admin

from tandem.privacy.models import ErasureRecord


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "kind", "ref", "space", "role"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
