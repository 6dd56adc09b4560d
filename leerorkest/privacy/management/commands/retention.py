"""`leerorkest retention [--dry-run]`: pseudonymise pupils past the retention period (P3)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from leerorkest.idempotency import expire
from leerorkest.privacy.actions import apply_retention


class Command(BaseCommand):
    help = (
        "Pseudonymise the pupils who left more than RETENTION_YEARS ago. Safe to run daily: "
        "a second run changes nothing. Prints counts, never names."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="count the pupils, change nothing"
        )

    def handle(self, *args, dry_run: bool = False, **options):
        result = apply_retention(dry_run=dry_run)
        since = f"ended before {result.cutoff.isoformat()} ({settings.RETENTION_YEARS} years)"
        if dry_run:
            self.stdout.write(f"Dry run: {result.count} pupils would be pseudonymised; {since}.")
        elif result.count:
            self.stdout.write(f"{result.count} pupils pseudonymised; their time {since}.")
        else:
            self.stdout.write(f"Nothing to do: no pupil whose time {since} is left unerased.")
        if not dry_run:
            forgotten = expire()
            self.stdout.write(f"{forgotten} kept API answers past IDEMPOTENCY_HOURS forgotten.")
