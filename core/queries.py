"""The home and "More" pages' reads: my children (with their current class), and my groups."""

from dataclasses import dataclass

from django.db.models import Prefetch

from core.viewer import is_two_factor_verified
from schools.models import Group, Pupil, School
from schools.queries import children_of, current_enrolments, earlier_classes_of, groups_followed_by


@dataclass(frozen=True)
class Home:
    children: list[Pupil]
    groups: list[Group]
    has_earlier_classes: bool = False  # staff: classes of earlier school years to read in the archive


def get_home(viewer) -> Home:
    """Two queries for the children (with class and school) and one for the groups, however many."""
    enrolments_now = current_enrolments().select_related("group")
    children = list(
        children_of(viewer)
        .select_related("school")
        .prefetch_related(Prefetch("enrolments", queryset=enrolments_now, to_attr="current_enrolments"))
        .order_by("first_name")
    )
    groups = list(
        groups_followed_by(viewer)
        .select_related("school", "school_year")
        # After the rollover a parent has last year's class too for a while: the year tells the two apart.
        .order_by("school__name", "kind", "-school_year__starts_on", "name")
        .only("public_id", "name", "kind", "school__name", "school__public_id", "school_year__name")
    )
    # Only staff keep an archive: a parent's former class is among the groups for as long as it is readable.
    earlier = is_two_factor_verified(viewer) and earlier_classes_of(viewer).exists()
    return Home(children=children, groups=groups, has_earlier_classes=earlier)


def my_children(viewer) -> list[Pupil]:
    """My children, plainly (for the home page's cards): one query."""
    return list(children_of(viewer).only("id", "public_id", "first_name", "school_id").order_by("first_name"))


def school_names(viewer) -> str:
    """The schools of my groups for the top bar (a parent of children at two schools sees both): one query."""
    schools = School.objects.filter(id__in=groups_followed_by(viewer).values("school_id")).order_by("name")
    return " · ".join(schools.values_list("name", flat=True)[:2])
