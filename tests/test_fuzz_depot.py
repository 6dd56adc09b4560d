"""B1 for the depot's instrument and loan operations, as depot staff and as a programme's
coordinator."""

from tests.fuzzing import run, schema, settings

OPERATIONS = r"^/depot/(instruments|loans|returns)"


@schema.include(path_regex=OPERATIONS).parametrize()
@settings()
def test_depot_api_as_staff(case, depot_world):
    run(case, depot_world, "depot")


@schema.include(path_regex=OPERATIONS).parametrize()
@settings()
def test_depot_api_as_programme(case, depot_world):
    run(case, depot_world, "programme")
