"""Database sessions that record their user and device for the "my devices" page."""

from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone

SESSION_USER_AGENT_KEY = "_device_user_agent"
SESSION_IP_KEY = "_device_ip"


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls):
        from accounts.models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get("_auth_user_id")
        instance.user_id = int(user_id) if user_id else None
        instance.user_agent = (data.get(SESSION_USER_AGENT_KEY) or "")[:300]
        instance.ip_address = data.get(SESSION_IP_KEY) or None
        instance.last_seen_at = timezone.now()
        existing = (
            self.model.objects.filter(session_key=instance.session_key)
            .values_list("public_id", "created_at")
            .first()
        )
        if existing:
            instance.public_id, instance.created_at = existing
        return instance
