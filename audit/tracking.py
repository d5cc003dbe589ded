"""Recording changes: ``track(Model, …)`` records every save and delete of a model's objects with the fields that
changed; ``record_import`` records a whole file as one event. Apps register their models (creators and campaigns in
their ``ready()``); this app imports neither."""

from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .context import current
from .models import AuditEvent

BrandOf = Callable[[Model], int | None]
_tracked: dict[type[Model], tuple[tuple[str, ...], BrandOf | None]] = {}
SKIPPED_FIELDS = {"created_at", "updated_at", "last_login", "password"}


def track(
    model: type[Model], *, fields: Iterable[str] | None = None, brand: BrandOf | None = None, deletes: bool = True
) -> None:
    """Record creations, changes (of ``fields``, default: every concrete editable field) and, with ``deletes``,
    deletions. A model with millions of rows that cascades from others (posts) is tracked without ``deletes``:
    a delete signal would make Django load every cascaded row instead of deleting them in one statement."""
    names = tuple(
        fields
        if fields is not None
        else (f.attname for f in model._meta.concrete_fields if f.editable and not f.primary_key)
    )
    _tracked[model] = (tuple(n for n in names if n not in SKIPPED_FIELDS), brand)
    uid = f"audit-{model._meta.label}"
    pre_save.connect(_before, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_after, sender=model, dispatch_uid=f"{uid}-post")
    if deletes:
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}-delete")


def _plain(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _before(sender, instance, raw=False, **kwargs) -> None:
    if raw or current().bulk or instance.pk is None:
        return
    names, _ = _tracked[sender]
    old = sender._default_manager.filter(pk=instance.pk).values(*names).first()
    instance._audit_before = old


def _after(sender, instance, created, raw=False, **kwargs) -> None:
    if raw or current().bulk:
        return
    names, _ = _tracked[sender]
    before = getattr(instance, "_audit_before", None) or {}
    if created:
        changes = {n: [None, _plain(getattr(instance, n))] for n in names if getattr(instance, n) not in (None, "")}
    else:
        changes = {
            n: [_plain(before.get(n)), _plain(getattr(instance, n))]
            for n in names
            if n in before and _plain(before[n]) != _plain(getattr(instance, n))
        }
        if not changes:
            return
    _write(sender, instance, AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED, changes)


def _deleted(sender, instance, **kwargs) -> None:
    if not current().bulk:
        _write(sender, instance, AuditEvent.Action.DELETED, {})


def _write(model, instance, action: str, changes: dict, summary: str = "") -> None:
    actor = current()
    _, brand = _tracked.get(model, ((), None))
    AuditEvent.objects.create(
        actor=actor.user,
        actor_name=getattr(actor.user, "username", "") if actor.user else "",
        source=actor.source,
        action=action,
        content_type=ContentType.objects.get_for_model(model),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        brand_id=brand(instance) if brand else None,
        changes=changes,
        summary=summary[:500],
    )


def record_import(*, kind: str, name: str, summary: str, model: type[Model]) -> AuditEvent:
    """One event for a whole imported file (its rows are written in bulk, not one by one)."""
    actor = current()
    return AuditEvent.objects.create(
        actor=actor.user,
        actor_name=getattr(actor.user, "username", "") if actor.user else "",
        source=actor.source,
        action=AuditEvent.Action.IMPORTED,
        content_type=ContentType.objects.get_for_model(model),
        object_repr=f"{kind} file {name}"[:200],
        summary=summary[:500],
    )


def track_users() -> None:
    """A user's staff and superuser flags, groups and permissions: who gave whom which rights."""
    user_model = get_user_model()
    track(user_model, fields=("username", "is_active", "is_staff", "is_superuser"))
    m2m_changed.connect(_rights_changed, sender=user_model.groups.through, dispatch_uid="audit-user-groups")
    m2m_changed.connect(
        _rights_changed, sender=user_model.user_permissions.through, dispatch_uid="audit-user-permissions"
    )


def _rights_changed(sender, instance, action, pk_set, model, reverse=False, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    what = "groups" if model._meta.model_name == "group" else "permissions"
    names = sorted(str(obj) for obj in model._default_manager.filter(pk__in=pk_set or ())) or ["all"]
    verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    _write(type(instance), instance, AuditEvent.Action.PERMISSIONS, {what: {verb: names}})


def record_many(model: type[Model], objects: Iterable[Model], action: str, changes: Callable[[Model], dict]) -> int:
    """Events for objects written in bulk by a user's one action (a bulk add, an archive of a selection)."""
    actor = current()
    _, brand = _tracked.get(model, ((), None))
    content_type = ContentType.objects.get_for_model(model)
    events = [
        AuditEvent(
            actor=actor.user,
            actor_name=getattr(actor.user, "username", "") if actor.user else "",
            source=actor.source,
            action=action,
            content_type=content_type,
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            brand_id=brand(obj) if brand else None,
            changes=changes(obj),
        )
        for obj in objects
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)
