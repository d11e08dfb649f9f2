from schools.queries import schools_administered_by


def navigation(request):
    """Navigation facts, evaluated lazily so pages that do not render the menu pay no query."""
    user = getattr(request, "user", None)

    def admin_schools():
        if user is None or not user.is_authenticated:
            return []
        return list(schools_administered_by(user).only("public_id", "name"))

    return {"nav": {"admin_schools": admin_schools}}
