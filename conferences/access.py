"""Fetch-and-authorize for conferences: not-yours answers 404, exactly like missing."""

from conferences.models import Round, SwapRequest, Talk
from conferences.queries import (
    rounds_managed_by,
    rounds_visible_to,
    swaps_visible_to,
    talks_managed_by,
    talks_visible_to,
)
from core.refusals import NotFound
from schools.access import first_or_404
from schools.models import Group
from schools.queries import groups_staffed_by, groups_taught_by


def access_round(viewer, public_id: str, *, manage: bool = False) -> Round:
    """A round the viewer takes part in; with manage=True one they run (director, office, its maker)."""
    rounds = rounds_managed_by(viewer) if manage else rounds_visible_to(viewer)
    return first_or_404(rounds.filter(public_id=public_id).select_related("school"))


def access_round_taught(viewer, public_id: str) -> Round:
    """A round with a group the viewer teaches (what sets a teacher's own times)."""
    rounds = Round.objects.filter(round_groups__group__in=groups_taught_by(viewer), public_id=public_id)
    return first_or_404(rounds.distinct().select_related("school"))


def access_round_group(viewer, round_: Round, group_id: str) -> Group:
    """One of the round's groups that the viewer staffs (a teacher sees only their own classes)."""
    groups = groups_staffed_by(viewer).filter(
        public_id=group_id, id__in=round_.round_groups.values("group_id")
    )
    return first_or_404(groups)


def access_talk(viewer, public_id: str, *, manage: bool = False) -> Talk:
    """The viewer's family's talk, or one of a group they staff; manage=True: staff only."""
    talks = talks_managed_by(viewer) if manage else talks_visible_to(viewer)
    return first_or_404(talks.filter(public_id=public_id).select_related("round", "round__school", "group"))


def access_own_talk(viewer, public_id: str) -> Talk:
    """A talk of the viewer's own family (what a parent moves or offers to swap)."""
    talk = access_talk(viewer, public_id)
    if not talk.guardians.filter(pk=viewer.pk).exists():
        raise NotFound
    return talk


def access_swap(viewer, public_id: str) -> SwapRequest:
    swaps = swaps_visible_to(viewer).filter(public_id=public_id)
    return first_or_404(swaps.select_related("round", "talk", "other"))
