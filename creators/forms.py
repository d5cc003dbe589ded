"""Forms of the creators app: the directory's filters and the staff import page."""

from django import forms
from django.conf import settings
from django.urls import reverse
from django_countries import countries

from . import selectors
from .models import Creator, Niche, Platform, Tier
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


class CreatorPickWidget(forms.MultiWidget):
    """A search box (name, e-mail or handle) with the chosen creator's id beside it; static/js/creator-pick.js
    turns the box into a list of suggestions. Without JavaScript the form finds the creator from the text."""

    template_name = "creators/widgets/creator_pick.html"

    def __init__(self, attrs=None) -> None:
        search = forms.TextInput(attrs={"autocomplete": "off", "placeholder": "Name, e-mail or @handle"})
        super().__init__([forms.HiddenInput(), search], attrs)

    def decompress(self, value):
        if not value:
            return [None, ""]
        creator = value if isinstance(value, Creator) else Creator.objects.filter(pk=value).first()
        return [creator.pk, creator.name] if creator else [None, ""]

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_1" if id_ else id_

    def value_from_datadict(self, data, files, name):
        if f"{name}_0" not in data and f"{name}_1" not in data and name in data:
            return [data.get(name), ""]  # a plain id, as links and scripts send it (?creator=5)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and super().value_omitted_from_data(data, files, name)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["lookup_url"] = reverse("creators:lookup")
        context["suggestions"] = getattr(self, "suggestions", [])
        return context


class CreatorPickField(forms.Field):
    """One active creator, chosen by id (the picker) or found from what was typed: one match is taken; several are
    offered as suggestions; none says so."""

    widget = CreatorPickWidget

    def __init__(self, *, queryset=None, **kwargs) -> None:
        self.queryset = queryset if queryset is not None else Creator.objects.filter(status=Creator.Status.ACTIVE)
        super().__init__(**kwargs)

    def clean(self, value):
        pk, text = (value or [None, ""]) if isinstance(value, list | tuple) else (value, "")
        text = (text or "").strip()
        creator = None
        if pk not in (None, ""):
            try:
                creator = self.queryset.filter(pk=int(pk)).first()
            except (TypeError, ValueError):
                creator = None
            if creator is not None:  # chosen in the list (the script clears the id when the text changes)
                return creator
        if not text:
            if self.required:
                raise forms.ValidationError("Type a creator's name, e-mail or @handle and choose them.")
            return None
        found = [c for c in selectors.creator_suggestions(text) if self.queryset.filter(pk=c.pk).exists()]
        if len(found) == 1:
            return found[0]
        self.widget.suggestions = [(c.pk, c.name, selectors.creator_summary(c)) for c in found]
        if not found:
            raise forms.ValidationError(
                f"No active creator matches “{text}”. Try part of the name, the e-mail or a handle."
            )
        raise forms.ValidationError(f"{len(found)} creators match “{text}”: choose one below.")
