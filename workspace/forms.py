from django import forms

from .models import NotificationSettings


class SaveSearchForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name this search")
    query = forms.CharField(max_length=1000, required=False, widget=forms.HiddenInput)


class NotificationSettingsForm(forms.ModelForm):
    class Meta:
        model = NotificationSettings
        fields = ["email_digest"]
