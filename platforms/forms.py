from django import forms


class AddProfilesForm(forms.Form):
    profiles = forms.CharField(
        label="Profile URLs or handles",
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "placeholder": "https://www.youtube.com/@handle\nhttps://www.instagram.com/handle/\n@handle",
            }
        ),
        help_text="One per line: a YouTube channel URL (youtube.com/@handle), an Instagram profile URL "
        "(instagram.com/handle), or @handle with the platform below.",
        max_length=100_000,
    )
    platform = forms.ChoiceField(
        label="Platform of bare @handles",
        choices=[("", "— (only URLs)"), ("youtube", "YouTube"), ("instagram", "Instagram")],
        required=False,
    )
