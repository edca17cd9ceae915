from django.contrib import admin

from tandem.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "display_name", "date_joined", "is_active", "is_staff"]
    search_fields = ["email"]
    fields = ["email", "display_name", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"]
    readonly_fields = ["date_joined", "last_login"]
