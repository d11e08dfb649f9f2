"""Delete many rows and everything that cascades from them in a few set-based queries.

Django's collector loads every row it deletes, and every row that cascades from it, into memory before it
deletes them; for the retention run's batches (thousands of photo rows each) that is most of the time. This
follows the same `on_delete` rules, read from the same model definitions, but reads only the keys of each
level and issues one DELETE per related model (or one UPDATE for SET_NULL) by those keys, the deepest
first. Keys, not nested subqueries: PostgreSQL plans a subquery over a big table as a full scan when the
table it deletes from is small, and would scan the photo table a dozen times per batch. A new foreign key
is followed without changing anything here. What the collector does and this cannot do the same way
(delete signals, PROTECT and RESTRICT, other on_delete handlers, generic relations, multi-table
inheritance, a cascade that loops) is refused with an error rather than guessed at.
"""

import json
from collections.abc import Callable
from itertools import batched

from django.db import connections, models
from django.db.models import QuerySet, signals
from django.db.models.deletion import get_candidate_relations_to_delete
from django.db.models.expressions import RawSQL

# Keys per statement: well under every database's limit on parameters.
CHUNK = 10_000


class CannotCascade(NotImplementedError):
    """The rows cannot be deleted set-based with the collector's meaning; use QuerySet.delete()."""


def _links(model) -> list:
    """The foreign keys pointing at `model`, as the collector sees them, refusing any it cannot follow."""
    label = model._meta.label
    if model._meta.parents:
        raise CannotCascade(f"{label} inherits from another concrete model")
    if signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model):
        raise CannotCascade(f"{label} has delete signal receivers")
    if any(hasattr(field, "bulk_related_objects") for field in model._meta.private_fields):
        raise CannotCascade(f"{label} has a generic relation")
    links = []
    for relation in get_candidate_relations_to_delete(model._meta):
        on_delete = relation.field.remote_field.on_delete
        if on_delete not in (models.CASCADE, models.SET_NULL, models.DO_NOTHING):
            raise CannotCascade(
                f"{relation.related_model._meta.label}.{relation.field.name} is {on_delete.__name__}"
            )
        links.append(relation.field)
    return links


def among(rows: QuerySet, field: str, keys) -> QuerySet:
    """The rows whose `field` is one of `keys`, sent as one parameter rather than one per key.

    Thousands of parameters cost more than the delete itself: PostgreSQL parses each one, and Django
    prepares each one in Python (on SQLite that preparation was half of a retention run). PostgreSQL
    takes an array; SQLite a JSON list of integer keys, read by its built-in `json_each`.
    """
    connection = connections[rows.db]
    keys = list(keys)
    if connection.vendor == "postgresql":
        cast = rows.model._meta.get_field(field).cast_db_type(connection)
        # The cast is the column's own type, from the model; the keys are a parameter.
        array = RawSQL(f"SELECT unnest(%s::{cast}[])", [keys])  # noqa: S611
        return rows.filter(**{f"{field}__in": array})
    if connection.vendor == "sqlite" and all(type(key) is int for key in keys):
        return rows.filter(**{f"{field}__in": RawSQL("SELECT value FROM json_each(%s)", [json.dumps(keys)])})
    return rows.filter(**{f"{field}__in": keys})


def cascade_models(model) -> set:
    """Every model whose rows go when rows of `model` go (itself included)."""
    reached, todo = set(), [model]
    while todo:
        current = todo.pop()
        if current in reached:
            continue
        reached.add(current)
        todo += [field.model for field in _links(current) if field.remote_field.on_delete is models.CASCADE]
    return reached


def delete_cascading(rows: QuerySet, *, before: Callable[[QuerySet], object] | None = None) -> dict[str, int]:
    """Delete `rows` and what cascades from them; how many rows of each model went, by model label.

    `before` is called with each set of rows about to go while everything that hangs on them is still
    there (to delete what points at them by other means than a foreign key, such as a file's carrier).
    Run it inside a transaction: the statements are many, and only all of them together are the delete.
    """
    cascade_models(rows.model)  # refuses what it cannot follow before anything is deleted
    counts: dict[str, int] = {}
    _delete(rows, before, counts, path=())
    return counts


def _delete(rows: QuerySet, before, counts: dict[str, int], path: tuple) -> None:
    model = rows.model
    if model in path:
        raise CannotCascade(f"the cascade from {path[0]._meta.label} reaches {model._meta.label} again")
    if before is not None:
        before(rows)
    keys: dict[str, list] = {}
    size = min(CHUNK, connections[rows.db].features.max_query_params or CHUNK)
    for field in _links(model):
        on_delete = field.remote_field.on_delete
        if on_delete is models.DO_NOTHING:
            continue
        target = field.remote_field.field_name
        if target not in keys:
            keys[target] = list(rows.values_list(target, flat=True).order_by())
        for chunk in batched(keys[target], size, strict=False):
            pointing = among(field.model._base_manager.all(), field.attname, chunk)
            if on_delete is models.SET_NULL:
                pointing.update(**{field.name: None})
            else:
                _delete(pointing, before, counts, path=(*path, model))
    label = model._meta.label
    # None when the query cannot match anything (an empty `id__in`), and it was not sent.
    counts[label] = counts.get(label, 0) + (rows._raw_delete(rows.db) or 0)
