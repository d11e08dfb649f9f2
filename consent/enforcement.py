"""The consent check before photos are shown: every tagged child against the purpose the audience implies."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from consent.models import PhotoTag, Purpose, PurposeVersion, Scope
from consent.queries import consent_table, scopes_for
from core.refusals import Invalid


@dataclass(frozen=True)
class Problem:
    media: object  # media.MediaFile
    pupil: object  # schools.Pupil
    purpose: Purpose

    @property
    def can_blur(self) -> bool:
        """Blurring is a way out for a photo with the child on a face box; otherwise leave the photo out."""
        return self.media.kind == "photo"


def problems_for(*, media_files, groups) -> list[Problem]:
    """Each (photo, child, purpose) that may not be shown to these groups; four queries, whatever the size.

    A child whose face box is already blurred is no longer in the photo. A purpose the school removed, or
    never had, cannot be consented to: a child is then not shown in that audience at all. Consent is read
    from `consent_table`, so an answer to a version changed since (and asked again) does not count.
    """
    media_files, groups = list(media_files), list(groups)
    if not media_files or not groups:
        return []
    by_id = {media.id: media for media in media_files}
    tags = list(
        PhotoTag.objects.filter(media_id__in=by_id)
        .exclude(face__blurred_at__isnull=False)
        .select_related("pupil")
        .order_by("media_id", "pupil__first_name", "id")
    )
    if not tags:
        return []
    school_ids = {group.school_id for group in groups}
    purposes = list(
        Purpose.objects.filter(
            school_id__in=school_ids, current__scope__in=scopes_for(groups), removed_at=None
        ).select_related("current")
    )
    table = consent_table({tag.pupil_id for tag in tags}, [purpose.id for purpose in purposes])
    needed = {(group.school_id, scope) for group in groups for scope in scopes_for([group])}
    problems = []
    for tag in tags:
        for school_id, scope in sorted(needed):
            purpose = next((p for p in purposes if p.school_id == school_id and p.scope == scope), None)
            if purpose is None:
                label = str(Scope(scope).label)
                wording = PurposeVersion(number=1, asked_from=1, scope=scope, name_nl=label, name_en=label)
                purpose = Purpose(school_id=school_id, current=wording)
            if purpose.pk is None or not table[tag.pupil_id, purpose.id]:
                problems.append(Problem(by_id[tag.media_id], tag.pupil, purpose))
    return problems


class ConsentRefused(Invalid):
    """Photos that may not be shown; `problems` names each photo, child and purpose."""

    def __init__(self, problems: list[Problem]):
        super().__init__(problem_messages(problems), code="no_consent", problems=problems)

    def problems_out(self) -> list[dict]:
        """For API clients: each photo, child and purpose, by public id."""
        return [
            {"media": p.media.public_id, "pupil": p.pupil.public_id, "purpose": p.purpose.name}
            for p in self.problems
        ]


def problem_messages(problems: list[Problem]) -> list[str]:
    messages = []
    for problem in problems:
        values = {
            "child": problem.pupil.first_name,
            "photo": problem.media.original_name,
            "purpose": problem.purpose.name,
        }
        if problem.can_blur:
            text = _(
                "%(child)s may not appear in %(photo)s (no consent for: %(purpose)s). "
                "Leave the photo out, or blur %(child)s."
            )
        else:
            text = _("%(child)s may not appear in %(photo)s (no consent for: %(purpose)s). Leave it out.")
        messages.append(text % values)
    return messages


def check_media_consent(*, media_files, groups) -> None:
    """Refuse to show these files to these groups while a tagged child lacks consent (ConsentRefused)."""
    problems = problems_for(media_files=media_files, groups=groups)
    if problems:
        raise ConsentRefused(problems)
