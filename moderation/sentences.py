"""Screen whole sentences: hostile statements about a group, threats and sexual remarks without a listed word.

The word lists (screening.py) catch swearing and slurs; this catches what the words alone do not say:
"Die buitenlanders horen niet in onze klas." has no bad word, the sentence is the insult. The rules are
patterns over one sentence at a time, Dutch and English, so they can be read and argued with:

- discrimination: a group noun (origin, religion, skin colour, disability, sexuality) in the same sentence
  as an exclusion ("horen hier niet", "moeten terug"), a dehumanising comparison ("zijn net ratten") or a
  negative generalisation ("zijn allemaal dieven"); a negated attribute ("zijn niet gevaarlijk") is no hit.
- threats: second-person harm ("ik sla je", "I'll break your legs"), "ik weet waar je woont",
  veiled warnings ("pas maar op", "you will regret this").
- sexual: an appreciative word about a body part ("lekker kontje"), wanting someone naked or in bed,
  sexual invitations, remarks on children's bodies.

Figures on the labelled table moderation/tests/data/screening_corpus.csv are printed by `make bench`.
"""

import re
import unicodedata

SENTENCE_END = re.compile(r"[.!?;\n]+")


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Group nouns, folded (lower case, no accents). Stems take Dutch endings: "marokkaan(tjes)", "moslim(s)".
GROUP = re.compile(
    r"\b"
    + _any(
        r"buitenlander\w*",
        r"buitenlandse (?:kinderen|mensen|ouders|jongens|meiden)",
        r"allochto\w*",
        r"marokka+n\w*",
        r"turk(?:en|jes)?",
        r"moslim\w*",
        r"islamiet\w*",
        r"joden",
        r"jood",
        r"zwart(?:en|jes)",
        r"zwarte (?:kinderen|mensen|ouders|moeder|vader|jongens|meiden|kids|people|children)",
        r"neger\w*",
        r"homo'?s?",
        r"homo\w+",
        r"lesbienne\w*",
        r"transgender\w*",
        r"gehandicapte?n?(?: kinderen| jongen| meisje| mensen)?",
        r"autisten",
        r"mongool\w*",
        r"vluchteling\w*",
        r"asielzoeker\w*",
        r"polen",
        r"roemenen",
        r"zigeuner\w*",
        r"syriers",
        r"surinamers",
        r"antillianen",
        r"somaliers",
        r"doven",
        r"blinden",
        r"hoofddoekjes?",
        r"dat soort (?:mensen|kinderen|ouders)",
        r"nieuwkomers",
        r"afghanen",
        r"somaliers",
        r"roma",
        r"syndroom van down",
        r"mensen met (?:zo'?n|die|een andere) (?:kleur|huidskleur|afkomst)",
        r"(?:hun|zijn|haar) soort",
        r"(?:marokkaanse|turkse|poolse|surinaamse|antilliaanse|afghaanse|syrische|somalische|roemeense|"
        r"islamitische|joodse|zwarte|allochtone|buitenlandse|gehandicapte|homoseksuele|lesbische) "
        r"(?:familie|families|gezin|gezinnen|kinderen|kind|jongens|meisjes|meiden|ouders|moeder|moeders|"
        r"vader|vaders|mensen|leerlingen|leraren|juf|meester)",
        r"(?:muslim|immigrant|black|gay|lesbian|disabled|jewish|foreign|polish|refugee|arab|asian|african) "
        r"(?:families|family|kids|children|parents|teachers|people|students|pupils|mothers|fathers)",
        r"die mensen",
        r"mensen uit afrika",
        # English
        r"foreigners",
        r"immigrants?",
        r"muslims?",
        r"black (?:kids|people|children|parents|families)",
        r"blacks",
        r"disabled (?:kids|people|children)",
        r"gays?",
        r"gay (?:people|parents|men|couples)",
        r"jews",
        r"refugees",
        r"those people",
        r"retards?",
        r"polish people",
        r"gypsies",
    )
    + r"\b"
)

# Saying a group does not belong, or must leave.
EXCLUSION = re.compile(
    _any(
        r"\bhoren (?:hier |daar |ook )?niet\b",
        r"\bhoort (?:hier |daar )?niet\b",
        r"\bhoren weg\b",
        r"\bhoren (?:ze|zij|die) (?:hier )?niet\b",
        r"\bmoeten niet (?:voor|in|op|bij|naar)\b",
        r"\bergens anders\b",
        r"\bmoeten (?:\w+ )?(?:terug|weg|thuisblijven|oprotten)\b",
        r"\bmoeten (?:\w+ ){0,3}uit (?:de|het|ons) (?:klas|land|school)\b",
        r"\bhet land uit\b",
        r"\bterug naar (?:hun|waar)\b",
        r"\buit (?:ons|het) land\b",
        r"\bniets? te zoeken\b",
        r"\bgezet worden\b",
        r"\bweg ermee\b",
        r"\b(?:wil|willen) (?:geen|niet dat)\b",
        r"\bhoort in een inrichting\b",
        r"\bhoren in een (?:inrichting|instelling|gesticht)\b",
        r"\bhoren op (?:hun|een) (?:eigen|aparte|andere) school\b",
        r"\bpassen hier (?:gewoon |echt )?niet\b",
        r"\bthuis houden\b",
        r"\bnemen alles\b",
        r"\bremmen\b",
        r"\bniet (?:te )?vertrouwen\b",
        r"\bkunnen niet leren\b",
        r"\bzo zijn ze\b",
        r"\bnet als de rest\b",
        r"\boveral hun handen in\b",
        r"\bnemen (?:\w+ )?over\b",
        r"\b(?:don't|do not|doesn't) fit in\b",
        r"\bseparate schools?\b",
        r"\bkept (?:out|away|apart|in separate)\b",
        r"\btaking over\b",
        r"\bruin\w*\b",
        r"\bdrag \w+ (?:\w+ ){0,2}down\b",
        r"\ba danger to\b",
        r"\bnever care\b",
        r"\bniet meer (?:op|mee)\b",
        r"\bstuur \w+ \w+ terug\b",
        r"\bnot be allowed\b",
        r"\b(?:don't|do not|doesn't) belong\b",
        r"\b(?:go|send \w+ \w+) back\b",
        r"\bshould (?:go|stay away|leave)\b",
    )
)

# Calling a group animals, vermin or a disease.
DEHUMANISING = re.compile(
    r"\b"
    + _any(
        r"beesten",
        r"dieren",
        r"apen",
        r"ratten",
        r"kakkerlakken",
        r"parasieten",
        r"ongedierte",
        r"plaag",
        r"ziekte",
        r"tuig",
        r"uitschot",
        r"animals",
        r"parasites",
        r"vermin",
        r"rats",
        r"monkeys",
        r"apes",
    )
    + r"\b"
)

# Negative attributes a generalisation pins on a whole group.
ATTRIBUTE = re.compile(
    r"\b(?P<neg>(?:niet|geen|not|never|no) (?:\w+ )?)?"
    + _any(
        r"terroristen",
        r"dieven",
        r"criminelen",
        r"zuipers",
        r"lui",
        r"dom",
        r"achterlijk",
        r"gevaarlijk",
        r"vies",
        r"stinken",
        r"agressief",
        r"onruststokers",
        r"een last",
        r"uitkeringstrekkers?",
        r"minder slim",
        r"gestoord",
        r"ziek",
        r"stelen",
        r"pikken onze",
        r"op geld uit",
        r"verpesten",
        r"slechter",
        r"luidruchtig",
        r"agressiever",
        r"dommer",
        r"luier",
        r"onderdrukt",
        r"liegen",
        r"frauderen",
        r"ellende",
        r"bekeren",
        r"stoned",
        r"liars",
        r"terrorists",
        r"thieves",
        r"criminals",
        r"drunks",
        r"lazy",
        r"stupid",
        r"dirty",
        r"a burden",
        r"sick",
        r"after money",
        r"troublemakers",
        r"dangerous",
    )
    + r"\b"
)

THREAT = re.compile(
    _any(
        r"\bik weet waar (?:je|jij|u|jouw|uw) (?:\w+ )?"
        r"(?:woont|wonen|kinderen|kind|zoon|dochter|huis|auto)\b",
        r"\bweet ik (?:je|jou|u) (?:te )?(?:vinden|wonen)\b",
        r"\bik (?:zal|ga|kom) (?:je|jou|u) (?:\w+ )?(?:vinden|opzoeken)\b",
        r"\bi(?:'ll| will) find you\b",
        r"\b(?:opletten|uitkijken) als ik (?:jou|u) was\b",
        r"\b(?:jij|u) bent de volgende(?:$|, (?:meester|juf|directeur))",
        r"\b(?:en|of) (?:nog )?erger\b",
        r"\b(?:bij|voor) (?:je|jouw|uw) (?:voor)?deur\b",
        r"\b(?:je|jou|u) (?:iets|wat) aan(?:doen|doe)\b",
        r"\bpak slaag\b",
        r"\bbetter be careful\b",
        r"\bsomething bad will happen\b",
        r"\bmake sure you never\b",
        r"\bone way or another\b",
        r"\b(?:zorg (?:er ?voor|ervoor)|(?:er ?voor|ervoor) zorgen) dat (?:je|jij|u) (?:\w+ )?"
        r"(?:kapot|eraan|spijt|nooit)\b",
        r"\bals (?:je|jij|u) durft\b",
        r"\b(?:je|jij|u) (?:zal|zult) (?:je|jouw|uw) (?:kinderen|kind|zoon|dochter|familie) niet meer\b",
        r"\bin brand (?:steken|steek)\b",
        r"\bsteek (?:\w+ ){1,4}in brand\b",
        r"\b(?:ga|gaat) (?:jij|je|u) eraan\b",
        r"\bik (?:ga|zal) (?:je|jou|u) (?:\w+ ){0,2}(?:kapot|pijn doen|afmaken|doden|slaan)\b",
        r"\bi(?:'ll| will) be (?:at|outside) your (?:house|home|door)\b",
        r"\bwon't see it coming\b",
        r"\bmake your life (?:hell|miserable|a living hell)\b",
        r"\bik weet (?:welke auto|je adres|jouw adres|uw adres)\b",
        r"\bi know where (?:you|your) (?:live|kids|children|son|daughter)\b",
        r"\bi know (?:which car|your address)\b",
        r"\bpas (?:jij |u )?maar op\b",
        r"\bkijk (?:jij |u )?maar uit\b",
        r"\bwees (?:maar )?bang\b",
        r"\bwacht maar tot ik (?:je|jou|u)\b",
        r"\bik (?:sla|schiet|steek|breek|trap|maak|pak) (?:je|jou|u|die \w+) (?:\w+ ){0,2}?"
        r"(?:verrot|neer|dood|kapot|in elkaar|lens|uit|benen|armen|kop|hoofd|gezicht|tanden|nek)\b",
        r"\bik (?:sla|schiet|steek|trap|pak) (?:je|jou|u)$",
        r"\bik ga (?:je|jou|u) (?:pakken|slaan|krijgen)\b",
        r"\bik krijg (?:je|jou|u) nog\b",
        r"\bik zal (?:je|jou|u) (?:te grazen|krijgen|pakken)\b",
        r"\bik wacht (?:je|jou|u) (?:\w+ ){0,3}op\b",
        r"\b(?:je|jij|u) (?:krijgt|zult|gaat) (?:nog |hier |daar )*(?:klappen|spijt)\b",
        r"\bzul je het merken\b",
        r"\bongelukken gebeuren\b",
        r"\bwat je te wachten staat\b",
        r"\b(?:jouw|je|uw) kinderen zijn (?:ook )?niet veilig\b",
        r"\bvolgende keer (?:kom|sla|neem|breng) ik\b",
        r"\bin de fik\b",
        r"\bniet alleen naar huis\b",
        r"\bik kom eraan\b",
        r"\bje bent gewaarschuwd\b",
        r"\bwatch your back\b",
        r"\b(?:better|you) watch out\b",
        r"\byou(?:'ll| will) (?:regret|pay)\b",
        r"\bi(?:'ll| will| am going to|'m going to) (?:hurt|break|smash|burn|make you suffer|kill)\b",
        r"\bi(?:'m| am) going to get you\b",
        r"\bi(?:'ll| will) be waiting for you\b",
        r"\b(?:kids|children) (?:aren't|are not) safe\b",
        r"\bnext time i(?:'ll| will) bring\b",
    )
)

BODY = _any(
    r"kont\w*",
    r"tiet\w*",
    r"borsten",
    r"billen",
    r"lijf",
    r"lippen",
    r"benen",
    r"borstjes",
    r"figuur",
    r"figure",
    r"dijen",
    r"legs",
    r"thighs",
    r"ass",
    r"boobs",
    r"tits",
    r"butt",
    r"body",
)
SEXUAL = re.compile(
    _any(
        rf"\b(?:lekker\w*|mooie?|sexy|geile?|strakke?|nice|great|hot) (?:\w+ )?{BODY}\b",
        r"\bals (?:je|u) (?:snapt|begrijpt|weet) wat ik bedoel\b",
        r"\bif you know what i mean\b",
        r"\bstel (?:me|mij) (?:je|jou|u|de \w+) voor (?:in|zonder)\b",
        r"\bthinking about you in (?:the shower|bed|the bath)\b",
        r"\bheeft al (?:borstjes|borsten|tieten|tietjes)\b",
        r"\bkom je (?:een keer |eens )?bij mij thuis\b",
        rf"\b{BODY} (?:\w+ ){{0,3}}(?:lekker|sexy|geil|great|hot)\b",
        r"\b(?:betasten|aanraken|bevoelen) (?:\w+ )?$",
        r"\bi want to (?:touch|feel|kiss) you\b",
        r"\bpikante foto\b",
        r"\balleen jij en ik\b",
        r"\bsend (?:me )?nudes\b",
        r"\bnaakt zien\b",
        r"\b(?:see|seeing) you naked\b",
        r"\b(?:seks|sex) met\b",
        r"\b(?:have )?sex with\b",
        r"\bsamen naar bed\b",
        r"\bom te pakken\b",
        r"\bopgewonden\b",
        r"\bop (?:mijn|m'n) schoot\b",
        r"\bon my lap\b",
        r"\b(?:foto|picture|photo) (?:\w+ ){0,4}(?:ondergoed|underwear|bikini|lingerie)\b",
        r"\b(?:ondergoed|underwear|beha|bh) (?:eens |even )?(?:zien|laten zien)\b",
        r"\blaat (?:je|jouw) (?:beha|bh|ondergoed) (?:eens |even )?zien\b",
        r"\baan (?:je|jouw) (?:billen|kont|borsten) zitten\b",
        r"\bal zo rijp\b",
        r"\balready so developed\b",
        r"\bstrakke rokje\b",
        r"\bkan ik ervan genieten\b",
        r"\bmag ik je kussen\b",
        r"\byou look so sexy\b",
    )
)

# A listed word can be quoted rather than meant: a threat phrase in a laughing sentence is an idiom
# ("ik vermoord je bijna van het lachen"), a slur after "uitgescholden voor" is a parent reporting bullying.
MITIGATING = {
    "threats": re.compile(r"\b(?:van het lachen|haha\w*|hihi|lol)\b|😂|🤣"),
    "discrimination": re.compile(
        r"\b(?:uitgescholden (?:voor|met|als)|scheldwoord\w*|noemde (?:hem|haar|mijn \w+)|"
        r"called (?:him|her|my \w+)|racist names)\b"
    ),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _discriminates(sentence: str) -> bool:
    if not GROUP.search(sentence):
        return False
    if EXCLUSION.search(sentence) or DEHUMANISING.search(sentence):
        return True
    return any(not match.group("neg") for match in ATTRIBUTE.finditer(sentence))


def judge_sentence(sentence: str) -> frozenset[str]:
    """The categories one folded sentence breaks."""
    found = set()
    if _discriminates(sentence):
        found.add("discrimination")
    if THREAT.search(sentence):
        found.add("threats")
    if SEXUAL.search(sentence):
        found.add("sexual")
    return frozenset(found)


def sentences_of(text: str) -> list[str]:
    return [part.strip() for part in SENTENCE_END.split(_fold(text)) if part.strip()]


def judge(text: str) -> set[str]:
    """The categories the sentences of this text break."""
    found: set[str] = set()
    for sentence in sentences_of(text):
        found |= judge_sentence(sentence)
    return found


def mitigated(text: str, category: str) -> bool:
    """Whether a listed word of this category is quoted or an idiom here, not meant."""
    pattern = MITIGATING.get(category)
    return bool(pattern and pattern.search(_fold(text)))
