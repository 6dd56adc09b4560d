"""Append-only tables: the database itself refuses UPDATE and DELETE of their rows.

Apps register a table in a migration with `AppendOnly(table)`, or `AppendOnly(table,
refuse=("DELETE",))` for tables whose rows may change but never disappear (loans). The triggers
exist on SQLite and PostgreSQL. `flush` (tests, `leerorkest flush`) lifts them for the length of
the flush only; see `leerorkest.db.sqlite3`.
"""

from django.db import migrations

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION leerorkest_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
"""

BOTH = ("UPDATE", "DELETE")


def create_sql(vendor: str, table: str, refuse: tuple[str, ...] = BOTH) -> list[str]:
    if vendor == "postgresql":
        return [
            PG_FUNCTION,
            f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";',
            f'CREATE TRIGGER "{table}_append_only" BEFORE {" OR ".join(refuse)} ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION leerorkest_refuse_change();",
        ]
    if vendor == "sqlite":
        return [
            f'CREATE TRIGGER IF NOT EXISTS "{table}_no_{op.lower()}" BEFORE {op} ON "{table}" '
            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}: {op} refused'); END;"
            for op in refuse
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


def drop_sql(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return [f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}";']
    if vendor == "sqlite":
        return [
            f'DROP TRIGGER IF EXISTS "{table}_no_update";',
            f'DROP TRIGGER IF EXISTS "{table}_no_delete";',
        ]
    raise NotImplementedError(f"append-only triggers are not written for {vendor}")


class AppendOnly(migrations.operations.base.Operation):
    """Migration operation: install the refusing triggers on one table (reversible)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, table: str, refuse: tuple[str, ...] = BOTH):
        self.table = table
        self.refuse = tuple(refuse)

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        for statement in create_sql(schema_editor.connection.vendor, self.table, self.refuse):
            schema_editor.execute(statement, params=None)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        for statement in drop_sql(schema_editor.connection.vendor, self.table):
            schema_editor.execute(statement, params=None)

    def describe(self):
        return f"Make {self.table} append-only ({', '.join(self.refuse)} refused)"

    def deconstruct(self):
        kwargs = {} if self.refuse == BOTH else {"refuse": self.refuse}
        return (self.__class__.__qualname__, [self.table], kwargs)
