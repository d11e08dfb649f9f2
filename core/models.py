from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(RuntimeError):
    """Raised for any attempt to change or remove an audit event."""

    def __init__(self, what: str = "changed"):
        super().__init__(f"Audit events are append-only: they cannot be {what}.")


class AuditEventQuerySet(models.QuerySet):
    """Creation only: update() and delete() are refused. (Deleting a user or school still nulls the link:
    Django's collector uses the plain base manager, and the database triggers allow exactly that.)"""

    def update(self, **kwargs):
        raise AppendOnlyError("updated")

    def delete(self):
        raise AppendOnlyError("deleted")


class AuditEvent(models.Model):
    """Append-only record of who did what, when and from where. Nothing in the app edits or deletes it;
    on PostgreSQL a trigger refuses UPDATE and DELETE too (core/migrations/0002_audit_append_only.py)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # The link goes when the user or school is deleted (SET NULL, the only change the triggers allow);
    # the actor's name and email as they were stay in actor_name and actor_email.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=300, blank=True)
    actor_email = models.CharField(max_length=254, blank=True)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, db_index=True)  # "invitation.sent", "pupil.moved", ...
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=40, blank=True)  # the public id, never the primary key
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("deleted")
