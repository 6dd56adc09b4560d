"""B1 for the depot's instrument and loan operations: generated requests (100 per operation),
as depot staff and as a programme's coordinator; no server error, nothing outside the
document.

Run without xdist's splitting (the generated cases share one node id per test function).

Known gap, reported to the lead: the IdempotencyMiddleware answers a PUT or DELETE to a POST-only
path that carries an Idempotency-Key already used by an earlier POST with 422 (key reused)
before the router can answer 405. Until the middleware passes methods the API does not route,
that one check (ST204, unsupported_method) is left out here; see
test_api.test_undeclared_method_with_a_used_key_should_be_405 (xfail, strict).
"""

from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
)

from tests.fuzzing import BASE_URL, depot_world, schema, settings  # noqa: F401 - fixture

OPERATIONS = r"^/depot/(instruments|loans|returns)"


def run(case, tokens: dict, who: str) -> None:
    response = case.call(base_url=BASE_URL, headers={"Authorization": f"Bearer {tokens[who]}"})
    case.validate_response(
        response,
        excluded_checks=[positive_data_acceptance, negative_data_rejection, unsupported_method],
    )


@schema.include(path_regex=OPERATIONS).parametrize()
@settings()
def test_depot_api_as_staff(case, depot_world):  # noqa: F811
    run(case, depot_world, "depot")


@schema.include(path_regex=OPERATIONS).parametrize()
@settings()
def test_depot_api_as_programme(case, depot_world):  # noqa: F811
    run(case, depot_world, "programme")
