"""A2 builders for the programme portal (leerorkest.depot.portal_views).

personas.owner coordinates personas.organisation (a programme) and the outsider coordinates a
partner programme: both pass the role rule, and the outsider must meet a 404 on the owner's
loans, pupil loans and forms.
"""

from leerorkest.depot import actions, pupil_loans
from leerorkest.depot.tests.builders import make_depot, make_stock
from leerorkest.testing import make_class, make_pupil, make_school


def _loan(p):
    [instrument] = make_stock(make_depot())
    return actions.checkout_instrument(instrument=instrument, borrower=p.organisation, by=None)


def _pupil_loan(p):
    loan = _loan(p)
    pupil = make_pupil(make_class(make_school(p.organisation)))
    return pupil_loans.lend_to_pupil(
        loan=loan,
        pupil=pupil,
        signed_by="A. Parent",
        signed_how="paper",
        paper_signed=True,
        by=p.owner,
    )


OBJECT_URLS = {
    "depot:portal_loan": lambda p: ("get", {"pk": _loan(p).pk}),
    "depot:portal_damage": lambda p: ("post", {"pk": _loan(p).pk}),
    "depot:portal_lend_pupil": lambda p: ("get", {"pk": _loan(p).pk}),
    "depot:portal_pupil_form": lambda p: ("get", {"pk": _loan(p).pk}),
    "depot:portal_pupil_return": lambda p: ("post", {"pk": _pupil_loan(p).pk}),
}
