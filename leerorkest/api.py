"""The JSON API under /api/v1/: one NinjaAPI, one router per app, errors as {"code", "message"}."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from leerorkest.accounts.access import AccessDenied
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import ApiToken, hash_secret

TOKEN_TOUCH_SECONDS = 300


class SignedInSession(SessionAuth):
    """The site's login session, for the pages' own calls (with the CSRF token). A request
    without a signed-in session is not a session call at all: it is answered 401 like any
    unauthenticated call, not 403 for a missing CSRF token it could never have had."""

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        return super().__call__(request)


session_auth = SignedInSession()


class PersonalToken(HttpBearer):
    """`Authorization: Bearer lo_…` with a personal token from the profile page."""

    def authenticate(self, request, token):
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(token_hash=hash_secret(token))
            .first()
        )
        if found is None:
            return None
        now = timezone.now()
        # Recording every use would turn each read into a write; once per few minutes is enough.
        if (
            found.last_used_at is None
            or (now - found.last_used_at).total_seconds() > TOKEN_TOUCH_SECONDS
        ):
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


# Every operation can answer with these; the document says so once, here, instead of in each
# operation (targets B1: no response outside the schema).
ERROR_RESPONSES = {
    "400": "The request was understood but refused (the message says why).",
    "401": "Not signed in: send a personal token or a session cookie.",
    "403": "Signed in, but this role may not do this.",
    "404": "No such object, or it belongs to another organisation.",
    "409": "A request with this Idempotency-Key is still being handled.",
    "422": "The input does not fit (field: reason), or an Idempotency-Key was reused.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "code": {"type": "string", "title": "Code"},
        "message": {"type": "string", "title": "Message"},
    },
    "required": ["code", "message"],
}


class PlatformApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_RESPONSES.items():
                    if status not in responses and int(status) not in responses:
                        responses[status] = {"description": description, "content": error}
        return schema


api = PlatformApi(
    title="Leerorkest platform API",
    version="1",
    description=(
        "Programme, depot and knowledge data of the Leerorkest platform. Authenticate with a "
        "personal token (`Authorization: Bearer lo_…`, created on your profile page) or with "
        "the browser session. Errors are JSON objects with `code` and `message`."
    ),
    auth=[PersonalToken(), session_auth],
    urls_namespace="api",
)


def _error(request, status: int, code: str, message: str):
    return api.create_response(request, {"code": code, "message": message}, status=status)


@api.exception_handler(AccessDenied)
def on_access_denied(request, exc: AccessDenied):
    return _error(request, exc.status, exc.code, exc.message)


@api.exception_handler(AuthenticationError)
def on_authentication_error(request, exc):
    return _error(request, 401, "not_authenticated", _("Authentication required."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, 400, exc.code, exc.message)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    parts = []
    for error in exc.errors:
        location = ".".join(str(p) for p in error.get("loc", ()))
        parts.append(f"{location}: {error.get('msg', 'invalid')}")
    return _error(request, 422, "invalid_input", "; ".join(parts) or _("Invalid input."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "error", str(exc))


api.add_router("/", "leerorkest.accounts.api.router")
api.add_router("/", "leerorkest.programme.choice_api.router")
api.add_router("/", "leerorkest.programme.teacher_api.router")
api.add_router("/", "leerorkest.schools.api.router")
api.add_router("/", "leerorkest.programme.ensemble_api.router")
api.add_router("/", "leerorkest.stock.api.router")
api.add_router("/", "leerorkest.allocation.api.router")
api.add_router("/", "leerorkest.workshop.api.router")
api.add_router("/", "leerorkest.donations.api.router")
api.add_router("/", "leerorkest.depot.api.router")
api.add_router("/", "leerorkest.curriculum.api.router")
api.add_router("/", "leerorkest.repertoire.api.router")
api.add_router("/", "leerorkest.knowledge.api.router")
api.add_router("/", "leerorkest.academie.api.router")
