"""A viewer's query compiled once, run for every viewer: the SQL of an owner's rule without its cost to build.

Some rules are long (a viewer's groups: children's classes this year and last, their schools, staff roles,
suspensions) and are asked on every page. Django builds and compiles such a query from scratch each time,
which costs far more CPU than the database spends answering it. Its SQL is the same for every viewer of
the same kind on the same day; only the viewer's id differs. So the owner's own queryset is built once for
a stand-in viewer, compiled, and kept; each call puts the real viewer's id where the stand-in's was and
runs that SQL. The rule stays stated once, in the owner; only its compilation is shared, and the database
still answers every call, so a change (a suspension, a move to another class) counts on the next request.

On PostgreSQL the SQL is also prepared on each connection: planning such a query took 3.5 ms of the
database's time against 0.85 ms to run it (EXPLAIN ANALYZE on the benchmark board), on every page.

The same SQL can also be nested in another query (`viewer_subquery`): a rule such as who sees a
conversation filters every read of them, and building it cost the inbox more than the rest of its query.
Nested, it is planned with the asking query (not prepared).
"""

import functools
from collections.abc import Callable, Hashable

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from core.viewer import is_two_factor_verified, without_memo

# No row has this id: it marks where the viewer's id goes in the compiled query's parameters.
_STAND_IN_ID = -424_242_424_242


def _stand_in(verified: bool):
    """A signed-in user who is nobody (never saved): the viewer an owner's query is built for."""
    user = get_user_model()(pk=_STAND_IN_ID)
    user.is_verified = lambda: verified
    return user


@functools.lru_cache(maxsize=64)
def _compiled(build: Callable, args: tuple, verified: bool, day, alias: str) -> tuple | None:
    """(sql, params, the positions of the viewer's id) of build(stand-in, *args); None when the stand-in's
    id is not a parameter only (inlined in the SQL), and the query must then be built each time."""
    with without_memo():  # the SQL outlives the request: no answer of this request's memo goes into it
        sql, params = build(_stand_in(verified), *args).query.get_compiler(using=alias).as_sql()
    positions = tuple(i for i, value in enumerate(params) if value == _STAND_IN_ID)
    if not positions or str(_STAND_IN_ID) in sql:
        return None
    return sql, tuple(params), positions


def viewer_ids(viewer, build: Callable[..., QuerySet], *args: Hashable, day, using: str = "default") -> list:
    """The values of `build(viewer, *args)` (a flat values_list of ids), from SQL compiled once per
    build function, arguments, two-factor state, day and database.

    `build` must be a module-level function that uses nothing of its viewer but its id and whether it
    passed two-factor, and nothing of the date but `day` (its school's today).
    """
    compiled = _for_viewer(viewer, build, args, day, using)
    if compiled is None:
        return list(build(viewer, *args))
    sql, values = compiled
    connection = connections[using]
    with _prepared_cursor(connection) if connection.vendor == "postgresql" else connection.cursor() as cursor:
        cursor.execute(sql, values)
        return [row[0] for row in cursor.fetchall()]


def viewer_subquery(viewer, build: Callable[..., QuerySet], *args: Hashable, day, using: str = "default"):
    """`build(viewer, *args)` (a values() of one column) to filter on (`id__in=`): its SQL compiled once,
    as for viewer_ids, nested in the asking query, so it costs no query of its own. The contract of
    `build` is viewer_ids', and it should be unordered (order_by()): the SQL is nested as it was compiled,
    and a model's default ordering would sort inside it. `day=None` says that it uses no date at all."""
    compiled = _for_viewer(viewer, build, args, day, using)
    if compiled is None:
        return build(viewer, *args)
    return RawSQL(*compiled)  # noqa: S611 - the ORM compiled this SQL itself; values stay parameters


def _for_viewer(viewer, build: Callable, args: tuple, day, using: str) -> tuple[str, list] | None:
    """(sql, params) of build(viewer, *args) from its compiled SQL; None when it cannot be compiled once."""
    compiled = _compiled(build, args, is_two_factor_verified(viewer), day, using)
    if compiled is None:
        return None
    sql, params, positions = compiled
    values = list(params)
    for position in positions:
        values[position] = viewer.pk
    return sql, values


def _prepared_cursor(connection):
    """A Django cursor (query logging, execute wrappers, error translation as usual) over a psycopg
    cursor that binds on the server and prepares what it runs, so a connection plans each compiled query
    once. Django's own cursors bind on the client, which rules preparing out."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = _preparing_cursor_class()(connection.connection)
    return connection._prepare_cursor(raw)


@functools.cache
def _preparing_cursor_class():
    import psycopg  # PostgreSQL's driver: not imported where SQLite runs alone

    class PreparingCursor(psycopg.Cursor):
        def execute(self, query, params=None, **options):
            return super().execute(query, params, prepare=True, **options)

    return PreparingCursor
