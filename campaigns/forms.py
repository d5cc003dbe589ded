"""Forms of the brand workspace. Every choice of a brand object is limited to the user's brand."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.db.models import Q
from django.utils.html import format_html

from creators.forms import CreatorPickField
from creators.models import Creator, Niche, Post

from . import selectors
from .models import (
    Brand,
    Campaign,
    Collaboration,
    Deliverable,
    Membership,
    Partnership,
    RelationshipEntry,
    Shortlist,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = [
            "name",
            "status",
            "objective",
            "guidelines_fixed",
            "guidelines_creative",
            "start_date",
            "end_date",
            "budget",
            "currency",
            "usage_channels",
            "usage_months",
            "target_niches",
            "target_engagements",
            "target_reach",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "objective": forms.Textarea(attrs={"rows": 3}),
            "guidelines_fixed": forms.Textarea(attrs={"rows": 3}),
            "guidelines_creative": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_niches"].queryset = Niche.objects.order_by("name")
        self.fields["budget"].min_value = 0
        self.fields["budget"].widget.attrs["min"] = 0

    def clean_currency(self) -> str:
        currency = self.cleaned_data["currency"].upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Use a three-letter ISO 4217 code such as USD or EUR.")
        return currency

    def clean_budget(self):
        budget = self.cleaned_data["budget"]
        if budget is not None and budget < 0:
            raise forms.ValidationError("The budget cannot be negative.")
        return budget

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return data


class CollaborationForm(forms.ModelForm):
    class Meta:
        model = Collaboration
        fields = ["fee", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_fee(self):
        fee = self.cleaned_data["fee"]
        if fee is not None and fee < 0:
            raise forms.ValidationError("The fee cannot be negative.")
        return fee


class MoveForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices)


class BulkMoveForm(forms.Form):
    """The creators selected on a campaign's board and the stage to move them to."""

    collaboration = forms.ModelMultipleChoiceField(
        queryset=Collaboration.objects.none(),
        error_messages={
            "required": "Select one or more creators on the board first.",
            "invalid_choice": "Some of the selected creators are not on this campaign; nothing was moved.",
            "invalid_pk_value": "Some of the selected creators are not on this campaign; nothing was moved.",
        },
    )
    stage = forms.ChoiceField(choices=Stage.choices, error_messages={"required": "Choose the stage to move to."})

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collaboration"].queryset = campaign.collaborations.select_related("creator", "campaign")

    def problems(self) -> list[str]:
        return [str(message) for errors in self.errors.values() for message in errors]


class AddCreatorsForm(forms.Form):
    """Creator ids posted from the directory or a shortlist; every id must be an active creator."""

    creator = forms.ModelMultipleChoiceField(queryset=Creator.objects.filter(status=Creator.Status.ACTIVE))


class PostChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, post: Post) -> str:
        interactions = "likes hidden" if post.interactions is None else f"{post.interactions:,} interactions"
        account = post.account
        return f"{post.posted_at:%-d %b %Y} · {account.get_platform_display()} @{account.handle} · {interactions}"


class DeliverableForm(forms.ModelForm):
    """A deliverable, linked to one of the creator's own posts: chosen from their latest posts (which arrive with the
    daily sync of their accounts), or an older one by its URL."""

    LATEST_POSTS = 100

    post = PostChoiceField(
        queryset=Post.objects.none(),
        required=False,
        label="Published post",
        empty_label="— not published yet —",
        help_text="The creator's latest posts, newest first.",
    )
    post_url = forms.URLField(
        required=False,
        label="…or the URL of an older post",
        assume_scheme="https",
    )

    class Meta:
        model = Deliverable
        fields = ["kind", "due_date", "status", "notes"]
        widgets = {"due_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, collaboration: Collaboration, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.collaboration = collaboration
        own = Post.objects.filter(account__creator_id=collaboration.creator_id)
        latest = list(own.order_by("-posted_at", "-id").values_list("pk", flat=True)[: self.LATEST_POSTS])
        if self.instance.post_id:
            latest.append(self.instance.post_id)
            self.fields["post"].initial = self.instance.post_id
        self.fields["post"].queryset = (
            Post.objects.filter(pk__in=latest).select_related("account").order_by("-posted_at", "-id")
        )
        if not latest:
            self.fields["post"].help_text = (
                "No post of this creator is in Microreach yet: they arrive with the daily sync of the creator's "
                "accounts."
            )

    def clean_post_url(self) -> Post | None:
        url = self.cleaned_data["post_url"]
        if not url:
            return None
        post = Post.objects.filter(url=url, account__creator_id=self.collaboration.creator_id).first()
        if post is None:
            raise forms.ValidationError(
                "No post of this creator has this URL in Microreach yet: posts arrive with the daily sync of the "
                "creator's accounts. Check the URL, or choose the post from the list once it has arrived."
            )
        return post

    def chosen_post(self) -> Post | None:
        return self.cleaned_data.get("post_url") or self.cleaned_data.get("post")


class PartnershipForm(forms.ModelForm):
    creator = CreatorPickField(label="Creator")

    class Meta:
        model = Partnership
        fields = ["creator", "status", "start_date", "end_date", "renewal_date", "cadence", "retainer_fee", "notes"]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "renewal_date": DATE,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, brand=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if brand is not None and not self.instance.pk:
            self.instance.brand = brand
        creators = Creator.objects.filter(Q(status=Creator.Status.ACTIVE) | Q(pk=self.instance.creator_id or 0))
        self.fields["creator"].queryset = creators
        self.fields["creator"].help_text = "Type part of the name, the e-mail or an @handle, then choose."
        if self.instance.pk:
            self.fields["creator"].disabled = True

    def clean_retainer_fee(self):
        fee = self.cleaned_data["retainer_fee"]
        if fee is not None and fee < 0:
            raise forms.ValidationError("The retainer cannot be negative.")
        return fee

    def clean(self):
        data = super().clean()
        start, end, renewal = data.get("start_date"), data.get("end_date"), data.get("renewal_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        if start and renewal and renewal < start:
            self.add_error("renewal_date", "The renewal date is before the start date.")
        self._one_current(data)
        return data

    def _one_current(self, data: dict) -> None:
        """A brand has one current (active or paused) partnership with a creator: say which, and link to it."""
        creator, status = data.get("creator"), data.get("status")
        if not (self.instance.brand_id and creator) or status in (None, Partnership.Status.ENDED):
            return
        other = selectors.current_partnership(
            brand_id=self.instance.brand_id, creator=creator, exclude=self.instance.pk
        )
        if other is None:
            self.instance.duplicate_of = None  # the only current one now: under the database's rule again
        else:
            self.add_error(
                "status" if self.instance.pk else "creator",
                format_html(
                    '{} already has a current partnership with this brand: <a href="{}">open it</a>. End that one '
                    "first to start another.",
                    creator,
                    other.get_absolute_url(),
                ),
            )


class RelationshipEntryForm(forms.ModelForm):
    class Meta:
        model = RelationshipEntry
        fields = ["kind", "date", "summary"]
        widgets = {"date": DATE, "summary": forms.Textarea(attrs={"rows": 2})}


class ShortlistForm(forms.ModelForm):
    class Meta:
        model = Shortlist
        fields = ["name"]


class ListFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=100, label="Search")
    status = forms.ChoiceField(required=False, choices=[("", "Any status")])

    def __init__(self, *args, statuses, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "Any status"), *statuses]

    def values(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class DashboardFilterForm(forms.Form):
    niche = forms.ChoiceField(required=False, choices=())
    platform = forms.ChoiceField(required=False, choices=())
    country = forms.CharField(required=False, max_length=2)
    not_contacted = forms.BooleanField(required=False, label="Not yet contacted")

    def __init__(self, *args, **kwargs) -> None:
        from creators.models import Platform

        super().__init__(*args, **kwargs)
        self.fields["niche"].choices = [("", "Any niche"), *Niche.objects.values_list("slug", "name")]
        self.fields["platform"].choices = [("", "Any platform"), *Platform.choices]

    def values(self) -> dict:
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
        data = dict(self.cleaned_data)
        data["country"] = data.get("country", "").upper()
        return {k: v for k, v in data.items() if v}


# --- The brand and its team -----------------------------------------------------------------------------------------


class BrandTargetsForm(forms.ModelForm):
    class Meta:
        model = Brand
        fields = ["name", "currency", "target_niches", "target_countries"]
        help_texts = {
            "target_niches": "The niches the dashboard's candidates and the fit score look for.",
            "target_countries": "Leave empty for anywhere.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_niches"].queryset = Niche.objects.order_by("name")

    clean_currency = CampaignForm.clean_currency


class InvitationForm(forms.Form):
    email = forms.EmailField(label="E-mail address", max_length=254)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial=Membership.Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class JoinForm(UserCreationForm):
    """A new account for an invited colleague; the address is the invitation's."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ["username", "first_name", "last_name"]
