"""B1 for instrument requests, called as the requesting programme's coordinator."""

from tests.fuzzing import run, schema, settings


@schema.include(path_regex=r"^/requests").parametrize()
@settings()
def test_requests_api(case, depot_world):
    run(case, depot_world, "programme")
