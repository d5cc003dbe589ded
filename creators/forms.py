"""Forms of the creators app: the directory's filters and the staff import page."""

from django import forms
from django.conf import settings
from django_countries import countries

from .models import Niche, Platform, Tier
from .selectors import SORTS

BOOL_CHOICES = [("", "Any"), ("true", "Yes"), ("false", "No")]


class FixedChoiceField(forms.ChoiceField):
    """A choice field whose choices never change per form: each form shares them instead of deep-copying
    them (Django copies every field for every form; for the ~250 countries that cost a millisecond a page)."""

    def __deepcopy__(self, memo):
        # Choices are normalized once, here; copying through the setters would normalize them again per form.
        choices, widget_choices = self._choices, self.widget._choices
        self._choices = self.widget._choices = []
        try:
            result = super().__deepcopy__(memo)
        finally:
            self._choices, self.widget._choices = choices, widget_choices
        result._choices, result.widget._choices = choices, widget_choices
        return result


def niche_choices() -> list[tuple[str, str]]:
    """Read when a niche is filtered on or the form is drawn: an unfiltered, cached page queries no niches."""
    return list(Niche.objects.values_list("slug", "name"))


class DirectoryFilterForm(forms.Form):
    """The directory's query parameters (CONTRACT section 6); invalid values are dropped, with a message."""

    q = forms.CharField(required=False, max_length=100, label="Search")
    niche = forms.MultipleChoiceField(required=False, choices=niche_choices)
    tier = FixedChoiceField(required=False, choices=[("", "Any tier"), *Tier.choices])
    platform = FixedChoiceField(required=False, choices=[("", "Any platform"), *Platform.choices])
    country = FixedChoiceField(required=False, choices=[("", "Any country"), *countries])
    city = forms.CharField(required=False, max_length=100)
    flagged = FixedChoiceField(required=False, choices=BOOL_CHOICES, label="Flagged")
    min_followers = forms.IntegerField(required=False, min_value=0, label="Followers from")
    max_followers = forms.IntegerField(required=False, min_value=0, label="Followers to")
    suspicious = FixedChoiceField(required=False, choices=BOOL_CHOICES, label="Suspicious")
    has_partnership = FixedChoiceField(required=False, choices=BOOL_CHOICES, label="Partner of my brand")
    min_rate = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2, label="Rate from")
    max_rate = forms.DecimalField(required=False, min_value=0, max_digits=12, decimal_places=2, label="Rate to")
    min_er = forms.FloatField(required=False, min_value=0, max_value=10_000, label="ER % from")
    max_er = forms.FloatField(required=False, min_value=0, max_value=10_000, label="ER % to")
    sort = FixedChoiceField(
        required=False,
        choices=[("", "Default (followers, most first)")] + [(key, label) for key, (label, *_) in SORTS.items()],
    )

    def cleaned_filters(self) -> tuple[dict, list[str]]:
        """The valid filters, and a message for each value that was ignored."""
        self.is_valid()
        ignored = [f"Ignored {name}: {' '.join(errors)}" for name, errors in self.errors.items()]
        filters = {k: v for k, v in self.cleaned_data.items() if v not in ("", None, [])}
        return filters, ignored


class ImportForm(forms.Form):
    KINDS = [("creators", "Creators and accounts"), ("posts", "Posts")]

    MAX_BYTES = settings.IMPORT_MAX_BYTES
    TOO_LARGE = f"is larger than {MAX_BYTES // (1024 * 1024)} MB; import it with the management command."

    kind = forms.ChoiceField(choices=KINDS, label="What the file holds")
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma-separated, header on the first line.")

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:  # only what the user's permissions allow
            self.fields["kind"].choices = [(k, label) for k, label in self.KINDS if k in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(f"The file {self.TOO_LARGE}")
        return upload
