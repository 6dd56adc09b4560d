from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from leerorkest.accounts.models import User
from leerorkest.knowledge.models import (
    YEAR_GROUPS,
    Country,
    Licence,
    MaterialKind,
    Theme,
    public_goal_filter,
)
from leerorkest.programme.models import InstrumentType


def public_goals():
    """Learning goals of the shared, published learning lines: the ones the public can read."""
    from leerorkest.curriculum.models import LearningGoal

    return LearningGoal.objects.filter(**public_goal_filter()).select_related("line")


class ContributorFields(forms.Form):
    organisation_name = forms.CharField(
        label=_("Programme or organisation"),
        max_length=150,
        help_text=_("For example Leerorkest Drechtsteden."),
    )
    city = forms.CharField(label=_("City"), max_length=80)
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)


class RegisterForm(ContributorFields):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters; not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "organisation_name",
        "city",
        "country",
    ]

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            probe = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class HttpUrlField(forms.URLField):
    default_validators = []

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        from django.core.validators import URLValidator

        self.validators.append(URLValidator(schemes=["http", "https"]))


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what it is and for whom."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_(
            "You may use simple HTML: paragraphs, headings (h2, h3), bold, italic, lists, "
            "quotes and links. Anything else is removed."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    link = HttpUrlField(
        label=_("Link"),
        required=False,
        assume_scheme="https",
        help_text=_("For example a film on a video site."),
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    instruments = forms.ModelMultipleChoiceField(
        label=_("Instruments"),
        queryset=InstrumentType.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )
    year_groups = forms.TypedMultipleChoiceField(
        label=_("Groepen"),
        choices=YEAR_GROUPS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-columns"}),
    )
    goals = forms.ModelMultipleChoiceField(
        label=_("Learning goals"),
        queryset=None,
        required=False,
        help_text=_("Goals of the shared learning lines this material works on."),
    )
    files = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_(
            "PDF, MusicXML, audio, MP4 video or images, at most 25 MB each, depending on the kind."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = public_goals()
        self.fields["goals"].label_from_instance = lambda g: f"{g.code} {g.text}"[:120]

    @classmethod
    def initial_for(cls, material) -> dict:
        return {
            "title": material.title,
            "summary": material.summary,
            "body": material.body,
            "kind": material.kind,
            "link": material.link,
            "licence": material.licence,
            "instruments": list(material.instruments.all()),
            "year_groups": material.year_groups,
            "themes": list(material.themes.all()),
            "goals": list(material.goals.all()),
        }


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the contributor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What should change before the material can be published?"),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the contributor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why is the material taken off the site (a licence problem, an error)? "
            "The contributor sees this note and can change the material and submit it again."
        ),
    )
