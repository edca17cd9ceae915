"""Operational records only: who is in which space and invite states.
Nothing a person writes is ever registered here."""

from django.contrib import admin

from tandem.couples.models import Couple, Invite, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "slot", "active", "joined_at"]
    readonly_fields = fields


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "closed_at"]
    inlines = [MembershipInline]
    readonly_fields = ["id", "created_at"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["couple", "created_at", "expires_at", "used_at", "revoked_at"]
    exclude = ["token", "code"]
    readonly_fields = ["couple", "created_by", "used_by", "created_at"]
