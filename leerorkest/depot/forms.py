"""Forms of the depot pages: the desk's lending and return forms."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import Organisation
from leerorkest.accounts.roles import OrgKind

MAX_TAGS = 200


def parse_tags(raw: str) -> list[str]:
    """One tag per line (a scanner types the tag and Enter); blanks and repeats dropped,
    order kept."""
    seen: dict[str, None] = {}
    for line in raw.replace(",", "\n").splitlines():
        tag = line.strip().upper()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


class TagsField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 10, "autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        tags = parse_tags(super().clean(value) or "")
        if not tags:
            raise forms.ValidationError(_("Scan at least one asset tag."))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Scan at most %(count)s tags at once.") % {"count": MAX_TAGS}
            )
        return tags


class LendForm(forms.Form):
    prefix = "lend"

    borrower = forms.ModelChoiceField(
        label=_("Borrowing programme"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose a programme"),
    )
    tags = TagsField(
        label=_("Asset tags"),
        help_text=_("Scan the instruments: one asset tag per line."),
    )
    due_on = forms.DateField(
        label=_("Due back"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the end of the school year."),
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = Organisation.objects.filter(
            is_active=True, kind__in=[OrgKind.PROGRAMME, OrgKind.PARTNER]
        ).order_by("name")
        if not self.is_bound:
            self.initial.setdefault("key", uuid.uuid4().hex)

    def clean_key(self):
        raw = self.cleaned_data["key"]
        try:
            return uuid.UUID(raw).hex
        except ValueError:
            raise forms.ValidationError(_("Reload the page and scan again.")) from None


class ReturnForm(forms.Form):
    prefix = "return"

    tags = TagsField(
        label=_("Asset tags"),
        help_text=_("Scan the instruments that came back: one asset tag per line."),
    )
    needs_cleaning = forms.BooleanField(
        label=_("Wind instruments need cleaning"),
        required=False,
        initial=True,
        help_text=_("Woodwind and brass go to cleaning before the next child plays them."),
    )
