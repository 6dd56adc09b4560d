"""`leerorkest maintenance [--dry-run] [--limit N]`: open the work orders that are due."""

from django.core.management.base import BaseCommand

from leerorkest.workshop.maintenance import due_instruments, open_due_maintenance
from leerorkest.workshop.models import MaintenancePlan


class Command(BaseCommand):
    help = (
        "Send the instruments on the shelf that a maintenance plan says are due to their "
        "workshop, each with a work order. Safe to run daily: a second run opens nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, change nothing")
        parser.add_argument(
            "--limit", type=int, default=None, help="open at most this many work orders"
        )

    def handle(self, *args, dry_run: bool = False, limit: int | None = None, **options):
        if dry_run:
            for plan in MaintenancePlan.objects.filter(is_active=True).order_by("pk"):
                count = due_instruments(plan).count()
                self.stdout.write(f"Plan {plan.pk} ({plan}): {count} instruments due.")
            return
        opened = open_due_maintenance(limit=limit)
        self.stdout.write(f"{len(opened)} maintenance work orders opened.")
