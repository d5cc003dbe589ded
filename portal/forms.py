from django import forms


class SignInForm(forms.Form):
    email = forms.EmailField(label="Your e-mail address", max_length=254)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline"), ("counter", "Propose another fee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose accept, decline or a counter-offer."},
    )
    fee = forms.DecimalField(label="The fee you propose", required=False, min_value=0, max_digits=12, decimal_places=2)
    rights = forms.BooleanField(required=False, label="I accept the usage rights above")
    message = forms.CharField(
        label="A word to the brand (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DraftForm(forms.Form):
    caption = forms.CharField(
        label="Caption", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(
        label="Image, video or PDF", required=False, help_text="JPEG, PNG, GIF, WebP, MP4/MOV or PDF."
    )
    link = forms.URLField(label="…or a link to the draft", required=False, assume_scheme="https", max_length=500)

    def clean_file(self):
        from django.conf import settings

        from campaigns.drafts import sniff

        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > settings.DRAFT_MAX_BYTES:
            raise forms.ValidationError(f"The file is larger than {settings.DRAFT_MAX_BYTES // (1024 * 1024)} MB.")
        head = upload.read(16)
        upload.seek(0)
        if sniff(head) is None:
            raise forms.ValidationError("This file is not an image, a video or a PDF (its content was checked).")
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("caption", "").strip() or data.get("file") or data.get("link")):
            raise forms.ValidationError("Give a caption and a file, or a link to the draft.")
        return data


class LiveForm(forms.Form):
    url = forms.URLField(label="The live post's URL", assume_scheme="https", max_length=500)


class ProfileForm(forms.Form):
    """What a creator keeps up to date themselves (the rest comes from their accounts' sync)."""

    rate = forms.DecimalField(
        label="Your usual fee for one post", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    city = forms.CharField(label="City", required=False, max_length=100)


class AccountForm(forms.Form):
    url = forms.CharField(label="Add an account: its profile URL or @handle", max_length=300)
    platform = forms.ChoiceField(
        required=False,
        choices=[("", "— from the URL —"), ("youtube", "YouTube"), ("instagram", "Instagram")],
        help_text="Needed for a bare @handle.",
    )
