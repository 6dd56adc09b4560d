"""The delivery and attendance dashboard: the reach page's filters, with attendance per school,
lesson group and teacher, lessons against agreed per school, and each teacher's hours and
training. Rows lead to the pages behind them, which keep their own access rules."""

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from leerorkest.accounts.access import rule
from leerorkest.reports.access import REPORTERS
from leerorkest.reports.delivery import delivery
from leerorkest.reports.scope import reportable_programmes
from leerorkest.reports.views import SCOPE_KEYS, _choices, _filters, _query
from leerorkest.schools.models import SchoolYear


def _links(request, result) -> None:
    """A school narrows the dashboard to it; a teacher leads to their page; a school's
    delivery row to the proof of delivery of that school and year."""
    for row in result.by_school:
        row.url = "?" + _query(request, school=row.key) if row.key is not None else ""
    for row in result.by_teacher:
        row.url = reverse("programme:teacher_detail", args=[row.key]) if row.key else ""
    for teacher in result.teachers:
        teacher.url = reverse("programme:teacher_detail", args=[teacher.teacher_id])
    for year in result.years:
        for school in year.schools:
            school.url = (
                reverse("timetable:delivery_school", args=[school.school_id])
                + f"?year={year.year.starts_on.year}"
            )
            # Given against agreed (or the year's forecast when nothing was agreed), for the bar.
            wanted = school.agreed or school.forecast
            school.pct = min(100, round(100 * school.given / wanted)) if wanted else 0


@rule(REPORTERS)
def delivery_view(request):
    scope, period, error = _filters(request)
    result = delivery(scope, period, today=timezone.localdate())
    _links(request, result)
    context = {
        "result": result,
        "tables": [
            (_("Attendance per school"), result.by_school, "school"),
            (_("Attendance per lesson group"), result.by_group, "group"),
            (_("Attendance per teacher"), result.by_teacher, "teacher"),
        ],
        "scope": scope,
        "period": period,
        "error": error,
        "years": SchoolYear.objects.order_by("-starts_on"),
        "programmes": reportable_programmes(request.context),
        "clear": {k: "?" + _query(request, **{k: None}) for k in SCOPE_KEYS},
        **_choices(scope),
    }
    return render(request, "reports/delivery.html", context, status=400 if error else 200)
