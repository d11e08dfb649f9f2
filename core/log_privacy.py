"""No personal data in logs: a pytest plugin that reads every log record of the test run and fails the test
during which a record named a person (an email address, or a name of the persona world or the demo families).

Each pytest process (every xdist worker on its own) installs one handler on the root logger before its first
test (after Django configured logging) and lowers the root logger to DEBUG, so records our own loggers would
only write with LOG_LEVEL=DEBUG are read too; the console handler keeps its level, so output is unchanged.
The handler keeps nothing but offending records, and each test's teardown checks and empties that list: the
test that leaked fails (records logged between tests are blamed on the next one). The cost is a few
substring tests per record (under 2 µs for a typical one, measured). Records of the test's own peers (the
in-process SMTP server logs the addresses it receives) are not the platform's logs and are skipped.
"""

import logging
import re

import pytest

# Full names of the persona world (core.testing.build_world) and of the demo's persona families and staff
# (demo.seed); a test checks the persona world is covered. Family names and the longer first names of the
# children are enough on their own; short first names ("Eva", "Sem") only count as full names.
PERSONA_NAMES = (
    "Marieke de Vries",
    "Petra Bakker",
    "Anna Jansen",
    "Bram Smit",
    "Carla Visser",
    "Sanne Mulder",
    "Joost Mulder",
    "Fatima El Amrani",
    "Kees Dekker",
    "Lotte Hendriks",
    "Thijs Vos",
    "Hanneke Overvliet",
    "Daan Mulder",
    "Eva Mulder",
    "Yasmin El Amrani",
    "Lars Dekker",
    "Noa Hendriks",
    "Sem Vos",
)
DEMO_NAMES = (
    "Sanne Verhoeven",
    "Mark Verhoeven",
    "Daan Verhoeven",
    "Lotte Verhoeven",
    "Fatma Yılmaz",
    "Mehmet Yılmaz",
    "Elif Yılmaz",
    "Emir Yılmaz",
    "Petra Zandbergen",
    "Ingrid van der Plas",
    "Anouk de Graaf",
)
FAMILY_NAMES = ("Mulder", "El Amrani", "Dekker", "Hendriks", "Verhoeven", "Yılmaz", "Zandbergen")
CHILD_NAMES = ("Daan", "Yasmin", "Lars", "Lotte", "Elif", "Emir")

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NAMES = (*PERSONA_NAMES, *DEMO_NAMES, *FAMILY_NAMES, *CHILD_NAMES)
WHOLE_WORD = {name: re.compile(rf"\b{re.escape(name)}\b") for name in NAMES}
# The platform's own sender address is not a person's.
ALLOWED = {"noreply@schoolplein.example"}
# Loggers of test peers, not of the platform.
SKIPPED = ("aiosmtpd", "mail.log", "asyncio")


def offending_text(text: str) -> str | None:
    """The first personal datum in a text, or None.

    Plain substring tests first (a few microseconds for a record without any), a regular expression only
    to confirm a hit: most records name nobody, and one large alternation cost 30 to 80 times as much.
    """
    if "@" in text:
        for match in EMAIL.finditer(text):
            if match.group(0) not in ALLOWED:
                return match.group(0)
    for name in NAMES:
        if name in text and WHOLE_WORD[name].search(text):
            return name
    return None


class PersonalDataHandler(logging.Handler):
    """Keeps (logger, level, what was found, message) for each record that names a person."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.offenders: list[tuple[str, str, str, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(SKIPPED):
            return
        try:
            # django.request logs the path the client asked for ("Not Found: %s"); our own URLs carry public
            # ids, never names, so a name there is the client's own input (the API fuzzer types anything).
            text = str(record.msg) if record.name == "django.request" else record.getMessage()
        except Exception:  # a broken format string is not this check's business
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += f"\n{record.exc_info[1]}"
        found = offending_text(text)
        if found:
            self.offenders.append((record.name, record.levelname, found, text[:300]))


HANDLER = PersonalDataHandler()


def install() -> None:
    """Put the handler on the root logger, once Django has configured logging (which replaces handlers)."""
    root = logging.getLogger()
    if HANDLER in root.handlers:
        return
    for handler in root.handlers:  # the console keeps showing what it showed before
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)
    root.setLevel(logging.DEBUG)
    root.addHandler(HANDLER)


@pytest.fixture(autouse=True)
def _no_personal_data_in_logs():
    """Fail the test during which a log record named a person."""
    install()
    yield
    offenders, HANDLER.offenders[:] = list(HANDLER.offenders), []
    assert not offenders, "personal data in log records:\n" + "\n".join(
        f"{name} {level}: {found!r} in {text!r}" for name, level, found, text in offenders
    )
