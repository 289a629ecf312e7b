"""The demo data's vocabulary: accounts, how claims spread over statuses, types and ratings,
and the names, places and sentences their texts are made of (`Words` fills the templates)."""

from __future__ import annotations

import random
from typing import Any

from factcheck.vocabulary import ClaimOrigin
from factcheck.workflow.states import ClaimStatus, ClaimType, Rating, Role, SourceKind, Stance

DEMO_PASSWORD = "walnut lantern harbour"  # noqa: S105 -- every demo account's password, on purpose
ORIGIN = ClaimOrigin.DEMO.value  # a plain str: planned rows go between processes by marshal

# (role, how many); usernames are demo-<role>-NN.
DEMO_ROLES: tuple[tuple[Role, int], ...] = ((Role.REVIEWER, 20), (Role.EDITOR, 8), (Role.ADMIN, 2))

# How the generated claims spread over the statuses (every status occurs).
STATUS_WEIGHTS: dict[ClaimStatus, int] = {
    ClaimStatus.UNREVIEWED: 15,
    ClaimStatus.RESEARCHING: 25,
    ClaimStatus.IN_REVIEW: 15,
    ClaimStatus.PUBLISHED: 35,
    ClaimStatus.NOT_CHECKABLE: 10,
}
TYPE_WEIGHTS: dict[ClaimType, int] = {
    ClaimType.ARREST: 4,
    ClaimType.ABUSE: 4,
    ClaimType.DEATH: 2,
    ClaimType.DENIAL: 3,
    ClaimType.OFFICIAL_ACTION: 4,
    ClaimType.OTHER: 3,
}
RATING_WEIGHTS: dict[Rating, int] = {
    Rating.TRUE: 10,
    Rating.MOSTLY_TRUE: 10,
    Rating.MIXED: 6,
    Rating.MOSTLY_FALSE: 6,
    Rating.FALSE: 7,
    Rating.MISLEADING: 6,
    Rating.UNPROVEN: 5,
}
HISTORY_SPAN_DAYS = 540  # claims are created over the last year and a half


def weighted(weights: dict[Any, int]) -> tuple[Any, ...]:
    """A population in which each value occurs `weight` times: `rng.choice` on it is a weighted
    choice, and much cheaper than `rng.choices` for millions of draws."""
    return tuple(value for value, weight in weights.items() for _ in range(weight))


STATUSES = weighted(STATUS_WEIGHTS)
TYPES = weighted(TYPE_WEIGHTS)
RATINGS = weighted(RATING_WEIGHTS)
STANCES = weighted({Stance.SUPPORTS.value: 5, Stance.REFUTES.value: 3, Stance.CONTEXT.value: 2})
RELIABILITIES = weighted({1: 1, 2: 2, 3: 4, 4: 5, 5: 3})
PRIORITIES = weighted({1: 1, 2: 3, 3: 5, 4: 3, 5: 1})
# How many sources / comments each kind of claim gets, at each point of its life.
SOURCES_UNWORKED = weighted({0: 2, 1: 3, 2: 3, 3: 2})
SOURCES_FIRST = weighted({1: 1, 2: 3, 3: 4, 4: 3, 5: 1})
SOURCES_AFTER_RETURN = weighted({0: 2, 1: 3, 2: 1})
SOURCES_AFTER_REOPEN = weighted({0: 1, 1: 3, 2: 1})
COMMENTS_UNWORKED = weighted({0: 2, 1: 3, 2: 3, 3: 2, 4: 1})
COMMENTS_WORKED = weighted({0: 1, 1: 2, 2: 3, 3: 3, 4: 3, 5: 2, 6: 1, 7: 1})


FIRST_NAMES = (
    "Amina Boris Chen Dana Elif Farid Greta Hugo Ines Jonas Katya Luis Mira Nadia Omar Pavel "
    "Quinn Rosa Samir Tamar Uma Viktor Wen Yara Zeynep Aleksei Beatriz Chiara Dmitri Emeka"
).split()
LAST_NAMES = (
    "Abbott Bauer Castillo Demir Evans Fischer Garcia Haddad Ivanova Jensen Kowalski "
    "Lindqvist Moreau Novak Okafor Petrov Quispe Rahman Santos Tanaka Usman Vasquez Weber "
    "Yilmaz Zhang"
).split()
PUBLISHERS = (
    ("The Daily Ledger", "dailyledger.example.com"),
    ("Caucasus Monitor", "caucasus-monitor.example.org"),
    ("Northern Herald", "northernherald.example.com"),
    ("Metro Observer", "metro-observer.example.net"),
    ("Regional Wire", "regionalwire.example.com"),
    ("The Evening Post", "eveningpost.example.co.uk"),
    ("Open Record", "openrecord.example.org"),
    ("Civic Times", "civictimes.example.com"),
)
SOURCE_SITES = (
    ("Human Rights Observatory", "hro.example.org", SourceKind.NGO_REPORT),
    ("Ministry of Internal Affairs", "mvd.example.gov", SourceKind.OFFICIAL_STATEMENT),
    ("Office of the Prosecutor", "prosecutor.example.gov", SourceKind.OFFICIAL_STATEMENT),
    ("Regional Court Registry", "courts.example.gov", SourceKind.PRIMARY_DOCUMENT),
    ("Open Data Portal", "data.example.gov", SourceKind.DATASET),
    ("Amnesty Desk", "amnesty-desk.example.org", SourceKind.NGO_REPORT),
    ("Wire Service", "wire.example.com", SourceKind.NEWS_REPORT),
    ("Investigative Collective", "investigations.example.net", SourceKind.NEWS_REPORT),
    ("Parliament Records", "parliament.example.gov", SourceKind.PRIMARY_DOCUMENT),
    ("Statistics Bureau", "stats.example.gov", SourceKind.DATASET),
    ("Radio Free Interview Archive", "interviews.example.org", SourceKind.INTERVIEW),
    ("Community Forum", "forum.example.net", SourceKind.OTHER),
)
PLACES = (
    "Grozny Argun Gudermes Shali Urus-Martan Nazran Makhachkala Vladikavkaz Nalchik Kizlyar "
    "Khasavyurt Magas Beslan Derbent Cherkessk"
).split()
OFFICIALS = (
    "the regional governor",
    "the interior minister",
    "the head of the republic",
    "a police spokesperson",
    "the prosecutor's office",
    "the federal ombudsman",
    "a presidential envoy",
    "the city administration",
    "a senior security official",
    "the health ministry",
)
GROUPS = (
    "activists",
    "journalists",
    "students",
    "local residents",
    "human-rights workers",
    "opposition supporters",
    "lawyers",
    "relatives of the detained",
    "migrant workers",
    "religious leaders",
)
ORGS = (
    "the UN Human Rights Council",
    "the Council of Europe",
    "the OSCE",
    "the European Parliament",
    "a parliamentary committee",
    "the Supreme Court",
    "the regional legislature",
    "the national election commission",
)
TOPICS = ("detentions", "protests", "elections", "public health", "press freedom", "policing")

CLAIM_TEMPLATES: dict[ClaimType, tuple[tuple[str, str], ...]] = {
    # (quote as it appears in the article, the checkable claim paraphrased)
    ClaimType.ARREST: (
        (
            "Police detained at least {n} {group} in {place} during the night of {day}.",
            "At least {n} {group} were detained in {place} on {day}.",
        ),
        (
            "More than {n} {group} have been held without charge in {place} since {month}.",
            "Over {n} {group} have been held without charge in {place} since {month}.",
        ),
        (
            "Security forces arrested {n} {group} at a checkpoint outside {place}.",
            "{n} {group} were arrested at a checkpoint near {place}.",
        ),
    ),
    ClaimType.ABUSE: (
        (
            "Former detainees say they were beaten and given electric shocks in a facility "
            "near {place}.",
            "Detainees were tortured in a detention facility near {place}.",
        ),
        (
            "At least {n} {group} reported ill-treatment in custody in {place} this {season}.",
            "{n} {group} were ill-treated in custody in {place} this {season}.",
        ),
        (
            "Witnesses described {group} being forced to record public apologies in {place}.",
            "{group_cap} in {place} were coerced into recording public apologies.",
        ),
    ),
    ClaimType.DEATH: (
        (
            "{n} people have died in custody in {place} since {month}, according to relatives.",
            "{n} people died in custody in {place} since {month}.",
        ),
        (
            "A {group_one} from {place} was found dead two days after being detained.",
            "A detained {group_one} from {place} died within two days of arrest.",
        ),
    ),
    ClaimType.DENIAL: (
        (
            "{official_cap} said there were no detentions of {group} in {place}.",
            "{official_cap} denied that any {group} were detained in {place}.",
        ),
        (
            '{official_cap} called the reports from {place} "complete fabrications".',
            "{official_cap} dismissed the reports from {place} as fabricated.",
        ),
        (
            "{official_cap} insisted that nobody in {place} had been harmed.",
            "{official_cap} claimed nobody in {place} was harmed.",
        ),
    ),
    ClaimType.OFFICIAL_ACTION: (
        (
            "{org_cap} adopted a resolution on {topic} in the region by {n} votes.",
            "{org_cap} passed a resolution on {topic} with {n} votes in favour.",
        ),
        (
            "{official_cap} announced an investigation into {topic} in {place} on {day}.",
            "{official_cap} opened an investigation into {topic} in {place}.",
        ),
        (
            "{org_cap} called on the authorities to release {n} detained {group}.",
            "{org_cap} demanded the release of {n} detained {group}.",
        ),
    ),
    ClaimType.OTHER: (
        (
            "Turnout in {place} reached {pct} per cent, the highest in the country.",
            "Turnout in {place} was {pct}%, the highest nationally.",
        ),
        (
            "Spending on {topic} in {place} has risen by {pct} per cent in two years.",
            "{place} increased spending on {topic} by {pct}% over two years.",
        ),
        (
            "A survey found that {pct} per cent of residents of {place} distrust the police.",
            "{pct}% of {place} residents distrust the police, a survey found.",
        ),
    ),
}
FILLER_SENTENCES = (
    "The claims could not be independently verified.",
    "Officials did not respond to requests for comment.",
    "The situation in the region has drawn growing international attention.",
    "Rights groups have documented similar cases in previous years.",
    "Lawyers for several of the families declined to speak on the record.",
    "The account is consistent with testimony gathered by local reporters.",
    "The ministry said it would publish its own figures next month.",
    "Several witnesses asked not to be named, citing fears for their safety.",
    "Independent observers were not allowed to visit the facility.",
    "The reports prompted calls for an international inquiry.",
    "Local media have largely ignored the story.",
    "Diplomats raised the issue at a meeting in Geneva.",
)
TITLE_TEMPLATES = (
    "Reports of {topic} crackdown in {place} draw international concern",
    "{place}: families describe {topic} and fear",
    "Officials deny new allegations from {place}",
    "Inside the {topic} controversy in {place}",
    "What we know about the {place} {topic} reports",
    "{org_cap} weighs response to events in {place}",
)
MONTHS = (
    "January February March April May June July August September October November December"
).split()
SEASONS = ("spring", "summer", "autumn", "winter")
NOT_CHECKABLE_REASONS = (
    "Opinion, not a factual claim.",
    "A prediction about the future; nothing to check yet.",
    "Too vague to verify: no place, date or number given.",
    "Relies entirely on anonymous testimony we cannot reach.",
    "Duplicate of another claim in this article.",
)
RETURN_REASONS = (
    "The rationale relies on a single source; find a second, independent one.",
    "The rating seems too strong for the evidence. Consider 'mostly true'.",
    "Please add the official response before we publish.",
    "The numbers in the summary do not match the cited report.",
    "Archive the primary sources first.",
)
CORRECTION_NOTES = (
    "New official figures changed the count; the rating is under review.",
    "A reader pointed out that the cited report was later revised.",
    "The original verdict misattributed a quote; corrected after review.",
    "Additional evidence has come to light; reopened for research.",
)
COMMENTS = (
    "I have reached out to the ministry's press office.",
    "There is a court filing that may confirm this; checking.",
    "The NGO report has the same figure, but it cites the article itself.",
    "Can someone with Russian check the original statement?",
    "Archived the page in case it changes.",
    "Two of the sources are the same wire story; counting them once.",
    "The date in the quote looks off by a week.",
    "Good catch, updating the rationale.",
    "Priority raised: this is being shared widely.",
    "Spoke to a lawyer for one family; they confirm the detention.",
    "The official denial was made on state television, transcript attached as a source.",
    "Waiting for the statistics bureau to answer.",
)
SUMMARIES: dict[Rating, tuple[str, ...]] = {
    Rating.TRUE: ("Documented by several independent sources.", "Confirmed by official records."),
    Rating.MOSTLY_TRUE: (
        "Broadly accurate; the exact figure is slightly lower.",
        "Accurate, but omits some context.",
    ),
    Rating.MIXED: ("Partly supported; key details are disputed.",),
    Rating.MOSTLY_FALSE: ("Contains a grain of truth but the main point is wrong.",),
    Rating.FALSE: (
        "Contradicted by the available records.",
        "No evidence supports this; the records show otherwise.",
    ),
    Rating.MISLEADING: ("Technically accurate but presented out of context.",),
    Rating.UNPROVEN: ("There is not enough evidence either way.",),
}
RATIONALE = (
    "We compared the statement with {k} sources, including {src}. "
    "{stance_note} The claimant did not respond to our request for comment."
)


class Words(dict[str, Any]):
    """Template words, drawn when a template first asks for them (`str.format_map`)."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> Any:
        rng = self.rng
        if key == "n":
            value: Any = rng.choice((3, 5, 7, 12, 15, 20, 26, 40, 60, 100, 150, 300))
        elif key == "pct":
            value = rng.randint(12, 97)
        elif key == "group":
            value = rng.choice(GROUPS)
        elif key == "group_cap":
            value = self["group"][0].upper() + self["group"][1:]
        elif key == "group_one":
            value = self["group"].rstrip("s").replace("relatives of the detained", "relative")
        elif key == "place":
            value = rng.choice(PLACES)
        elif key == "official_cap":
            official = rng.choice(OFFICIALS)
            value = official[0].upper() + official[1:]
        elif key == "org_cap":
            org = rng.choice(ORGS)
            value = org[0].upper() + org[1:]
        elif key == "topic":
            value = rng.choice(TOPICS)
        elif key == "day":
            value = f"{rng.randint(1, 28)} {rng.choice(MONTHS)}"
        elif key == "month":
            value = rng.choice(MONTHS)
        elif key == "season":
            value = rng.choice(SEASONS)
        else:
            raise KeyError(key)
        self[key] = value
        return value
