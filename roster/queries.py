"""Reads for the roster pages: the history of a school's imports, a preview's rows, its CSV download."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.spreadsheet import safe_csv
from roster.models import GuardianMapping, RosterImport
from roster.plan import KINDS
from roster.sources.guardians_csv import decode, suggest_mapping

KIND_LABELS = {
    "group.add": gettext_lazy("Class to create"),
    "group.link": gettext_lazy("Class linked to the file"),
    "group.rename": gettext_lazy("Class renamed"),
    "pupil.add": gettext_lazy("Pupil arrives"),
    "pupil.link": gettext_lazy("Pupil linked by name and birth date"),
    "pupil.change": gettext_lazy("Pupil's details change"),
    "pupil.move": gettext_lazy("Pupil moves to another class"),
    "pupil.grade": gettext_lazy("Pupil's grade recorded"),
    "pupil.leave": gettext_lazy("Pupil leaves"),
    "guardian.add": gettext_lazy("Guardian added"),
    "guardian.change": gettext_lazy("Guardian's details change"),
    "guardian.remove": gettext_lazy("Guardian removed"),
    "teacher.link": gettext_lazy("Teacher linked to the file"),
    "teacher.add": gettext_lazy("Teacher added"),
    "teacher.assign": gettext_lazy("Teacher given a class"),
    "teacher.unassign": gettext_lazy("Teacher no longer teaches a class"),
}


def imports_of(school) -> list[RosterImport]:
    return list(
        RosterImport.objects.filter(school=school)
        .select_related("created_by", "applied_by")
        .defer("content", "guardian_content", "plan")[:25]
    )


def describe(change: dict) -> str:
    """One line a person reads: who or what, and from what to what."""
    kind = change["kind"]
    name = change.get("name") or " ".join(filter(None, (change.get("first_name"), change.get("last_name"))))
    if kind.endswith(".change") or kind == "group.rename":
        fields = change.get("fields") or {"name": [change.get("old", ""), change.get("new", "")]}
        parts = [f"{field}: {old or '—'} → {new or '—'}" for field, (old, new) in fields.items()]
        return f"{name}: " + "; ".join(parts)
    if kind == "pupil.grade":
        return f"{name}: {change.get('old') or '—'} → {change['new']}"
    if kind == "pupil.move":
        return f"{name}: {change.get('old') or '—'} → {change['group']}"
    if kind in ("pupil.add", "teacher.assign", "teacher.unassign"):
        return f"{name} ({change['group']})"
    if kind == "pupil.leave":
        return f"{name} ({change['on']})"
    if kind in ("guardian.add", "guardian.remove", "teacher.add", "teacher.link"):
        return f"{name} <{change.get('email', '')}>" + (
            f" · {change['pupil_key']}" if change.get("pupil_key") else ""
        )
    return name


def preview_rows(roster_import: RosterImport, kind: str = "") -> list[dict]:
    changes = roster_import.plan.get("changes", [])
    if kind:
        changes = [change for change in changes if change["kind"] == kind]
    return [
        {"kind": change["kind"], "label": KIND_LABELS[change["kind"]], "text": describe(change)}
        for change in changes
    ]


def kind_filters(roster_import: RosterImport) -> list[dict]:
    counts = roster_import.summary or {}
    return [
        {"kind": kind, "label": KIND_LABELS[kind], "count": counts.get(kind, 0)}
        for kind in KINDS
        if counts.get(kind)
    ]


def preview_csv(roster_import: RosterImport) -> bytes:
    """The preview as a CSV for a spreadsheet: one row per change, conflict and warning; no formulas run."""
    rows = [[row["label"], row["text"], ""] for row in preview_rows(roster_import)]
    rows += [[_("Conflict"), c["message"], c["where"]] for c in roster_import.plan.get("conflicts", [])]
    rows += [[_("Warning"), w["message"], w["where"]] for w in roster_import.plan.get("warnings", [])]
    return safe_csv([_("Kind"), _("Change"), _("Where")], rows)


def mapping_for(school, guardian_content: bytes) -> tuple[dict[str, str], list[str], bool]:
    """The stored mapping if it fits this file's columns, else a suggestion; the header; whether it fit."""
    header = decode(guardian_content).header
    stored = GuardianMapping.objects.filter(school=school).values_list("columns", flat=True).first() or {}
    fits = bool(stored) and all(column in header for column in stored.values())
    return (stored if fits else suggest_mapping(header)), header, fits


def school_named(ref: str):
    """The one school whose public id or exact name is `ref` (the commands' --school), or None."""
    from django.db.models import Q

    from schools.models import School

    schools = list(School.objects.filter(Q(public_id=ref) | Q(name=ref))[:2])
    return schools[0] if len(schools) == 1 else None
