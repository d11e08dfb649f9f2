import functools

from core.viewer import is_two_factor_verified
from schools.queries import schools_administered_by


def navigation(request):
    """Navigation facts, evaluated lazily so pages that do not render the menu pay no query."""
    user = getattr(request, "user", None)

    # A page may name nav.admin_schools more than once; the template calls it each time.
    @functools.cache
    def admin_schools():
        if user is None or not user.is_authenticated or not is_two_factor_verified(user):
            return []  # only verified staff administer a school: no query to build or run
        return list(schools_administered_by(user).only("public_id", "name"))

    return {"nav": {"admin_schools": admin_schools}}
