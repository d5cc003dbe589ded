"""factory_boy factories for the test data."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from creators.models import Creator, FollowerSnapshot, Niche, Post, SocialAccount


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("password")


def staff_with(*codenames: str, **fields):
    """A staff user holding exactly the named permissions (codenames like ``add_creator``)."""
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True, **fields)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


class NicheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Niche

    name = factory.Sequence(lambda n: f"Niche {n}")
    slug = factory.Sequence(lambda n: f"niche-{n}")


class CreatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Creator

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"creator{n}@example.com")
    country = "US"


class SocialAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialAccount

    creator = factory.SubFactory(CreatorFactory)
    platform = "instagram"
    handle = factory.Sequence(lambda n: f"handle{n}")
    followers = 10_000


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post

    account = factory.SubFactory(SocialAccountFactory)
    posted_at = factory.LazyFunction(timezone.now)
    url = factory.Sequence(lambda n: f"https://example.com/p/{n}")
    likes = 0


class FollowerSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowerSnapshot

    account = factory.SubFactory(SocialAccountFactory)
    date = factory.LazyFunction(timezone.localdate)
    followers = 1000


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Brand"

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Membership"

    brand = factory.SubFactory(BrandFactory)
    user = factory.SubFactory(UserFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Campaign"

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    budget = 1000
    status = "active"


class CollaborationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Collaboration"

    campaign = factory.SubFactory(CampaignFactory)
    creator = factory.SubFactory(CreatorFactory)


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Deliverable"

    collaboration = factory.SubFactory(CollaborationFactory)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Partnership"

    brand = factory.SubFactory(BrandFactory)
    creator = factory.SubFactory(CreatorFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate())
    cadence = 2
    retainer_fee = 100


class RelationshipEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.RelationshipEntry"

    brand = factory.SubFactory(BrandFactory)
    creator = factory.SubFactory(CreatorFactory)
    date = factory.LazyFunction(lambda: timezone.localdate())
    summary = "Talked about the spring launch."


class ShortlistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.Shortlist"

    brand = factory.SubFactory(BrandFactory)
    name = factory.Sequence(lambda n: f"Shortlist {n}")


class ShortlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaigns.ShortlistEntry"

    shortlist = factory.SubFactory(ShortlistFactory)
    creator = factory.SubFactory(CreatorFactory)
