"""Test and demo helper: everyone accepts the current conduct rules of their schools."""


def accept_all_rules() -> None:
    from accounts.models import User
    from moderation.models import ConductAcceptance
    from moderation.queries import schools_of, with_rules_version

    acceptances = [
        ConductAcceptance(user=user, school=school, version=school.rules_version)
        for user in User.objects.all()
        for school in with_rules_version(schools_of(user))
    ]
    ConductAcceptance.objects.bulk_create(acceptances, ignore_conflicts=True)
