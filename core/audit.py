"""Write audit rows from actions. The acting user and, where known, the request's IP are recorded."""

from contextvars import ContextVar

from core.models import AuditEvent

# Set by core.middleware.RequestContextMiddleware so actions need not pass the request around.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def record(*, actor, action: str, target=None, school=None, **data) -> AuditEvent:
    """Append one audit row; `target` is any model instance with a public_id."""
    actor = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        # A snapshot: the log keeps who it was after the account is gone.
        actor_name=str(actor) if actor else "",
        actor_email=actor.email if actor else "",
        school=school,
        action=action,
        object_type=type(target).__name__.lower() if target is not None else "",
        object_id=getattr(target, "public_id", "") if target is not None else "",
        ip_address=current_ip.get(),
        data=data,
    )


def purge(ids: list[int]) -> int:
    """Delete these audit rows: for the retention run only, past the school's audit period.

    The append-only guards stay on for everything else: the model refuses deletes, and on PostgreSQL the
    trigger lets a DELETE through only in a transaction that says it is the retention run (migration 0003).
    """
    from django.db import connection, transaction

    if not ids:
        return 0
    table = AuditEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL schoolplein.audit_retention = 'on'")
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {table} WHERE id IN ({placeholders})", list(ids))  # noqa: S608 - ids only
        return cursor.rowcount
