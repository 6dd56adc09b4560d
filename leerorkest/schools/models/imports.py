"""Class-list imports: a file is uploaded, previewed, then committed as a whole or not at all."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.schools.models.places import School
from leerorkest.schools.models.years import SchoolYear


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    INVALID = "invalid", _("Has errors")
    PREVIEWED = "previewed", _("Ready to commit")
    COMMITTING = "committing", _("Being committed")
    COMMITTED = "committed", _("Committed")
    FAILED = "failed", _("Failed")


class ClassListImport(models.Model):
    """One uploaded class list. The file lives in the database (no local disk, so any web or
    task process can read it) and is cleared once committed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="imports")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    mapping = models.JSONField(default=dict, help_text="Column of the file per field.")
    report = models.JSONField(default=dict, help_text="Errors, or the preview's counts and rows.")
    progress = models.PositiveSmallIntegerField(
        default=0, help_text="Percent done while committing."
    )
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.school})"
