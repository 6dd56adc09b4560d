"""Depot pages beyond the desk: the loan agreement versions, the reminders (preview and
"send now"), and the size-up counts."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leerorkest.accounts.access import rule
from leerorkest.accounts.actions import DomainError
from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind
from leerorkest.depot import agreements, reminders, sizing
from leerorkest.depot.access import depots_for_user, get_version_for_user
from leerorkest.depot.forms import AgreementVersionForm
from leerorkest.depot.models import AgreementVersion, Loan, LoanAgreement
from leerorkest.depot.views import DEPOT, DESK


def _depot(user) -> Organisation:
    depot = depots_for_user(user).order_by("pk").first()
    if depot is None:
        raise Http404
    return depot


@rule(DESK)
def agreement_versions(request):
    depot = _depot(request.user)
    form = AgreementVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = agreements.save_draft(depot=depot, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("Draft %(version)s saved.") % {"version": version})
            return redirect("depot:agreement_version", version.pk)
    versions = AgreementVersion.objects.filter(organisation=depot)
    return render(
        request,
        "depot/agreement_versions.html",
        {
            "versions": versions,
            "current": agreements.current_version(depot),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@rule(DESK)
def agreement_version(request, pk):
    version = get_version_for_user(request.user, pk)
    form = None
    if not version.is_published:
        form = AgreementVersionForm(
            request.POST or None, initial={"version": version.version, "text": version.text}
        )
        if request.method == "POST" and form.is_valid():
            try:
                agreements.save_draft(
                    depot=version.organisation, by=request.user, draft=version, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(error.field, error.message)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("depot:agreement_version", version.pk)
    elif request.method == "POST":
        messages.error(request, _("A published version cannot be changed; write a new version."))
    current = agreements.current_version(version.organisation)
    borrowers = Organisation.objects.filter(
        is_active=True, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
    ).order_by("name")
    accepted = {
        a.borrower_id: a
        for a in LoanAgreement.objects.filter(agreement_version=version).select_related("borrower")
    }
    return render(
        request,
        "depot/agreement_version.html",
        {
            "version": version,
            "form": form,
            "is_current": current is not None and current.pk == version.pk,
            "acceptances": [(b, accepted.get(b.pk)) for b in borrowers]
            if version.is_published
            else [],
        },
        status=400 if form is not None and form.errors else 200,
    )


@require_POST
@rule(DESK)
def agreement_publish(request, pk):
    version = get_version_for_user(request.user, pk)
    try:
        agreements.publish_version(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(version)s is published; programmes are asked to accept it.")
            % {"version": version.version},
        )
    return redirect("depot:agreement_version", version.pk)


@rule(DESK)
def reminder_list(request):
    """Who gets what if the reminders went out now; "send now" queues the task."""
    depot = _depot(request.user)
    if request.method == "POST":
        from leerorkest.depot.tasks import send_reminders

        send_reminders.enqueue()
        messages.success(request, _("The reminders are being sent."))
        return redirect("depot:reminders")
    return render(
        request,
        "depot/reminders.html",
        {
            "digests": reminders.plan(lender=depot),
            "stages": [(s, reminders.stage_label(s)) for s in reminders.stages()],
            "overdue": Loan.objects.open()
            .filter(lender=depot, due_on__lt=timezone.localdate())
            .count(),
        },
    )


@rule(DEPOT)
def size_up_counts(request):
    depot = _depot(request.user)
    return render(
        request, "depot/size_up_counts.html", {"rows": sizing.size_up_counts(depot=depot)}
    )
