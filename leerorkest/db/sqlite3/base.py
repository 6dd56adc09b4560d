"""SQLite backend that can flush append-only tables.

Django's flush empties tables with DELETE, which the append-only triggers refuse. A flush is an
explicit wipe of the whole database (test teardown, `leerorkest flush`), so the triggers are
dropped for its length and created again after it. PostgreSQL flushes with TRUNCATE, which the
row triggers there do not see, so it needs no such backend.
"""

from django.db.backends.sqlite3 import base, operations

from leerorkest.db import append_only


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        guarded = [t for t in tables if t in self._append_only_tables()]
        if not guarded:
            return statements
        before = [s for t in guarded for s in append_only.drop_sql("sqlite", t)]
        after = [s for t in guarded for s in append_only.create_sql("sqlite", t)]
        return before + statements + after

    def _append_only_tables(self) -> set[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE '%_no_delete'"
            )
            return {row[0] for row in cursor.fetchall()}


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
