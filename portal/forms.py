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
    message = forms.CharField(
        label="A word to the brand (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
