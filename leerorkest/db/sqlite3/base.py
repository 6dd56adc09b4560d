"""SQLite backend that can flush append-only tables.

Django's flush empties tables with DELETE, which the append-only triggers refuse. A flush is an
explicit wipe of the whole database (test teardown, `leerorkest flush`), so the triggers of the
flushed tables are dropped for its length and created again, exactly as they were, after it.
PostgreSQL flushes with TRUNCATE, which the row triggers there do not see, so it needs no such
backend.
"""

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        triggers = [
            (name, sql) for name, table, sql in self._refusing_triggers() if table in tables
        ]
        if not triggers:
            return statements
        before = [f'DROP TRIGGER IF EXISTS "{name}";' for name, _sql in triggers]
        after = [sql + ";" for _name, sql in triggers]
        return before + statements + after

    def _refusing_triggers(self) -> list[tuple[str, str, str]]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND (name LIKE '%_no_delete' OR name LIKE '%_no_update')"
            )
            return list(cursor.fetchall())


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
