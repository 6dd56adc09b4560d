"""A2 builders for the Academie pages and API.

personas.organisation is a programme; its workshops are not open to other programmes, so the
outsider (a partner programme's coordinator, who passes the role rule) meets the 404.
"""

from leerorkest.academie.models import RegistrationStatus
from leerorkest.academie.tests.builders import make_registration, make_workshop


def _workshop(p, days=14):
    return make_workshop(p.organisation, days=days)


def _attended(p):
    return make_registration(_workshop(p, days=-3), p.member, RegistrationStatus.ATTENDED)


def _registered_in_the_past(p):
    return make_registration(_workshop(p, days=-3), p.member)


OBJECT_URLS = {
    "academie:workshop": lambda p: ("get", {"pk": _workshop(p).pk}),
    "academie:register": lambda p: ("post", {"pk": _workshop(p).pk}),
    "academie:unregister": lambda p: ("post", {"pk": _workshop(p).pk}),
    "academie:participants": lambda p: ("get", {"pk": _workshop(p).pk}),
    "academie:workshop_edit": lambda p: ("get", {"pk": _workshop(p).pk}),
    "academie:workshop_cancel": lambda p: ("post", {"pk": _workshop(p).pk}),
    "academie:attendance": lambda p: ("post", {"pk": _registered_in_the_past(p).pk}),
    "academie:certificate": lambda p: ("get", {"pk": _attended(p).pk}),
    # The code in the link is the credential; a wrong one must look like nothing exists.
    "academie:verify": lambda p: ("get", {"pk": _attended(p).pk, "code": "0" * 16}),
}
CREDENTIAL_LINKS = {"academie:verify"}

OBJECT_OPERATIONS = {
    "/academie/workshops/{workshop_id}": lambda p: {"workshop_id": _workshop(p).pk},
    "/academie/workshops/{workshop_id}/registration": lambda p: {"workshop_id": _workshop(p).pk},
}
