"""B1 for transport runs and stock-takes (depot staff) and deliveries (the programme)."""

from tests.fuzzing import run, schema, settings


@schema.include(path_regex=r"^/(transport-runs|stocktakes)").parametrize()
@settings()
def test_stock_api(case, depot_world):
    run(case, depot_world)


@schema.include(path_regex=r"^/deliveries").parametrize()
@settings()
def test_deliveries_api(case, depot_world):
    run(case, depot_world, "programme")
