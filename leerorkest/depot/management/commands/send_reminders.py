"""`leerorkest send_reminders [--dry-run]`: the staged reminder digests due today."""

from django.core.management.base import BaseCommand

from leerorkest.depot.reminders import plan, send_reminders


class Command(BaseCommand):
    help = (
        "Send one reminder e-mail per borrowing programme about its loans at a reminder stage "
        "(settings.REMINDER_DAYS). Safe to run daily: a stage is never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="show who would get what")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            digests = plan()
            for digest in digests:
                self.stdout.write(
                    f"{digest.borrower.name}: {len(digest.items)} loans, "
                    f"{len(digest.recipients)} recipients"
                )
            self.stdout.write(f"Dry run: {len(digests)} digests would be sent.")
            return
        result = send_reminders()
        self.stdout.write(
            f"{result['digests']} digests sent about {result['loans']} loans; "
            f"{result['without_recipient']} programmes have no coordinator to tell."
        )
