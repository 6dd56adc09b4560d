"""The donations' entries in the processing register (leerorkest.privacy.register), added from
DonationsConfig.ready so the register stays complete without the privacy app knowing us."""

from django.utils.translation import gettext_lazy as _


def declare() -> None:
    from leerorkest.privacy import register

    declarations = [
        register.Declaration(
            "donations.Donor",
            _(
                "Registering who gave instruments, thanking them (only with their consent) and "
                "naming them (only with their consent)."
            ),
            register.LEGITIMATE_INTEREST,
            _(
                "As long as the depot keeps the instruments they gave; a donor can ask to be "
                "erased at any time: the name becomes a number and the contact details are "
                "removed, the donations are kept."
            ),
            _("The depot's staff and workshop leads."),
        ),
    ]
    known = register.declared_models()
    register.DECLARATIONS.extend(d for d in declarations if d.model not in known)
    register.NOT_PERSONAL.setdefault(
        "donations.DonationItem", "make and model name of a donated instrument"
    )
