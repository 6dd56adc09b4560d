"""The technical admin site, for platform administrators only.

Anyone else who is logged in gets a 404, as for any object outside their organisations; anonymous
visitors go to the platform's own login page (with its lockout).
"""

import functools

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class PlatformAdminSite(admin.AdminSite):
    site_header = _("Leerorkest platform: technical administration")
    site_title = _("Leerorkest platform")

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.is_staff and user.is_platform_admin

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not self.has_permission(request):
            raise Http404
        return redirect_to_login(request.GET.get("next", request.path))
