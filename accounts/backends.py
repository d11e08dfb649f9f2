from django.contrib.auth.backends import ModelBackend

from accounts.models import User


class EmailBackend(ModelBackend):
    """Authenticate by case-insensitive email; inactive (suspended) accounts never pass."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        if not email or not password:
            return None
        user = User.objects.filter(email=email).first()
        if user is None:
            User().set_password(password)  # same work for unknown emails: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in user of a request, with whether they hold any staff role, in one query.

        Every page asks the latter (two-factor, session lifetime); see schools.queries.has_any_staff_role.
        """
        from schools.queries import with_staff_flag

        user = with_staff_flag(User.objects.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
