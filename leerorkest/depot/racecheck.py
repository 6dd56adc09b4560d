"""The checkout race (targets L1, L2, L4): many clients lend one instrument at the same moment.

    python -m leerorkest.depot.racecheck --trials 200 --threads 8 [--sabotage]

Runs against DATABASE_URL (a database it may fill: the tests pass a fresh one). Each trial
makes an instrument, starts the threads behind a barrier so they call `checkout_instrument`
together, and counts successes, "already on loan" refusals, other errors and double loans.
With --sabotage the row lock and the unique constraint are switched off, to show the count of
double loans is able to go up. Prints one JSON line.
"""

import argparse
import json
import os
import threading


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--sabotage", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leerorkest.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    print(json.dumps(race(args.trials, args.threads, sabotage=args.sabotage)))


def race(trials: int, threads: int, *, sabotage: bool = False) -> dict:
    from django.db import connection, connections

    from leerorkest.accounts.actions import DomainError
    from leerorkest.accounts.models import Organisation
    from leerorkest.accounts.roles import OrgKind
    from leerorkest.depot import actions
    from leerorkest.depot.models import Loan
    from leerorkest.programme import catalogue
    from leerorkest.programme.models import InstrumentType

    if sabotage:
        actions.USE_ROW_LOCK = False
        # A partial unique constraint is a partial unique index on both engines.
        with connection.cursor() as cursor:
            cursor.execute('DROP INDEX IF EXISTS "one_open_loan_per_instrument"')
    catalogue.install(InstrumentType)
    violin = InstrumentType.objects.get(code="violin")
    depot, _ = Organisation.objects.get_or_create(
        slug="race-depot", defaults={"name": "Race depot", "kind": OrgKind.DEPOT}
    )
    borrowers = [
        Organisation.objects.get_or_create(
            slug=f"race-programme-{n}",
            defaults={"name": f"Programme {n}", "kind": OrgKind.PROGRAMME},
        )[0]
        for n in range(threads)
    ]
    totals = {
        "trials": trials,
        "threads": threads,
        "sabotage": sabotage,
        "succeeded": 0,
        "refused": 0,
        "errors": 0,
        "locked_errors": 0,
        "double_loans": 0,
        "error_samples": [],
    }
    start = Loan.objects.count()
    for trial in range(trials):
        instrument = actions.acquire_instrument(
            by=None,
            organisation=depot,
            asset_tag=f"RACE-{os.getpid()}-{trial}",
            instrument_type=violin,
            acquired_via="purchase",
        )
        barrier = threading.Barrier(threads)
        results: list[str] = []
        lock = threading.Lock()

        def client(borrower, instrument=instrument, barrier=barrier, results=results, lock=lock):
            try:
                barrier.wait()
                actions.checkout_instrument(instrument=instrument, borrower=borrower, by=None)
                outcome = "succeeded"
            except actions.AlreadyOnLoan:
                outcome = "refused"
            except DomainError:
                outcome = "refused"
            except Exception as error:  # counted: the target is zero of these
                outcome = f"error: {type(error).__name__}: {error}"
            finally:
                connections.close_all()
            with lock:
                results.append(outcome)

        workers = [threading.Thread(target=client, args=(b,)) for b in borrowers]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        for outcome in results:
            if outcome in ("succeeded", "refused"):
                totals[outcome] += 1
            else:
                totals["errors"] += 1
                if "locked" in outcome:
                    totals["locked_errors"] += 1
                if len(totals["error_samples"]) < 3:
                    totals["error_samples"].append(outcome)
        open_loans = Loan.objects.filter(instrument=instrument, returned_at__isnull=True).count()
        totals["double_loans"] += max(0, open_loans - 1)
    totals["loans_written"] = Loan.objects.count() - start
    return totals


if __name__ == "__main__":
    main()
