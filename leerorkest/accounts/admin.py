from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.actions import deactivate_user
from leerorkest.accounts.models import (
    ApiToken,
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    TotpDevice,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "region", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug", "city"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_platform_admin", "last_login"]
    list_filter = ["is_active", "is_platform_admin", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name", "language"]}),
        (_("Access"), {"fields": ["is_active", "is_platform_admin", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        blocking = change and "is_active" in form.changed_data and not obj.is_active
        if blocking:
            obj.is_active = True  # let the action do it, so sessions and tokens end with it
        super().save_model(request, obj, form, change)
        if blocking:
            deactivate_user(user=obj, by=request.user)


@admin.register(TotpDevice)
class TotpDeviceAdmin(admin.ModelAdmin):
    """A platform administrator removes a lost device (after checking who asks); the user then
    sets up a new one at the next login. The secret is never shown."""

    list_display = ["user", "created_at", "confirmed_at"]
    search_fields = ["user__email", "user__full_name"]
    exclude = ["encrypted_secret"]
    readonly_fields = ["user", "created_at", "confirmed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = [f.name for f in Invitation._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = [f.name for f in ApiToken._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the table is append-only in the database as well."""

    list_display = ["at", "actor_label", "organisation", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_repr"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
