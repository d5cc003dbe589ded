"""``field__any_of=[…]``: membership in a list that is one array parameter on PostgreSQL (``field = ANY(%s)``).

An ``__in`` of 50,000 ids is 50,000 placeholders for Django, psycopg and the server to prepare and parse, in every
query that carries it. Elsewhere (SQLite) the lookup is Django's own ``__in``.
"""

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[self.lhs.output_field.get_db_prep_value(v, connection, prepared=False) for v in value]]

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


def register() -> None:
    """Make ``any_of`` available on every field (foreign keys do not inherit the lookups of Field)."""
    for kind in (Field, ForeignObject):
        kind.register_lookup(AnyOf)
