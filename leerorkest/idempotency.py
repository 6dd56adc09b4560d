"""`Idempotency-Key` on API writes: the first request with a key does the work and its answer is
kept; a retry with the same key and the same request gets that answer again (marked with
`Idempotent-Replayed: true`) and nothing is done twice.

Keys are scoped to whoever sends them (a hash of the bearer token, or the session's user) and to
the operation (method and path), so two clients can never see each other's answers. A key
reused on the same operation with a different body is refused (422); a retry that arrives while
the first is still running gets 409. Server errors are not kept, so a retry after one runs
again. Kept answers are removed after IDEMPOTENCY_HOURS.
"""

import hashlib
from datetime import timedelta
from typing import Annotated

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header

from leerorkest.accounts.models import IdempotentRequest

HEADER = "Idempotency-Key"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 80


def _sha(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _scope(request) -> str | None:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return _sha(b"bearer", authorization.encode())
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return _sha(b"user", str(user.pk).encode())
    return None


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message}, status=status)


def expire(now=None) -> int:
    """Forget kept answers older than IDEMPOTENCY_HOURS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.IDEMPOTENCY_HOURS)
    deleted, _rows = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES or not request.path.startswith("/api/"):
            return self.get_response(request)
        key = key.strip()
        if not key or len(key) > MAX_KEY_LENGTH or not key.isascii():
            return _error(
                400,
                "invalid_idempotency_key",
                _("The Idempotency-Key header must be 1 to 80 plain characters."),
            )
        sender = _scope(request)
        if sender is None:  # not signed in: the API will answer 401 and nothing is written
            return self.get_response(request)
        # A key belongs to one sender and one operation (method and path): the same key sent
        # to another operation is another request, answered on its own (even if that is a 405).
        scope = _sha(sender.encode(), request.method.encode(), request.path.encode())
        fingerprint = _sha(request.body)
        try:
            with transaction.atomic():
                entry = IdempotentRequest.objects.create(
                    scope=scope, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            earlier = IdempotentRequest.objects.filter(scope=scope, key=key).first()
            if earlier is None:  # expired between the insert and the read: try once more
                return _error(409, "request_in_progress", _("Try again in a moment."))
            return self._replay(earlier, fingerprint)
        try:
            response = self.get_response(request)
        except BaseException:
            IdempotentRequest.objects.filter(pk=entry.pk).delete()
            raise
        if response.status_code >= 500 or getattr(response, "streaming", False):
            IdempotentRequest.objects.filter(pk=entry.pk).delete()
            return response
        IdempotentRequest.objects.filter(pk=entry.pk).update(
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            body=bytes(response.content),
        )
        return response

    @staticmethod
    def _replay(earlier: IdempotentRequest, fingerprint: str):
        if earlier.fingerprint != fingerprint:
            return _error(
                422,
                "idempotency_key_reused",
                _("This Idempotency-Key was already used for a different request."),
            )
        if earlier.status is None:
            return _error(
                409,
                "request_in_progress",
                _("A request with this Idempotency-Key is still being handled."),
            )
        response = HttpResponse(
            bytes(earlier.body), status=earlier.status, content_type=earlier.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response


# Declare it on every write operation so the OpenAPI document shows it (the middleware does the
# work): `def create(request, ..., idempotency_key: IdempotencyKey = None)`.
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        description=(
            "Optional. Send the same value when you retry this request: the first answer is "
            "given again and nothing is done twice."
        ),
        max_length=MAX_KEY_LENGTH,
    ),
]
