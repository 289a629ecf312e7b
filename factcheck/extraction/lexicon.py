"""Word lists the extractor reasons with. Generic newsroom vocabulary only: nothing here may name
a person, place or outlet from a particular article."""

from __future__ import annotations

import re

from .budget import spend
from .wordlists import Hit, WordList, _variants, single_words, words
from .wordlists import found_in as found_in  # the extractor's modules import it from here

# What happened to people: the event types a desk checks first.
EVENT_TYPES: dict[str, re.Pattern[str]] = {
    "arrest": words(
        r"arrest arrests arrested arresting detain detains detained detaining detention detentions"
        r" detainees round(?:ed|ing)?_up rounded-up abduct abducted abducting abduction"
        r" abductions jailed imprisoned imprisonment custody apprehended kidnapped kidnapping"
        r" picked_up"
        r" solitary_confinement incommunicado behind_bars disappeared disappearing disappearance"
        r" disappearances inmates internment re-education_camp re-education_camps detention_camp"
        r" detention_camps internment_camp internment_camps"
        r" held_without_charge raid raids taken_away"
    ),
    "abuse": words(
        r"torture tortured torturing tortures beat beaten beating beatings struck hospitalized"
        r" hospitalised fractures fractured abused abuse abuses"
        r" mistreated mistreatment assaulted assault raped rape flogged whipped ill-treated"
        r" shackled shackling persecuted persecuting persecution"
        r" ill-treatment brutalised brutalized injured injuries wounded bruises bruised bruising"
        r" kicked kicking punched punching"
        r" broken_(?:ribs|rib|bones|bone|arm|arms|leg|legs|jaw|nose|skull|fingers)"
    ),
    "death": words(
        r"kill killed killing killings murder murdered murders murdering dead death deaths died die"
        r" dying buried death_toll fatalities fatality fatal executed execution executions slain"
        r" homicide casualties casualty lost_their_lives bodies to_death custody_deaths"
        r" custody_death unable_to_revive could_not_be_revived failed_to_revive"
        r" found_hanged found_unresponsive"
        # A body handed over, collected or found: "told to pick up his body".
        r" (?:pick|picked|collect|collected|receive|received|retrieve|retrieved|claim)"
        r"_(?:up_)?(?:his|her|their|the)_bod(?:y|ies) bod(?:y|ies)_(?:was|were)_(?:found|returned)"
    ),
}

# The same events as verbs (past tense, participle, third person): what a statement asserts
# happened, as opposed to a noun that names an event ("detainees", "the torture of"). A statement's
# main predicate decides its type; of several, the gravest outcome (GRAVITY) wins.
EVENT_VERBS: dict[str, str] = {
    **dict.fromkeys(
        """arrested detained abducted jailed imprisoned apprehended kidnapped incarcerated
        handcuffed interned disappeared disappearing""".split(),
        "arrest",
    ),
    **dict.fromkeys(
        """tortured beaten beat struck hospitalized hospitalised abused
        mistreated assaulted raped flogged whipped ill-treated maltreated brutalised brutalized
        injured wounded fractured shot electrocuted kicked punched shackled chained persecuted
        persecuting""".split(),
        "abuse",
    ),
    **dict.fromkeys(
        """killed kills murdered died dies executed slain buried drowned strangled assassinated
        perished""".split(),
        "death",
    ),
}
# Every single event word, noun or verb, and its type: "disappearances, torture and killings".
EVENT_WORDS: dict[str, str] = {
    **{word: kind for kind, listed in EVENT_TYPES.items() for word in single_words(listed)},
    **EVENT_VERBS,
}
# Verbs whose meaning needs the next word: "rounded up", "shot dead", "held incommunicado".
EVENT_PHRASES: dict[tuple[str, str], str] = {
    ("rounded", "up"): "arrest",
    ("locked", "up"): "arrest",
    ("picked", "up"): "arrest",
    ("released", "after"): "arrest",  # released after a week in a camp
    ("released", "from"): "arrest",
    ("held", "without"): "arrest",
    ("held", "incommunicado"): "arrest",
    ("held", "for"): "arrest",  # held for three days, for questioning
    ("taken", "into"): "arrest",  # taken into custody
    ("taken", "away"): "arrest",
    ("shot", "dead"): "death",
    ("found", "dead"): "death",
    ("reported", "dead"): "death",
    ("declared", "dead"): "death",
    ("pronounced", "dead"): "death",
    ("beaten", "to"): "death",  # beaten to death
    ("tortured", "to"): "death",
    ("subjected", "to"): "abuse",  # subjected to torture, to beatings
}
# After one of these nouns and "that", the events are what someone alleges, not what the
# statement asserts: "police are investigating accusations that officers beat him" is the
# investigation.
HEARSAY_NOUNS = frozenset(
    """accusations accusation allegations allegation claims claim reports report rumours rumors
    complaints complaint""".split()
)
# "held" is an arrest when one of these follows within four words ("held in a police station",
# "being held in camps", "held by the security services"), not in "held a meeting".
CUSTODY_WORDS = frozenset(
    """custody detention prison prisons jail jails cell cells camp camps police station
    stations captivity incommunicado isolation facility facilities security""".split()
)
GRAVITY = {"arrest": 1, "abuse": 2, "death": 3}
# Words that sit between a subject and its verb: helpers and adverbs ("have also been").
VERB_HELPERS = frozenset(
    """is are was were be been being has have had also not never even reportedly allegedly
    later then all both already still just repeatedly previously brutally severely badly
    unlawfully illegally arbitrarily""".split()
)
# Before a verb's helpers, these make it part of a relative clause (it describes a noun, it is
# not what the statement asserts): "men who were detained", "the jail where two died".
RELATIVE_WORDS = frozenset("""who whom which that where whose""".split())
# Subordinators of background clauses: "suffered injuries shortly before they died" asserts
# the injuries; the death is known.
BACKGROUND_WORDS = frozenset("""before after when since once while""".split())
# Before an -ed word, these make it an adjective ("the detained men"), not a verb.
DETERMINERS = frozenset(
    """the a an this that these those his her its their our my your of for by with from
    about against""".split()
)

# Finite verbs a statement needs (helpers, modals and common irregular pasts): a text with none
# of them, no -ed word and no present-tense verb is a description, not a statement.
FINITE_VERBS = frozenset(
    """is are was were am has have had will would can could should may might must shall do does
    did isn't aren't wasn't weren't hasn't haven't hadn't won't wouldn't can't couldn't don't
    doesn't didn't cannot 's 're 've said says say told tells took takes gave gives found finds
    made makes held holds beat struck shot fled left went goes came comes saw sees won lost led
    kept put set sent spent met paid sold brought built began became fought thought knew ran
    rose fell grew drew wrote spoke broke stole chose hid sat stood understood taught caught
    bought sought meant felt dealt got gets remain remains heard hung hit hurt threw thrown
    drove driven gave given taken forgot flew swore shook tore torn bound bled fed lay laid
    shut slept spread stuck swept tied""".split()
)
# Present-tense verbs of reporting and disputing, which a plural subject uses bare ("groups
# dispute that account").
# Of these, those whose third person is a verb, not a noun ("denies", not "reports" or "claims").
DISPUTING_VERBS = frozenset("""deny dispute reject insist allege accuse blame confirm""".split())
BARE_VERBS = frozenset(
    """say deny dispute reject claim insist allege accuse believe know want need remain
    report confirm estimate argue fear demand call urge expect plan hold face blame""".split()
)
# After a present-tense verb ("adds 150", "relies on", "condemns the"), rarely after a noun.
VERB_OBJECT_STARTS = frozenset(
    """the a an his her its their this that these those to on no it them him up out about for
    with aside more less all every our my your us me you some any many money""".split()
)
# Decisions and acts of institutions: resolutions, votes, signatures, rulings, budgets.
OFFICIAL_ACTION = words(
    _OFFICIAL_LIST
    := r"introduce introduced introduces introducing sponsor sponsored sponsors co-sponsored"
    r" cosponsored sign signed signing signed_onto condemn condemned condemns condemning"
    r" call(?:s|ed)?_on pass passed passes approve approved approves vote voted votes adopt adopted"
    r" adopts enact enacted announce announced announces allocate allocated allocates earmarked"
    r" set(?:s)?_aside eliminate eliminates eliminated"
    r" propose proposed proposes ban banned sanction sanctioned sanctions ordered ruled"
    r" sentenced convicted acquitted indicted charged charges fined suspended suspends"
    r" prosecute prosecuted charge_(?:him|her|them|the|any|anyone)"
    r" appointed resigned dismissed vetoed ratified awarded cut cuts raised raises increased"
    r" reduced pledged committed_to funded budgeted launched opened_an_investigation"
    r" investigate investigates investigated investigating denounce denounces denounced"
    r" denouncing referred_(?:the|a|his|her|their)_(?:case|matter|death|deaths) call(?:s|ed)?_for"
    r" urged"  # "the panel urged China to release them": a reported appeal, an act
)
# The first words of those entries, to tell a statement's main verb from a participle after it
# ("calls on the government to release reporters held without charge" is an official act).
OFFICIAL_WORDS = frozenset(
    variant.split("_")[0] for entry in _OFFICIAL_LIST.split() for variant in _variants(entry)
) - {"charge"}  # "detained without charge and beaten": no act
# Nouns that make a clause about an institution's act even without one of the verbs above.
OFFICIAL_NOUNS = words(
    r"resolution resolutions bill legislation decree verdict ruling budget"
    # An inquiry into a death is the act of whoever holds it, not the death.
    r" investigation investigations inquiry inquiries inquest inquests probe autopsy autopsies"
    r" post-mortem criminal_case criminal_cases"
)

# Someone in a position to deny: governments, their officials, police, courts, armies.
AUTHORITY = words(
    r"government governments ministry minister ministers spokesman spokeswoman spokesperson"
    r" official officials authorities authority police court courts prosecutor"
    r" prosecutors prosecution army military department agency administration president"
    r" governor mayor council legislature judge cabinet parliament congress senate lawmakers"
    r" chancellor ambassador commissioner sheriff state_media embassy regime coroner coroners"
    r" procuratorate procurator"
)
DENIAL_VERB = words(
    r"deny denies denied denying denial denials rejected reject rejects rejecting dispute"
    r" dismiss dismisses dismissing"
    r" dismissed_(?:the|a|an|as|these|those|such|it|them|reports?|claims?|allegations?|accounts?)"
    r" downplay downplays downplayed downplaying play(?:s|ed)?_down refuted refutes refute"
    r" rebutted rebuts disputed disputes fabricated fabrication fabrications baseless unfounded"
    r" groundless untrue propaganda lies a_lie slander smear disinformation misinformation"
    r" provocation provocations slanderous hoax distorted distortion"
    r" distortions nothing_of_the_(?:kind|sort) nothing_like_that"
    r" fake_news nonsense (?:is|are|was|were|as|entirely|completely|totally)_false"
    r" no_such no_truth not_true never_happened did_not_happen didn't_happen no_basis"
    r" without_foundation (?:could|can|would|might)_not_have (?:could|can|would)n't_have"
    r" cannot_have cannot_be could_not_be can't_be impossible"
    # Modal negation of the reported act itself: "police cannot detain men who do not exist".
    r" (?:cannot|can't|can’t)_(?:arrest|detain|repress|persecute|torture|beat|kill|abuse|jail)"
    r" (?:do|does|did)_not_exist (?:don|doesn|didn)(?:'|’)t_exist"
)
# An authority's other explanation of a death or an injury is a denial of the account it answers.
# Detention camps called schools: whoever says so explains the detentions away.
SCHOOLING = words(
    r"vocational (?:training|education|boarding)_(?:centre|centres|centers|school|schools)"
)
COUNTER_EXPLANATION = words(
    r"natural_causes heart_failure heart_attack cardiac_arrest suicide suicides"
    r" killed_(?:himself|herself|themselves) took_(?:his|her|their)_own_li(?:fe|ves)"
    r" hanged_(?:himself|herself) illness ill_health pre-existing_condition"
    r" pre-existing_conditions underlying_condition accident accidental accidentally overdose"
    r" fell_(?:down|from|ill|over) fallen_(?:down|from|ill|over) slipped_and_fell"
    r" resisted_arrest resisting_arrest pneumonia tuberculosis unwell"
    # Injuries put down to an escape attempt (ANNOTATING.md).
    r" (?:tried|trying|attempted|attempting)_to_(?:escape|flee) escape_attempt"
    r" down_to blamed_on attributed_to (?:was|were|probably|likely|mainly)_due_to"
    # Foul play ruled out, custody said to be lawful: "treated in accordance with the law".
    r" ruled_out_foul_play no_foul_play no_signs_of_(?:violence|foul_play|torture|beating)"
    r" in_(?:accordance|line)_with_(?:the_)?law lawfully sudden_illness"
)
# Saying nothing is not denying: "has not responded to a request for comment".
NO_ANSWER = words(
    r"(?:has|have|had|did)_not_(?:responded|replied|commented|answered) declined_to_comment"
    r" request_for_comment requests_for_comment could_not_be_reached no_comment"
    r" did_not_respond didn't_respond did_not_reply not_immediately"
    r" (?:will|would)_not_comment (?:won|wouldn)(?:'|’)t_comment refused_to_comment"
    r" (?:has|have|had|did)_not_provide(?:d)?_(?:any_)?information"
    # Nor is deciding not to prosecute: an official act ("decided not to charge the officers").
    r" not_to_(?:charge|prosecute|indict|press_charges) declined_to_(?:charge|prosecute|indict)"
    r" not_be_(?:charged|prosecuted|indicted) not_face_(?:any_)?(?:criminal_)?charges"
)
NEGATION = words(r"not no never none nothing nobody n't neither nor any_evidence")
# Contracted negation: an authority's "we don't know" denies; a witness's "there wasn't a
# mark left on him" does not.
CONTRACTED_NEGATION = words(
    r"(?:do|does|did|is|are|was|were|has|have|had|wo|would|ca|could)n(?:'|’)t"
)


class _Numbers:
    """A number in digits (`40`, `1,200`) or in words (`forty`, `dozens`, `per cent`)."""

    _DIGITS = re.compile(r"\b\d[\d,.]*\b")
    _WORDS = words(
        r"one two three four five six seven eight nine ten eleven twelve twenty thirty forty"
        r" fifty hundred hundreds thousand thousands million millions billion billions dozen"
        r" dozens scores percent per_cent half third quarter double doubled tripled"
    )

    def search(self, text: str) -> Hit | None:
        spend(len(text))
        digits = self._DIGITS.search(text)
        named = self._WORDS.search(text)
        starts = [hit.start() for hit in (digits, named) if hit is not None]
        return Hit(min(starts)) if starts else None

    def in_text(self, text: str, found: dict[WordList, int]) -> bool:
        """Does `text` hold a number? `found` is `found_in(text)`, already at hand."""
        return self._WORDS in found or self._DIGITS.search(text) is not None


NUMBER = _Numbers()
TIME = words(
    r"january february april june july august september october november december"
    r" monday tuesday wednesday thursday friday saturday sunday yesterday last_week last_month"
    r" last_year this_year over_the_last since weeks months years month week"
)
TIME_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# Opinion, exhortation and prediction: a call to act is not a checkable statement of fact.
OPINION = words(
    r"must should ought needs_to need_to can cannot can't hope hopes"
    r" long_past_time clear_message urge urges we_are_witnessing"
)
# "Can" that vouches for a fact rather than asks for an act: "I can confirm that two died".
CERTAINTY = words(r"can_(?:confirm|say|tell|report|attest|verify|prove)")
FIRST_PERSON = words(r"i we we've we’ve i've i’ve our us my")

# Reporting verbs and the like, for attributions.
SPEECH_VERBS = (
    r"said|says|say|added|adds|told|tells|stated|states|reported|reports|wrote|writes|announced"
    r"|announces|confirmed|confirms|claimed|claims|insisted|insists|denied|denies|explained"
    r"|dismissed|dismisses|refuted|refutes|downplayed|downplays"
    r"|allege|insist|deny|argue|contend|warn|estimate|maintain"
    r"|testified|declared|argued|warned|noted|alleged|alleges|acknowledged|admitted|maintained"
    r"|maintains|estimated|estimates|rejected|rejects|disputed|disputes|accused|accuses"
    r"|believe|believes|believed"  # "activists believe 100 men were held": a hedged claim
)
# Titles that precede a name and are not part of it.
TITLES = frozenset(
    """u.s. us rep. rep sen. sen del. del gov. gov dr. dr mr. mr mrs. mrs ms. ms prof. prof
    gen. lt. col. capt. sgt. president vice prime minister chancellor ambassador
    secretary judge justice senator representative congressman congresswoman governor
    mayor spokesman spokeswoman chief officer inspector detective sheriff attorney
    general colonel major captain lieutenant sergeant commander admiral brigadier marshal
    former then delegate councilman councilwoman commissioner lord lady sir""".split()
)
# Last words of an organisation's name: a title inside it ("Justice") does not start a name.
ORGANISATION_WORDS = frozenset(
    """watch group committee network centre foundation institute association
    union council international ministry office coalition party society court commission agency
    service trust fund league alliance movement front organisation organization
    board department bureau tribune times post herald news monitor""".split()
)
# Attributions: the words of `X, Y, Z said` that are not the speaker's name.
# ("may" is left out: it ends names, "Prime Minister Ada May".)
TIME_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december yesterday today tonight week weekend
    month year morning afternoon evening night earlier later recently previously""".split()
)
TIME_LINKS = frozenset("""on in last this early late during next""".split())
ADVERBIAL_STARTS = frozenset(
    """in on at during after before since last earlier later this yesterday today meanwhile
    however but and also separately speaking asked when while whereas moreover furthermore
    resolved""".split()
)
APPOSITIVE_STARTS = frozenset(
    """a an the chairman chairwoman chair chairperson head director leader member members
    spokesman spokeswoman spokesperson founder co-founder president secretary lawyer attorney
    deputy editor researcher professor analyst executive manager coordinator official officer
    mother father brother sister son daughter wife husband widow friend neighbour neighbor
    one who""".split()
)
PRONOUNS = frozenset({"he", "she", "they", "it"})  # "It said": the body last quoted
# Attributions: words after a final reporting verb that say only when or where, and words that
# make a clause of what follows it.
CIRCUMSTANCE_STARTS = frozenset(
    """on in at last this late early earlier during after before yesterday today to via
    through by when while citing quoting""".split()
)
CLAUSE_WORDS = frozenset(
    """is are was were be been being has have had will would could can should may might must
    did does do not that""".split()
)
