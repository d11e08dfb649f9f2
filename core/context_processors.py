import functools

from core.viewer import is_two_factor_verified
from schools.models import School
from schools.queries import groups_visible_to, schools_administered_by


def navigation(request):
    """Navigation facts, evaluated lazily so pages that do not render the menu pay no query."""
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated

    # A page may name nav.admin_schools more than once; the template calls it each time.
    @functools.cache
    def admin_schools():
        if not signed_in or not is_two_factor_verified(user):
            return []  # only verified staff administer a school: no query to build or run
        return list(schools_administered_by(user).only("public_id", "name"))

    @functools.cache
    def school_names():
        """The schools of my groups (a parent with children at two schools sees both): one query."""
        if not signed_in:
            return ""
        schools = School.objects.filter(id__in=groups_visible_to(user).values("school_id")).order_by("name")
        return " · ".join(schools.values_list("name", flat=True)[:2])

    return {"nav": {"admin_schools": admin_schools, "school_names": school_names}}
