"""Screen parents' text against lists of swearing, discrimination, threats and sexual language.

The lists are data files (moderation/lists/, see its README.txt) plus the school's own extra terms.
Text and terms go through the same normalisation, so spelling tricks do not slip through:
capitals, accents, digits and symbols for letters ("k4nk3r", "$hit"), repeated letters ("kuuuut"),
letters separated by dots, hyphens or spaces ("k.u.t", "k u t"). Words are matched whole: "kut" never
holds "Scunthorpe", "kanker" (the disease) is not held, "kanker*" compounds are, except the medical
words in allowed.txt ("kankeronderzoek").
Then whole sentences are judged (moderation/sentences.py): a hostile statement about a group, a threat or a
sexual remark is held without any listed word in it.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import product
from pathlib import Path

from moderation import sentences

LISTS_DIR = Path(__file__).resolve().parent / "lists"
CATEGORIES = ("swearing", "discrimination", "threats", "sexual")
LANGUAGES = ("nl", "en")

# Read as letters inside a word. "1" and "!" may stand for "i" or "l": both readings are tried.
LEET = str.maketrans(
    {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s", "€": "e"}
)
AMBIGUOUS = {"1": "il", "!": "il", "|": "il"}
# Inside a word these only separate letters: "k.u.t", "kanker-lijer", "i'll".
JOINERS = re.compile(r"(?<=[a-z0-9*@$€!|])[.\-_'’`´~+]+(?=[a-z0-9*@$€!|])")
LETTERS = re.compile(r"[a-z*]+")
REPEATS = re.compile(r"(.)\1+")


@dataclass(frozen=True)
class Screening:
    held: bool
    categories: list[str] = field(default_factory=list)


@dataclass
class Lists:
    exact: dict[str, str] = field(default_factory=dict)  # word → category
    prefixes: list[tuple[str, str]] = field(default_factory=list)  # (stem, category)
    phrases: list[tuple[str, str]] = field(default_factory=list)  # (" word word ", category)
    allowed: set[str] = field(default_factory=set)
    _stems: re.Pattern | None = None

    def longer_than_a_stem(self, word: str) -> set[str]:
        """Categories of the stems ("kanker*") this word is a longer compound of; one regex per word."""
        if self._stems is None:
            stems = sorted({stem for stem, _category in self.prefixes}, key=len, reverse=True)
            self._stems = re.compile("|".join(f"{re.escape(stem)}." for stem in stems) or "(?!)")
        if not self._stems.match(word):
            return set()
        return {category for stem, category in self.prefixes if word.startswith(stem) and word != stem}

    def add(self, term: str, category: str) -> None:
        self._stems = None
        words = [collapse(word) for word in words_of(term)[0]]
        if not words:
            return
        if len(words) > 1:
            self.phrases.append((f" {' '.join(words)} ", category))
        elif term.strip().endswith("*"):
            self.prefixes.append((words[0].rstrip("*"), category))
        else:
            self.exact[words[0].replace("*", "")] = category


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words_of(text: str) -> list[list[str]]:
    """The text as lists of folded words, one list per reading of ambiguous characters inside words."""
    folded = JOINERS.sub("", _fold(text))
    raw_words = [raw.strip(".,;:!?()[]{}\"'“”‘’«»<>/\\|") for raw in folded.split()]
    raw_words = [(raw, any(char.isalpha() for char in raw)) for raw in raw_words]
    ambiguous_chars = sorted({char for raw, wordy in raw_words if wordy for char in raw if char in AMBIGUOUS})
    readings = []
    for choice in product(*(AMBIGUOUS[char] for char in ambiguous_chars)):
        table = str.maketrans({**dict(zip(ambiguous_chars, choice, strict=True)), **LEET})
        words: list[str] = []
        for raw, wordy in raw_words:
            words.extend(LETTERS.findall(raw.translate(table) if wordy else raw))
        readings.append(_join_spelled_out(words))
    return readings


@lru_cache(maxsize=65536)
def collapse(word: str) -> str:
    """Repeated letters count once ("kuuuut" is "kut"); both text and terms are compared so."""
    return REPEATS.sub(r"\1", word)


def _join_spelled_out(words: list[str]) -> list[str]:
    """Add the word spelled by a run of single letters ("k u t" → also "kut")."""
    joined, run = [], []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if len(run) > 1:
            joined.append("".join(run))
        run = []
    return words + joined


def _read_terms(path: Path) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def base_lists() -> Lists:
    lists = Lists()
    for category in CATEGORIES:
        for language in LANGUAGES:
            for term in _read_terms(LISTS_DIR / f"{category}.{language}.txt"):
                lists.add(term, category)
    for term in _read_terms(LISTS_DIR / "allowed.txt"):
        lists.allowed.update(word for reading in words_of(term) for word in reading)
    return lists


def lists_for(school) -> Lists:
    """The shared lists plus the school's extra terms (one query)."""
    base = base_lists()
    if school is None:
        return base
    from moderation.models import ExtraTerm

    extra = list(ExtraTerm.objects.filter(school=school).values_list("term", "category"))
    if not extra:
        return base
    lists = Lists(dict(base.exact), list(base.prefixes), list(base.phrases), base.allowed)
    for term, category in extra:
        lists.add(term, category)
    return lists


def _match_word(raw: str, lists: Lists) -> set[str]:
    # Allowed words are compared as written, so "Niger" stays allowed while "nigger" collapses to it.
    if raw in lists.allowed:
        return set()
    word = collapse(raw)
    if "*" in word:  # "f*ck", "sh**": a star stands for one to three letters
        pattern = re.compile(re.sub(r"\*+", "[a-z]{1,3}", word))
        return {category for term, category in lists.exact.items() if pattern.fullmatch(term)}
    found = lists.longer_than_a_stem(word)
    if word in lists.exact:
        found.add(lists.exact[word])
    return found


def screen(text: str, *, school) -> Screening:
    """Whether this text must be held for review, and which categories it hit."""
    if not text or not text.strip():
        return Screening(held=False)
    lists = lists_for(school)
    found: set[str] = set()
    checked: set[str] = set()  # a long text repeats its words: look each up once
    for raw_words in words_of(text):
        for raw in raw_words:
            if raw not in checked:
                checked.add(raw)
                found |= _match_word(raw, lists)
        words = [collapse(raw) for raw in raw_words]
        # Two words written apart that make one listed word: "klootz ak", "f uck".
        for first, second in zip(raw_words, raw_words[1:], strict=False):
            pair = collapse(first + second)
            if pair in lists.exact and first + second not in lists.allowed:
                found.add(lists.exact[pair])
        padded = f" {' '.join(words)} "
        found.update(category for phrase, category in lists.phrases if phrase in padded)
    by_sentence = sentences.judge(text)
    # A listed word the sentence only quotes or jokes with is not held; a hostile sentence still is.
    found = {category for category in found if not sentences.mitigated(text, category)} | by_sentence
    return Screening(held=bool(found), categories=sorted(found, key=CATEGORIES.index))
