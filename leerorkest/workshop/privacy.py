"""The workshops' entries in the processing register (leerorkest.privacy.register), added from
WorkshopConfig.ready so the register stays complete without the privacy app knowing us."""

from django.utils.translation import gettext_lazy as _


def declare() -> None:
    from leerorkest.privacy import register

    declarations = [
        register.Declaration(
            "workshop.WorkshopMember",
            _(
                "Who works in which workshop, as what (volunteer, intern, work placement, paid), "
                "with which skills and, for paid staff, the hourly rate for repair costs."
            ),
            register.CONTRACT,
            _("As long as the person works in the workshop."),
            _("The depot's staff and workshop leads."),
        ),
        register.Declaration(
            "workshop.LabourLine",
            _("Hours a person worked on a repair, for the cost of the repair."),
            register.CONTRACT,
            _("Kept with the instrument's repair history."),
            _("The depot's staff, workshop leads and the person."),
        ),
    ]
    known = register.declared_models()
    register.DECLARATIONS.extend(d for d in declarations if d.model not in known)
    register.NOT_PERSONAL.setdefault("workshop.Workshop", "name of a workshop")
    register.NOT_PERSONAL.setdefault("workshop.Part", "name of a spare part")
