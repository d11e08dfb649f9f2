"""Conversations built through the real actions, for tests and access-matrix cases."""

from conversations import actions
from schools.queries import current_enrolments


def enrolment_of(pupil):
    return current_enrolments().select_related("pupil", "group__school").get(pupil=pupil)


def class_conversation(
    w, *, body: str = "Daan is morgen om 10 uur bij de tandarts.", subject: str = "Tandarts"
):
    """The parent writes to the teachers of Groep 3 about Daan."""
    return actions.check_start_with_class(
        acting_user=w.parent, enrolment=enrolment_of(w.child), subject=subject, body=body
    )


def staff_conversation(w, *, guardians=None, body: str = "Wilt u even bellen over het rapport?"):
    """The office writes to one parent of Daan."""
    return actions.check_start_with_guardians(
        acting_user=w.office,
        pupil=w.child,
        guardians=guardians or [w.co_parent],
        subject="Rapportgesprek",
        body=body,
    )
