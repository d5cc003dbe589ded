"""``field__any_of=[…]``: membership in a list that is one parameter whatever its length: an array on PostgreSQL
(``field = ANY(%s)``), a JSON text on SQLite (``field IN (SELECT value FROM json_each(%s))``).

An ``__in`` of 50,000 ids is 50,000 placeholders for Django, the driver and the server to prepare and parse, in every
query that carries it, and more than some SQLite builds take at all (32,766). Elsewhere the lookup is Django's own
``__in``. Meant for numbers and text, which JSON carries as they are.
"""

import json

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


def one_parameter(values: list, vendor: str):
    """``values`` as the one parameter of ``membership``: the list itself (a PostgreSQL array), a JSON text on
    SQLite."""
    return json.dumps(values) if vendor == "sqlite" else values


def membership(lhs: str, rhs: str, vendor: str) -> str:
    """SQL for ``lhs`` being one of the values of the parameter ``rhs`` (from ``one_parameter``)."""
    if vendor == "postgresql":
        return f"{lhs} = ANY({rhs})"
    return f"{lhs} IN (SELECT value FROM json_each({rhs}))"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        values = [self.lhs.output_field.get_db_prep_value(v, connection, prepared=False) for v in value]
        return "%s", [one_parameter(values, connection.vendor)]

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return membership(lhs, rhs, connection.vendor), [*lhs_params, *rhs_params]

    as_sqlite = as_postgresql


def register() -> None:
    """Make ``any_of`` available on every field (foreign keys do not inherit the lookups of Field)."""
    for kind in (Field, ForeignObject):
        kind.register_lookup(AnyOf)
