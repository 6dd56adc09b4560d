"""B1 for work orders and donations, called as depot staff."""

from tests.fuzzing import run, schema, settings


@schema.include(path_regex=r"^/(work-orders|donations)").parametrize()
@settings()
def test_workshop_api(case, depot_world):
    run(case, depot_world)
