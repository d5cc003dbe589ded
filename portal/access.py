"""The one access rule of the portal: a signed-in creator reaches only their own collaborations (with every brand)
and what hangs from them; anything else is indistinguishable from what does not exist (404)."""

from functools import wraps

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import redirect

from campaigns.models import Collaboration, Deliverable, Draft, Stage
from config.objects import one_of
from creators.models import Creator

SESSION_KEY = "portal_creator_id"
# The path from each object kind to its collaboration ("" for the collaboration itself). A collaboration the brand
# only shortlisted is the brand's own business: the creator sees it once contacted.
COLLABORATION_PATH: dict[type[Model], str] = {
    Collaboration: "",
    Deliverable: "collaboration__",
    Draft: "deliverable__collaboration__",
}


def signed_in_creator(request: HttpRequest) -> Creator | None:
    pk = request.session.get(SESSION_KEY)
    if not pk:
        return None
    return Creator.objects.filter(pk=pk, status=Creator.Status.ACTIVE).first()


def creator_required(view):
    """Give the view the signed-in creator; anyone else goes to the portal's sign-in page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        creator = signed_in_creator(request)
        if creator is None:
            return redirect("portal:sign_in")
        return view(request, creator, *args, **kwargs)

    return wrapper


def for_creator(model: type[Model], creator: Creator) -> QuerySet:
    path = COLLABORATION_PATH[model]
    return model.objects.filter(**{f"{path}creator_id": creator.pk}).exclude(**{f"{path}stage": Stage.SHORTLISTED})


def get_for_creator(model: type[Model], creator: Creator, pk, *, queryset: QuerySet | None = None):
    return one_of(model, for_creator(model, creator), pk, queryset=queryset)
