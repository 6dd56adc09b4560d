"""The Academie's entries in the processing register (leerorkest.privacy.register), added from
AcademieConfig.ready so the register stays complete without the privacy app knowing us."""

from django.utils.translation import gettext_lazy as _


def declare() -> None:
    from leerorkest.privacy import register

    declarations = [
        register.Declaration(
            "academie.Registration",
            _(
                "Who registered for which Academie workshop, the waiting list, and who attended "
                "(for the training record and the certificate)."
            ),
            register.CONTRACT,
            _(
                "Kept with the workshop: attendance is proof of training; the training record "
                "keeps its own copy."
            ),
            _(
                "The person; the coordinators of the organising programme (participants and "
                "waiting list). Other participants see only counts."
            ),
        ),
    ]
    known = register.declared_models()
    register.DECLARATIONS.extend(d for d in declarations if d.model not in known)
    register.NOT_PERSONAL.setdefault(
        "academie.AcademieWorkshop", "a workshop's title, place, times and places"
    )
