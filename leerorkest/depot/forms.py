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


class ScanReturnForm(forms.Form):
    """The return desk: a one-line scan field (the scanner's Enter adds the tag to the list)
    and the list of tags scanned so far, which can also be pasted."""

    prefix = "return"

    scan = forms.CharField(
        label=_("Scan"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The scanner types the tag and Enter; each scan is added to the list."),
    )
    tags = forms.CharField(
        label=_("Scanned so far"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("One asset tag per line; you may paste a list."),
    )

    def clean(self):
        data = super().clean()
        tags = parse_tags(data.get("tags", "") + "\n" + data.get("scan", ""))
        if len(tags) > MAX_TAGS:
            raise forms.ValidationError(
                _("Scan at most %(count)s tags at once.") % {"count": MAX_TAGS}
            )
        data["all_tags"] = tags
        return data


class SwapForm(forms.Form):
    prefix = "swap"

    old = forms.CharField(label=_("Instrument coming back"), max_length=40)
    new = forms.CharField(label=_("Instrument going out (other size)"), max_length=40)
    condition = forms.ChoiceField(
        label=_("Condition of the one coming back"),
        required=False,
        choices=[("", _("As it was"))],
    )
    outcome = forms.ChoiceField(label=_("It goes to"), choices=())

    def __init__(self, *args, **kwargs):
        from leerorkest.depot.models import Condition, Outcome

        super().__init__(*args, **kwargs)
        self.fields["condition"].choices = [("", _("As it was")), *Condition.choices]
        self.fields["outcome"].choices = Outcome.choices

    def clean_old(self):
        return self.cleaned_data["old"].strip().upper()

    def clean_new(self):
        return self.cleaned_data["new"].strip().upper()


class AgreementVersionForm(forms.Form):
    version = forms.CharField(
        label=_("Version"), max_length=20, help_text=_("A short name, e.g. 2026-1.")
    )
    text = forms.CharField(
        label=_("Text of the agreement"), widget=forms.Textarea(attrs={"rows": 18})
    )


class AcceptForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your full name"),
        max_length=150,
        help_text=_("Typing your name counts as your signature for the programme."),
    )
    agree = forms.BooleanField(
        label=_("I have read the agreement and accept it for our programme"), required=True
    )


class DamageForm(forms.Form):
    description = forms.CharField(
        label=_("What is damaged?"),
        max_length=240,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PupilLoanForm(forms.Form):
    pupil = forms.ModelChoiceField(label=_("Pupil"), queryset=None, empty_label=_("Choose a pupil"))
    signed_how = forms.ChoiceField(label=_("The parent signs"), widget=forms.RadioSelect)
    signed_by = forms.CharField(label=_("Name of the parent or carer who signs"), max_length=150)
    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature-input": ""})
    )
    paper_signed = forms.BooleanField(
        label=_("The printed form has been signed by this parent or carer"), required=False
    )

    def __init__(self, *args, pupils, **kwargs):
        from leerorkest.depot.models import SignedHow

        super().__init__(*args, **kwargs)
        self.fields["pupil"].queryset = pupils
        self.fields["signed_how"].choices = SignedHow.choices
        self.fields["pupil"].label_from_instance = lambda p: p.sort_name
        if not self.is_bound:
            self.initial.setdefault("signed_how", SignedHow.TABLET)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("A JPEG, PNG or WebP photo of at most 10 MB; on a phone, the camera opens."),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)
