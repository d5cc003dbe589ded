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
