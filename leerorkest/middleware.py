"""Site-wide response headers that Django's SecurityMiddleware does not set (target A6)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
