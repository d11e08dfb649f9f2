"""CSV for spreadsheets, safe against formula injection: shared by every export (roster preview, forms).

A cell a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe, which shows it as text. Separator ";" and a byte-order mark, as Dutch
Excel opens it without an import dialog.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def safe_csv(header: Iterable, rows: Iterable[Iterable]) -> bytes:
    """The header and rows as UTF-8 CSV bytes, every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
