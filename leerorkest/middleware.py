"""Site-wide middleware: response headers Django's SecurityMiddleware does not set (target A6),
the language of each request, and refusing NUL characters in input."""

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Dutch unless the person chose otherwise.

    Pages follow the language cookie (set by the switch), then the logged-in user's saved
    language, then LANGUAGE_CODE: a browser's Accept-Language is ignored, because many Dutch
    offices run English-language browsers. The API does honour Accept-Language.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            language = translation.get_language_from_request(request)
        else:
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            user = getattr(request, "user", None)
            if not language and user is not None and user.is_authenticated:
                language = user.language
            if not language or not translation.check_for_language(language):
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulMiddleware:
    """A NUL character in a query string, a form field or a JSON body is never meaningful and
    PostgreSQL refuses to store or compare it: answer 400 before any view sees it (found by the
    B1 fuzz tests), instead of a server error deep in a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            message = _("The request contains a NUL character.")
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid_input", "message": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return True
        if any("\x00" in value for values in request.GET.lists() for value in values[1]):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type.startswith("application/json"):
                return b"\x00" in request.body or b"\\u0000" in request.body
            if content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
                if request.path.startswith("/api/"):
                    # The API reads the body itself afterwards (django-ninja, the Idempotency-Key
                    # fingerprint): read it first, so parsing the form keeps it readable.
                    request.body  # noqa: B018
                return any(
                    "\x00" in value for values in request.POST.lists() for value in values[1]
                )
        return False
