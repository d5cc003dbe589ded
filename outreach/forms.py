from django import forms
from django.db.models.functions import Lower
from django.template import TemplateSyntaxError

from . import services
from .models import OptOut, Sequence, Template


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["name", "subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        data = super().clean()
        for name in ("subject", "body"):
            try:
                services.template_check(data.get(name, ""))
            except TemplateSyntaxError as error:
                self.add_error(name, f"Check the {{{{ … }}}} variables: {error}")
        return data


class SequenceForm(forms.ModelForm):
    class Meta:
        model = Sequence
        fields = ["name", "first", "follow_up_1", "days_1", "follow_up_2", "days_2", "follow_up_3", "days_3"]

    def __init__(self, *args, brand, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        templates = Template.objects.filter(brand=brand)
        for name in ("first", "follow_up_1", "follow_up_2", "follow_up_3"):
            self.fields[name].queryset = templates
            self.fields[name].empty_label = "— none —" if name != "first" else "— choose —"
        for name in ("days_1", "days_2", "days_3"):
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        if data.get("follow_up_2") and not data.get("follow_up_1"):
            self.add_error("follow_up_2", "Choose follow-up 1 first.")
        if data.get("follow_up_3") and not data.get("follow_up_2"):
            self.add_error("follow_up_3", "Choose follow-up 2 first.")
        return data


class SendForm(forms.Form):
    sequence = forms.ModelChoiceField(queryset=Sequence.objects.none(), empty_label="— choose a sequence —")
    collaboration = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select one or more creators.",
            "invalid_choice": "Some of the selected creators are not on this campaign; nothing was sent.",
            "invalid_pk_value": "Some of the selected creators are not on this campaign; nothing was sent.",
        },
    )

    def __init__(self, *args, campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sequence"].queryset = Sequence.objects.filter(brand_id=campaign.brand_id)
        self.fields["collaboration"].queryset = campaign.collaborations.select_related("creator").order_by(
            "creator__name", "id"
        )
        self.fields["collaboration"].label_from_instance = self._label
        self._opted_out: set[str] | None = None

    def _label(self, collaboration) -> str:
        """The creator and stage, and what will keep them from getting the message (said before sending)."""
        if self._opted_out is None:  # one query for the whole list
            emails = self.fields["collaboration"].queryset.annotate(e=Lower("creator__email")).values("e")
            self._opted_out = set(OptOut.objects.filter(email__in=emails).values_list("email", flat=True))
        email = collaboration.creator.email.lower()
        why = (
            " — no e-mail address" if not email else " — opted out of all outreach" if email in self._opted_out else ""
        )
        return f"{collaboration.creator.name} ({collaboration.get_stage_display()}){why}"
