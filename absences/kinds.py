"""The kinds of absence as each school words them: the one owner of how a kind is named and which are offered.

The codes are fixed, because the rules depend on them (a sick report stays open, …). A school may give a
kind its own Dutch and English name and switch off a planned kind it does not want offered; sick and other
are always offered. The name a reader sees: the school's words in the reader's language, English falling
back to the Dutch, and without Dutch words the built-in (translated) name. Every page, export and API
answer that shows a kind asks `kind_label` (through `label_of` or the choices here).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery

from absences.models import ALWAYS_OFFERED, Absence, AbsenceKindWording
from core.languages import in_language

PLANNED_KINDS = [k for k in Absence.Kind.values if k != Absence.Kind.SICK]


def kind_label(kind: str, name_nl: str = "", name_en: str = "") -> str:
    """The name of a kind in the reader's language: the school's words, else the built-in name."""
    if not name_nl:
        return str(Absence.Kind(kind).label)
    return in_language(name_nl, name_en)


def with_kind_words(queryset: QuerySet[Absence]) -> QuerySet[Absence]:
    """Annotate each absence with its school's words for its kind (subqueries: no extra query)."""
    words = AbsenceKindWording.objects.filter(school_id=OuterRef("school_id"), kind=OuterRef("kind"))
    return queryset.annotate(
        kind_name_nl=Subquery(words.values("name_nl")[:1]),
        kind_name_en=Subquery(words.values("name_en")[:1]),
    )


def label_of(absence: Absence) -> str:
    """The name of the absence's kind; from `with_kind_words` when the list has it, else one query."""
    if hasattr(absence, "kind_name_nl"):
        return kind_label(absence.kind, absence.kind_name_nl or "", absence.kind_name_en or "")
    words = AbsenceKindWording.objects.filter(school_id=absence.school_id, kind=absence.kind).first()
    return kind_label(absence.kind, words.name_nl, words.name_en) if words else kind_label(absence.kind)


@dataclass
class KindWording:
    """One kind as a school words it, for the settings page and the API (unsaved: the built-in defaults)."""

    kind: str
    name_nl: str = ""
    name_en: str = ""
    offered: bool = True

    @property
    def label(self) -> str:
        return kind_label(self.kind, self.name_nl, self.name_en)

    @property
    def builtin(self) -> str:
        return str(Absence.Kind(self.kind).label)

    @property
    def always_offered(self) -> bool:
        return self.kind in ALWAYS_OFFERED


def wording_of(school_id: int) -> list[KindWording]:
    """Every kind, in the built-in order, as the school words it: one query."""
    rows = {w.kind: w for w in AbsenceKindWording.objects.filter(school_id=school_id)}
    return [
        KindWording(kind, rows[kind].name_nl, rows[kind].name_en, rows[kind].offered)
        if kind in rows
        else KindWording(kind)
        for kind in Absence.Kind.values
    ]


def is_offered(school_id: int, kind: str) -> bool:
    """Whether parents may choose this planned kind at the school."""
    if kind not in PLANNED_KINDS:
        return False
    return not AbsenceKindWording.objects.filter(school_id=school_id, kind=kind, offered=False).exists()


def planned_choices(school_ids: set[int], *, keep: str = "") -> list[tuple[str, str]]:
    """The planned kinds a parent may choose, named in the reader's language: one query.

    With children at several schools a kind is offered when one of them offers it (the action refuses it
    for a child whose school does not), and a kind the schools word differently keeps its built-in name.
    `keep` stays in the list even when switched off: the kind of the report being changed.
    """
    return _choices(_planned_rows(school_ids), set(school_ids), keep)


def planned_choices_per_school(school_ids: set[int]) -> dict[int, list[tuple[str, str]]]:
    """Each school's planned kinds, for the app's report form: one query for all of them."""
    rows = _planned_rows(school_ids)
    return {pk: _choices([w for w in rows if w.school_id == pk], {pk}, "") for pk in school_ids}


def _planned_rows(school_ids: set[int]) -> list[AbsenceKindWording]:
    return list(AbsenceKindWording.objects.filter(school_id__in=school_ids, kind__in=PLANNED_KINDS))


def _choices(rows: list[AbsenceKindWording], school_ids: set[int], keep: str) -> list[tuple[str, str]]:
    choices = []
    for kind in PLANNED_KINDS:
        words = [w for w in rows if w.kind == kind]
        switched_off = {w.school_id for w in words if not w.offered}
        if kind != keep and school_ids and switched_off >= school_ids:
            continue
        named = {(w.name_nl, w.name_en) for w in words}
        if len(named) == 1 and len(words) == len(school_ids):
            choices.append((kind, kind_label(kind, *named.pop())))
        else:
            choices.append((kind, kind_label(kind)))
    return choices
