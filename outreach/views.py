"""Outreach pages: templates and sequences (the brand's), sending from a campaign with a preview; the inbound reply
endpoint (a shared secret, no login) and the unsubscribe link (no login)."""

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns import access
from campaigns import services as campaign_services
from campaigns.forms import AddCreatorsForm
from campaigns.models import Campaign
from campaigns.views import brand_required
from config.redirects import redirect_next
from config.words import counted, listed

from . import services
from .forms import SendForm, SequenceForm, TemplateForm
from .models import Enrollment

log = logging.getLogger(__name__)


@brand_required
def home(request: HttpRequest, brand) -> HttpResponse:
    kind = request.POST.get("kind")
    template_form = TemplateForm(request.POST if kind == "template" else None, prefix="t")
    sequence_form = SequenceForm(request.POST if kind == "sequence" else None, prefix="s", brand=brand)
    form = {"template": template_form, "sequence": sequence_form}.get(kind)
    if form is not None and form.is_valid():
        form.instance.brand = brand
        try:
            with transaction.atomic():
                saved = form.save()
        except IntegrityError:
            form.add_error("name", "Your brand has one of this name already; choose another.")
        else:
            messages.success(request, f"Saved “{saved.name}”.")
            return redirect("outreach:home")
    context = {
        "templates": brand.outreach_templates.all(),
        "sequences": brand.outreach_sequences.select_related("first", "follow_up_1", "follow_up_2", "follow_up_3"),
        "template_form": template_form,
        "sequence_form": sequence_form,
        "recent": Enrollment.objects.filter(collaboration__campaign__brand=brand)
        .select_related("collaboration__creator", "collaboration__campaign", "sequence")
        .order_by("-started_at")[:20],
    }
    return render(request, "outreach/home.html", context, status=400 if form is not None else 200)


def campaign_send(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_for_user(Campaign, request.user, pk, queryset=Campaign.objects.select_related("brand"))
    data = request.POST if request.method == "POST" else (request.GET if "sequence" in request.GET else None)
    form = SendForm(data, campaign=campaign, initial={"collaboration": request.GET.getlist("collaboration")})
    preview = None
    if data is not None and form.is_valid():
        sequence, chosen = form.cleaned_data["sequence"], list(form.cleaned_data["collaboration"])
        if request.method == "POST":
            done = services.enroll(collaborations=chosen, sequence=sequence, user=request.user)
            if done.started:
                messages.success(request, f"“{sequence.name}” started for {counted(len(done.started), 'creator')}.")
            for reason, names in done.skipped.items():
                messages.warning(request, f"Not sent to {listed(names)}: {reason}.")
            return redirect(campaign)
        preview = [(c.creator, *services.render(sequence.first, c, services.preview_link(c))) for c in chosen[:3]]
    return render(
        request,
        "outreach/send.html",
        {"campaign": campaign, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """From the directory, a creator's page or a shortlist: put the checked creators on the chosen campaign (as the
    plain "Add" does) and open that campaign's invitation page with them selected, to pick a sequence and preview."""
    back = redirect_next(request, "creators:directory")
    kind, _, campaign_id = str(request.POST.get("target", "")).partition(":")
    if kind != "campaign":
        messages.error(request, "Invitations go out from a campaign: choose one of your campaigns.")
        return back
    campaign = access.get_for_user(Campaign, request.user, campaign_id)
    form = AddCreatorsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Check one or more active creators first.")
        return back
    creators = form.cleaned_data["creator"]
    try:
        campaign_services.collaborations_add(campaign=campaign, creators=creators, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    chosen = campaign.collaborations.filter(creator__in=creators).values_list("pk", flat=True)
    query = urlencode({"collaboration": list(chosen)}, doseq=True)
    return redirect(f"{reverse('outreach:campaign_send', args=[campaign.pk])}?{query}")


@login_not_required
@csrf_exempt
@require_POST
def inbound(request: HttpRequest) -> HttpResponse:
    """A reply forwarded by the mail provider's inbound route: the raw message as the body."""
    given = request.headers.get("X-Inbound-Secret", "")
    if not settings.INBOUND_SECRET or not hmac.compare_digest(given.encode(), settings.INBOUND_SECRET.encode()):
        log.warning("inbound mail refused: wrong or missing secret")
        return JsonResponse({"error": "wrong secret"}, status=403)
    try:
        enrollment = services.inbound(request.body)
    except services.UnknownReply as unknown:
        log.warning("inbound mail refused: %s", unknown)
        return JsonResponse({"error": str(unknown)}, status=404)
    return JsonResponse({"stopped": enrollment.pk}, status=202)


@login_not_required
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email = signing.loads(token, salt=services.UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return render(request, "outreach/unsubscribe.html", {"problem": True}, status=410)
    if request.method == "POST":
        services.unsubscribe(token=token)
        return render(request, "outreach/unsubscribe.html", {"email": email, "done": True})
    return render(request, "outreach/unsubscribe.html", {"email": email})
