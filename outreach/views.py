"""Outreach pages: templates and sequences (the brand's), sending from a campaign with a preview; the inbound reply
endpoint (a shared secret, no login) and the unsubscribe link (no login)."""

import hmac
import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from campaigns import access
from campaigns.models import Campaign
from campaigns.views import brand_required
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
        preview = [(c.creator, *services.render(sequence.first, c)) for c in chosen[:3]]
    return render(
        request,
        "outreach/send.html",
        {"campaign": campaign, "form": form, "preview": preview},
        status=400 if form.errors else 200,
    )


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
