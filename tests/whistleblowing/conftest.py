from __future__ import annotations

import pytest

from sigap.whistleblowing import receipts


@pytest.fixture(autouse=True)
def cheap_argon2(settings):
    """Real argon2 parameters cost ~0.1 s a hash; the tests check behaviour, not cost."""
    settings.SIGAP = {
        **settings.SIGAP,
        "WBS_ARGON2": {"time_cost": 1, "memory_cost": 8, "parallelism": 1},
    }
    receipts._DUMMY.clear()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% evidence\n"


def database_dump() -> str:
    """Every row of every table, as a dump would give it (SQLite and PostgreSQL alike)."""
    from django.db import connection

    out: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                out.append(
                    f"{table}: "
                    + " | ".join(
                        v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in values
                    )
                )
    return "\n".join(out)
