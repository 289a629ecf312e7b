"""Word lists the extractor reasons with. Generic newsroom vocabulary only: nothing here may name
a person, place or outlet from a particular article."""

from __future__ import annotations

import re


def words(pattern_list: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern from a space-separated list (`_` is a space)."""
    alternatives = sorted(
        (w.replace("_", r"\s+") for w in pattern_list.split()), key=len, reverse=True
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


# What happened to people: the event types a desk checks first.
EVENT_TYPES: dict[str, re.Pattern[str]] = {
    "arrest": words(
        r"arrest arrests arrested arresting detain detains detained detaining detention detentions"
        r" detainees round(?:ed|ing)?_up rounded-up abduct abducted abducting abduction"
        r" abductions jailed imprisoned imprisonment custody apprehended kidnapped kidnapping"
        r" held_without_charge"
    ),
    "abuse": words(
        r"torture tortured torturing tortures beat beaten beating beatings struck hospitalized"
        r" hospitalised fractures fractured abused abuse abuses"
        r" mistreated mistreatment assaulted assault raped rape flogged whipped ill-treated"
        r" ill-treatment brutalised brutalized injured injuries wounded"
    ),
    "death": words(
        r"kill killed killing killings murder murdered murders murdering dead death deaths died die"
        r" dying buried death_toll fatalities fatality fatal executed execution executions slain"
        r" homicide casualties casualty lost_their_lives bodies"
    ),
}

# Decisions and acts of institutions: resolutions, votes, signatures, rulings, budgets.
OFFICIAL_ACTION = words(
    r"introduce introduced introduces introducing sponsor sponsored sponsors co-sponsored"
    r" cosponsored sign signed signs signing signed_onto condemn condemned condemns condemning"
    r" call(?:s|ed)?_on pass passed passes approve approved approves vote voted votes adopt adopted"
    r" adopts enact enacted announce announced announces allocate allocated allocates earmarked"
    r" set(?:s)?_aside eliminate eliminates eliminated"
    r" propose proposed proposes ban banned sanction sanctioned sanctions ordered ruled"
    r" sentenced convicted acquitted indicted charged charges fined"
    r" appointed resigned dismissed vetoed ratified awarded cut cuts raised raises increased"
    r" reduced pledged committed_to funded budgeted launched opened_an_investigation"
)
# Nouns that make a clause about an institution's act even without one of the verbs above.
OFFICIAL_NOUNS = words(r"resolution resolutions bill legislation decree verdict ruling budget")

# Someone in a position to deny: governments, their officials, police, courts, armies.
AUTHORITY = words(
    r"government governments ministry minister ministers spokesman spokeswoman spokesperson"
    r" official officials authorities authority police court courts prosecutor"
    r" prosecutors prosecution army military department agency administration president"
    r" governor mayor council legislature judge cabinet parliament congress senate lawmakers"
    r" chancellor ambassador commissioner sheriff state_media embassy regime"
)
DENIAL_VERB = words(
    r"deny denies denied denying denial rejected dispute dismissed_(?:the|as) refuted refutes"
    r" disputed disputes fabricated baseless unfounded untrue propaganda lies slander"
)
NEGATION = words(r"not no never none nothing nobody n't neither nor any_evidence")

NUMBER = re.compile(
    r"\b\d[\d,.]*\b|(?<![\w-])(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|twenty|thirty|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion"
    r"|billions|dozen|dozens|scores|percent|per_cent|half|third|quarter|double|doubled"
    r"|tripled)(?![\w-])".replace("_", r"\s+"),
    re.IGNORECASE,
)
TIME = words(
    r"january february april june july august september october november december"
    r" monday tuesday wednesday thursday friday saturday sunday yesterday last_week last_month"
    r" last_year this_year over_the_last since weeks months years month week"
)
TIME_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# Opinion, exhortation and prediction: a call to act is not a checkable statement of fact.
OPINION = words(
    r"must should ought needs_to need_to can cannot can't hope hopes believe believes"
    r" long_past_time clear_message urge urges urged we_are_witnessing"
)
FIRST_PERSON = words(r"i we we've we’ve i've i’ve our us my")

# Reporting verbs and the like, for attributions.
SPEECH_VERBS = (
    r"said|says|say|added|adds|told|tells|stated|states|reported|reports|wrote|writes|announced"
    r"|announces|confirmed|confirms|claimed|claims|insisted|insists|denied|denies|explained"
    r"|testified|declared|argued|warned|noted|alleged|alleges|acknowledged|admitted|maintained"
    r"|maintains|estimated|estimates|rejected|rejects|disputed|disputes"
)
# Titles that precede a name and are not part of it.
TITLES = frozenset(
    """u.s. us rep. rep sen. sen del. del gov. gov dr. dr mr. mr mrs. mrs ms. ms prof. prof
    gen. lt. col. capt. sgt. president vice prime minister chancellor ambassador
    secretary judge justice senator representative congressman congresswoman governor
    mayor spokesman spokeswoman chief officer inspector detective sheriff attorney
    general former then delegate councilman councilwoman commissioner lord lady sir""".split()
)
PRONOUNS = frozenset({"he", "she", "they"})
