"""Operational records only (therapists, links, invites); the audit log is
read-only here, as everywhere."""

from django.contrib import admin

from tandem.clinic.models import AuditEntry, CareInvite, CareLink, Therapist


@admin.register(Therapist)
class TherapistAdmin(admin.ModelAdmin):
    list_display = ["user", "practice_name", "created_at"]


@admin.register(CareLink)
class CareLinkAdmin(admin.ModelAdmin):
    list_display = ["therapist", "couple", "status", "created_at", "activated_at", "ended_at"]
    list_filter = ["status"]


@admin.register(CareInvite)
class CareInviteAdmin(admin.ModelAdmin):
    list_display = ["therapist", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token_hash", "code_hash"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "therapist", "couple", "path"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
