"""Whether two claims say the same thing: `match_score`, 0 (nothing in common) .. 1 (the same
claim). Pure text, no database: the claim page, the article page and the paraphrase set
(tests/matching/) all score with it.

Each text becomes a set of terms: its content words stemmed by the Snowball (Porter 2)
stemmer, with the words of one meaning made one term (`SYNONYMS`: "jail" and "prison",
"rose" and "increased", "a day" and "daily"; `PEOPLES`: "Britain", "British" and "UK").
The score is the cosine of the two sets (words of one family the stemmer keeps apart counting
a little less), then lowered when the texts disagree in
what tells claims on one topic apart: their figures ("one in five" is 20%, "half" is 50%,
"£350m" is 350 million), a negation ("no country buys more than China" is a superlative, not
one), or the direction of a change ("rose" / "fell")."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from .similarity import STOP_WORDS

# Words of one meaning, as one term (the first word of a group names it). Multi-word entries
# ("a day") are read before the words are cut.
SYNONYMS = [
    # Change and its direction (the direction itself is compared apart: _UP, _DOWN).
    "up rise rose risen rises raise raises raised increase increased increases grew grow grown "
    "growth higher soared surge surged jump jumped climbed climb gain gained boost boosted "
    "goes_up went_up gone_up",
    "down fall fell fallen falls decrease decreased decreases shrank shrink shrunk lower "
    "lowered reduce reduces reduced halved dropped drop drops plunged plunge declined decline "
    "declines slumped cut cuts lost",
    # Events the desk checks most (extraction/lexicon.py's arrests, deaths, abuse).
    "die died dies dying death deaths dead deceased kill killed kills killing fatal "
    "fatalities perish perished",
    "arrest arrested arrests detain detained detains detention taken_into_custody "
    "took_into_custody jailed",
    "prison prisons jail jails gaol",
    "prisoner prisoners inmate inmates detainee detainees",
    "protest protests demonstration demonstrations rally rallies march marches",
    "protester protesters demonstrator demonstrators marcher marchers",
    "soldier soldiers troops troop servicemen",
    "buy buys bought purchase purchases purchased import imports imported",
    "sell sells sold export exports exported",
    "child children kid kids pupil pupils schoolchildren",
    "vote votes voted voter voters ballot ballots cast_a_ballot cast_ballots turnout",
    "company companies firm firms business businesses",
    "unemployment unemployed jobless joblessness",
    "vape vapes vaping e-cigarette e-cigarettes",
    "cigarette cigarettes tobacco",
    "motorcycle motorcycles motorbike motorbikes motorcyclist motorcyclists",
    "driver drivers motorist motorists",
    "deforestation forest_clearing forest_loss",
    "richest wealthiest top_earners",
    "immigrant immigrants migrant migrants foreign-born immigration migration",
    "crime crimes offence offences offense offenses break_the_law",
    # Denying, one term ("denied UN allegations" restates "rejected UN claims"); a denial
    # also reads as a negation (`negated`), so "denied" and "admitted" are told apart.
    "deny denied denies denying reject rejected rejects rejecting refute refuted refutes "
    "dismiss dismissed dismisses",
    "cause causes caused lead_to leads_to led_to result_in results_in resulted_in",
    "spread spreads spreading transmit transmits transmitted transmission",
    "emission emissions emit emits emitted co2 carbon_dioxide",
    "waste wasted wastes thrown_away binned discarded",
    "pay paid pays earn earns earned salary salaries",
    "covid covid-19 coronavirus",
    "mast masts tower towers",
    "vehicle vehicles car cars",
    "profit profits earnings",
    "revenue revenues sales",
    "daily a_day every_day each_day per_day",
    "weekly a_week every_week each_week per_week",
    "yearly annually annual a_year every_year each_year per_year",
]
# Countries and their people: named entities, one term each.
PEOPLES = [
    "usa u.s. u.s.a. america american americans united_states",
    "uk britain british briton britons england english united_kingdom",
    "china chinese",
    "russia russian russians",
    "ukraine ukrainian ukrainians",
    "germany german germans",
    "france french",
    "turkey turkish turks",
    "brazil brazilian brazilians",
    "india indian indians",
    "japan japanese",
    "israel israeli israelis",
    "iran iranian iranians",
    "mexico mexican mexicans",
    "canada canadian canadians",
    "australia australian australians",
    "scotland scottish scots",
]
_UP_WORDS = frozenset(SYNONYMS[0].split())
_DOWN_WORDS = frozenset(SYNONYMS[1].split())
# Words common in claims on any topic, which say little about which claim it is.
_WEAK = frozenset(
    "more most less fewer than last year years every day today first time people new now "
    "per cent percent record highest lowest since said say says according".split()
)
# Words of grammar the shared stop list leaves in, and negations (compared apart: `negated`).
_GRAMMAR = frozenset(
    "do does did doing done not no nor never none nothing nobody you your yours me my us all "
    "any each can could should may might must shall about only just likely ends end ended "
    "up got get gets".split()
)
_NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor"})
# Verbs that deny or refuse what follows: as a negation for `negated` ("the ministry denied
# torture" against "the ministry admitted torture", "the house passed / rejected the bill").
_DENIALS = frozenset(
    "deny denied denies denying reject rejected rejects rejecting refute refuted refutes".split()
)
# A day of a month ("May 9", "9th of May"): a date, not a figure the claim asserts.
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY_OF_MONTH = re.compile(
    rf"\b{_MONTHS}\.?\s{{1,3}}\d{{1,2}}(?:st|nd|rd|th)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}}(?:of\s{{1,3}})?{_MONTHS}\b"
)
_WORD = re.compile(r"[\w$£€]+(?:[.'’][\w]+)*\.?|[\w]+(?:-[\w]+)+")
_PREFIX = 5  # letters compared of words the stemmer keeps apart ("migration", "migrants")
_PARTIAL = 0.8  # what such a pair counts for
_stemmer = snowballstemmer.stemmer("english")

_UNITS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS = {w: i for i, w in enumerate(_ONES)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}
NUMBER_WORDS["hundred"] = 100
# Shares in words, as percentages.
_SHARES = {"half": 50.0, "third": 100 / 3, "quarter": 25.0, "tenth": 10.0, "fifth": 20.0}
# Multiples in words ("doubled", "twice as many": 2) and spans ("a decade": 10 years).
_MULTIPLES = {
    "double": 2.0,
    "doubled": 2.0,
    "doubles": 2.0,
    "twice": 2.0,
    "triple": 3.0,
    "tripled": 3.0,
    "triples": 3.0,
    "threefold": 3.0,
    "decade": 10.0,
    "decades": 10.0,
    "dozen": 12.0,
}
_NUMBER = r"\d+(?:[.,]\d+)*|(?:" + "|".join(_TENS) + r")-(?:" + "|".join(_ONES[1:10]) + ")|"
_NUMBER += "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SMALL = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_FIGURE = re.compile(
    rf"\b(?:({_SMALL})\s+(?:in|out\s+of)\s+({_SMALL})\b"  # "one in five": a share
    rf"|(?:a|one)\s+({'|'.join(_SHARES)})\b"  # "a third"
    rf"|({_NUMBER})(?:\s*(bn|m|k|thousand|million|billion)\b)?)"
)


def _value(figure: str) -> float:
    if figure in NUMBER_WORDS:
        return float(NUMBER_WORDS[figure])
    if "-" in figure:  # "twenty-eight"
        tens, ones = figure.split("-")
        return float(NUMBER_WORDS[tens] + NUMBER_WORDS[ones])
    return float(figure.replace(",", ""))


@lru_cache(maxsize=4096)
def figures(text: str) -> frozenset[float]:
    """The figures of a text as numbers: "£350m", "350 million" and "350,000,000" agree, as do
    "four" and "4", "one in five" and "20%", "half" and "50%"."""
    found = set()
    lowered = _DAY_OF_MONTH.sub(" ", text.lower().replace("per cent", "percent"))
    for part, whole, share, figure, unit in _FIGURE.findall(lowered):
        if part and 0 < _value(part) < _value(whole):
            value = 100 * _value(part) / _value(whole)
        elif part:
            found.update((_value(part), _value(whole)))
            continue
        elif share:
            value = _SHARES[share]
        else:
            value = _value(figure) * _UNITS.get(unit, 1.0)
        found.add(round(value, 6))
    for word in re.findall(r"\b(half|" + "|".join(_MULTIPLES) + r")\b", lowered):
        found.add(_SHARES.get(word) or _MULTIPLES[word])
    return frozenset(found)


def _is_year(n: float) -> bool:
    return n.is_integer() and 1900 <= n <= 2100


def _same_figure(a: float, b: float) -> bool:
    return abs(a - b) <= 0.02 * max(abs(a), abs(b))  # "a third" and "33%"


def figures_agree(a: frozenset[float], b: frozenset[float]) -> float:
    """A factor for the texts' figures (years apart, which date a claim rather than make it):
    the same figures are strong evidence of the same claim, other figures of another claim, and
    a figure one text has and the other lacks, of a claim that says something more."""
    years_a, years_b = {n for n in a if _is_year(n)}, {n for n in b if _is_year(n)}
    if years_a and years_b and not years_a & years_b:
        return 0.5
    a, b = a - years_a, b - years_b
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.8  # a figure on one side only
    unmatched = [x for x in a if not any(_same_figure(x, y) for y in b)]
    unmatched += [y for y in b if not any(_same_figure(x, y) for x in a)]
    if len(unmatched) == len(a) + len(b):
        return 0.4
    return 0.7 if unmatched else 1.3


def _canonical() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    words, phrases = {}, {}
    for group in SYNONYMS + PEOPLES:
        entries = group.split()
        name = entries[0]
        for entry in entries:
            if "_" in entry:
                phrases[tuple(entry.split("_"))] = name
            else:
                words[entry] = name
    return words, phrases


_SYNONYM_OF, _PHRASES = _canonical()
_LONGEST_PHRASE = max(len(p) for p in _PHRASES)


def _stem(word: str) -> str:
    return _SYNONYM_OF.get(word) or _stemmed(word)


@lru_cache(maxsize=65536)
def _stemmed(word: str) -> str:
    stem = _stemmer.stemWord(word)
    return _SYNONYM_OF.get(stem, stem)


def _words(text: str) -> list[str]:
    """The words of `text`, lower-cased; "US" (not "us") as "usa"."""
    out = []
    for match in _WORD.finditer(text.replace("’", "'")):
        word = match.group().rstrip(".")
        out.append("usa" if word in ("US", "U.S", "USA", "U.S.A") else word.lower())
    return out


@lru_cache(maxsize=4096)
def terms(text: str) -> frozenset[str]:
    """The text's terms: its content words, stemmed, one term per meaning."""
    words = _words(text)
    out = set()
    i = 0
    while i < len(words):
        for size in range(_LONGEST_PHRASE, 1, -1):
            name = _PHRASES.get(tuple(words[i : i + size]))
            if name:
                out.add(name)
                i += size
                break
        else:
            word = words[i]
            i += 1
            parts = [word] if word in _SYNONYM_OF else word.split("-")
            out.update(_stem(part) for part in parts if _content(part))
    return frozenset(out)


def _content(word: str) -> bool:
    if word in STOP_WORDS or word in _WEAK or word in _GRAMMAR or word.endswith("n't"):
        return False
    if word in _UNITS or word in NUMBER_WORDS or word in _SHARES or word in _MULTIPLES:
        return False
    return bool(word) and not word[0].isdigit() and word[0] not in "$£€" and len(word) > 1


@lru_cache(maxsize=4096)
def negated(text: str) -> bool:
    """Whether the text denies: "not", "never", "n't"… but not "no country buys more than
    China", which is a superlative ("more than any other")."""
    words = _words(text)
    if any(w in ("no", "nobody", "none") for w in words) and " than " in f" {text.lower()} ":
        words = [w for w in words if w not in ("no", "nobody", "none")]
    return any(w in _NEGATIONS or w in _DENIALS or w.endswith("n't") for w in words)


@lru_cache(maxsize=4096)
def direction(text: str) -> int:
    """+1 when the text says something went up, -1 down, 0 neither or both."""
    words = _words(text)
    ups = sum(w in _UP_WORDS for w in words)
    downs = sum(w in _DOWN_WORDS for w in words)
    return (ups > downs) - (downs > ups)


def match_score(a: str, b: str) -> float:
    """0 (nothing in common) .. 1 (the same claim, word for word)."""
    x, y = terms(a), terms(b)
    if not x or not y:
        return 0.0
    shared = len(x & y)
    # Words of one family the stemmer keeps apart ("migration", "migrants"): by their first
    # letters, for a little less.
    rest_x = {t[:_PREFIX] for t in x - y if len(t) > _PREFIX}
    rest_y = {t[:_PREFIX] for t in y - x if len(t) > _PREFIX}
    score = (shared + _PARTIAL * len(rest_x & rest_y)) / (len(x) * len(y)) ** 0.5
    score *= figures_agree(figures(a), figures(b))
    if negated(a) != negated(b):
        score *= 0.4
    direction_a, direction_b = direction(a), direction(b)
    if direction_a and direction_b and direction_a != direction_b:
        score *= 0.5
    return round(min(score, 1.0), 3)
