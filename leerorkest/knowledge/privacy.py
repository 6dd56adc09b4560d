"""The knowledge site's entries in the processing register (leerorkest.privacy.register), added
from KnowledgeConfig.ready so the register stays complete without the privacy app knowing us."""

from django.utils.translation import gettext_lazy as _


def declare() -> None:
    from leerorkest.privacy import register

    declarations = [
        register.Declaration(
            "knowledge.Contributor",
            _(
                "Who shares material on the knowledge site: their programme, city and country, "
                "and when they confirmed their e-mail address (the name and address are in the "
                "account)."
            ),
            register.CONTRACT,
            _("As long as the person shares material; their published material stays."),
            _("The person; the knowledge editors; platform administrators."),
        ),
        register.Declaration(
            "knowledge.Material",
            _(
                "Who shared a material, from which programme, and which editor reviewed it; "
                "the programme's name is shown with the published material."
            ),
            register.CONTRACT,
            _(
                "As long as the material is on the site; when the account goes, the material "
                "keeps only the programme's name."
            ),
            _(
                "Everyone sees the programme's name of a published material; the contributor "
                "and the knowledge editors see the rest."
            ),
        ),
    ]
    known = register.declared_models()
    register.DECLARATIONS.extend(d for d in declarations if d.model not in known)
    register.NOT_PERSONAL.setdefault("knowledge.Theme", "name of a theme of materials")
    register.NOT_PERSONAL.setdefault(
        "knowledge.MaterialFile", "file name of a lesson material, not of a person"
    )
