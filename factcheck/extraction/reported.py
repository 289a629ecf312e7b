"""Who asserts what: the part of a sentence that is claimed and its claimant (quotes, reporting
verbs, "according to"), the allegation a denial reports, and whether a statement is a denial."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import attribution
from .attribution import ARTICLE, Speakers
from .lexicon import (
    AUTHORITY,
    CONTRACTED_NEGATION,
    COUNTER_EXPLANATION,
    DENIAL_VERB,
    HEARSAY_NOUNS,
    NEGATION,
    NO_ANSWER,
    OFFICIAL_ACTION,
    OPINION,
    ORGANISATION_WORDS,
    SCHOOLING,
    VERB_HELPERS,
    found_in,
)
from .predicates import WORD, any_event, has_verb, main_verb
from .sources import HEARSAY_ENDS
from .text import Span, trimmed

_OPEN_QUOTES = '“"‘'
_CLOSE_FOR = {"“": "”", '"': '"', "‘": "’"}
# "X denied Y's report that Z", "rejected claims by Y that Z": the allegation Z, claimed by Y. A
# denial verb, at most eight words, the allegation's noun, at most seven words of its source.
_ALLEGATION = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)|reject(?:s|ed|ing)?|dismiss(?:es|ed|ing)?|disput(?:e|es|ed|ing)"
    r"|refut(?:e|es|ed|ing)|rebut(?:s|ted|ting)?|contradict(?:s|ed|ing)?)\s++"
    r"(?P<mid>(?:[^\s.;:]++\s++){0,8}?)"
    r"(?P<noun>reports?|claims?|allegations?|accusations?|accounts?|assertions?|suggestions?"
    r"|statements?|findings?|testimony|stories|story)\s++"
    r"(?:(?:by|from|of|in)\s++(?P<by>(?:[^\s,;:]++\s++){0,7}?))?"
    r"(?:(?:claiming|saying|alleging|suggesting|stating|asserting)\s++)?that\s++",
    re.IGNORECASE,
)
# ", reporting (on Monday) that": a participle of reporting after the main clause.
_PARTICIPLE_REPORT = re.compile(
    r",\s++(?:reporting|saying|claiming|alleging|stating|asserting)\s++"
    r"(?:[^\s,;]++\s++){0,5}?that\s++",
    re.IGNORECASE,
)
_IRREGULAR_REPORTING = frozenset("said told wrote".split())
_PASSIVE_BEFORE = re.compile(r"\b(?:was|were|is|are|been|being)\s++$", re.IGNORECASE)
_REPORT_ARTICLES = frozenset("a an the these those such".split())
_POSSESSIVE = re.compile(r"(?P<who>\S.{0,150}?)['’]s?\s*+$", re.DOTALL)
# Where an allegation's content ends: ", calling it baseless", ", which", ", and said".
_ALLEGATION_END = re.compile(
    r",\s*+(?:calling|saying|adding|describing|which|and\s++(?:called|said|added))\b", re.I
)
# ", adding (that)": what follows is the same speaker's.
# ", accusing X of ...": the participle is the statement, said by the same speaker.
_ADDING = re.compile(
    r",\s++(?:(?:adding|noting)\s++(?:that\s++)?|(?=(?:accusing|blaming|alleging)\s))",
    re.IGNORECASE,
)
_NOT_NAME_END = frozenset("""the a an of these those his her their its such""".split())


@dataclass
class Content:
    """The part of a sentence that is claimed, and who claims it."""

    span: Span
    claimant: str
    reporting: bool  # a reporting verb or quote attribution introduced it
    authority: bool  # the claimant speaks for a government, police, a court...
    # Where the reporting verb is when the span starts with its speaker ("The father of the dead
    # man said ..."): the statement is typed from there, not by the speaker's description.
    verb_at: int | None = None
    # "..., police said, adding that two officers were hurt": a second statement, same speaker.
    added: Span | None = None


# Compiled once: these run on every sentence (re's own cache costs a look-up a call). Their runs
# are possessive (the same matches: what follows each run cannot continue it).
_COLON_QUOTE = re.compile(r":\s*+[“\"]")
_WORDS = re.compile(r"[\w’']++")
_FIRST_WORD = re.compile(r"^\w++\s*+")


def attributed_content(text: str, sentence: Span, speakers: Speakers) -> Content | None:
    """The part of the sentence that is claimed, and who claims it."""
    if text.find("ing", sentence.start, sentence.end) != -1:
        adding = _ADDING.search(text, sentence.start, sentence.end)
        quoted = adding and any(text.count(q, sentence.start, adding.start()) for q in '“”"')
        if adding and not quoted:
            said = _attributed(text, Span(sentence.start, adding.start()), speakers)
            if said is not None and said.claimant != ARTICLE:
                added = trimmed(text, adding.end(), sentence.end)
                if added.end > added.start:
                    said.added = added
                return said
    return _attributed(text, sentence, speakers)


def _attributed(text: str, sentence: Span, speakers: Speakers) -> Content | None:
    body = text[sentence.start : sentence.end]
    stripped = body.lstrip()
    offset = sentence.start + len(body) - len(stripped)
    if stripped[:1] in _OPEN_QUOTES or _COLON_QUOTE.search(body):
        open_at = offset if stripped[:1] in _OPEN_QUOTES else sentence.start + body.index(":")
        open_at = next(i for i in range(open_at, sentence.end) if text[i] in _OPEN_QUOTES)
        close_mark = _CLOSE_FOR[text[open_at]]
        close_at = text.find(close_mark, open_at + 1, sentence.end)
        inner_end = close_at if close_at != -1 else sentence.end
        claimant = None
        if close_at != -1:
            claimant = attribution.after_quote(text[close_at + 1 : sentence.end], speakers)
        claimant = claimant or attribution.before_quote(text[sentence.start : open_at], speakers)
        claimant = claimant or speakers.last_person or ARTICLE
        speakers.remember(claimant)
        span = trimmed(text, open_at + 1, inner_end)
        if span.end <= span.start:
            return None
        # "All the guards told us was that he slipped": the guards' account, in a quote.
        claimant = _nearer_speaker(text, span, speakers) or claimant
        return Content(span, claimant, claimant != ARTICLE, speakers.is_authority(claimant))
    if (quoted := _quote_then_speaker(text, sentence, speakers)) is not None:
        return quoted
    if (ending := attribution.final(body, speakers)) is not None:
        claimant, comma = ending
        span = trimmed(text, sentence.start, sentence.start + comma)
        claimant = _nearer_speaker(text, span, speakers) or claimant
        speakers.remember(claimant)
        if span.end > span.start:
            return Content(span, claimant, True, speakers.is_authority(claimant))
    found = attribution.indirect(body, speakers)
    if found and _plausible_speaker(body, found[1], found[2]):
        claimant = found[0]
        if found[2] == 0:  # "Y said Z, according to X" / "According to X, Y said Z": Y
            before = trimmed(text, sentence.start, sentence.start + found[1])
            comma = text.find(",", sentence.start + found[1], sentence.end)
            after = trimmed(text, comma + 1 if comma != -1 else sentence.end, sentence.end)
            claimant = (
                _nearer_speaker(text, before, speakers)
                or _nearer_speaker(text, after, speakers)
                or claimant
            )
        else:  # "X says Y told them that Z": Y
            inner = trimmed(text, sentence.start + found[2], sentence.end)
            claimant = _nearer_speaker(text, inner, speakers) or claimant
        speakers.remember(claimant)
        span = trimmed(text, sentence.start, sentence.end)
        verb_at = sentence.start + found[1] if found[2] else None
        return Content(span, claimant, True, speakers.is_authority(claimant), verb_at)
    if (reported := _reported_by_subject(text, sentence, speakers)) is not None:
        return reported
    span = trimmed(text, sentence.start, sentence.end)
    opening = " ".join(text[span.start : span.end].split()[:6])  # "The ministry denied ..."
    return Content(span, ARTICLE, False, bool(AUTHORITY.search(opening)))


def _quote_then_speaker(text: str, sentence: Span, speakers: Speakers) -> Content | None:
    """`He was "beaten in his cell," the lawyer said.`: a quote that starts mid-sentence and is
    attributed after it closes. The claim is the sentence up to the closing quote."""
    close_at = max(text.rfind("”", sentence.start, sentence.end), -1)
    if close_at == -1:
        close_at = text.rfind('"', sentence.start, sentence.end)
        if close_at == -1:
            return None
        # A lone mark closes a quote opened in an earlier sentence only after a stop or comma.
        if text.count('"', sentence.start, sentence.end) < 2 and text[close_at - 1] not in ",.!?":
            return None
    rest = text[close_at + 1 : sentence.end]
    if len(rest) > attribution.WHO_MAX:
        return None
    claimant = attribution.after_quote(rest, speakers)
    opened = any(text.count(mark, sentence.start, close_at) for mark in '“"')
    if not claimant and not opened and not rest.strip(' .”"’\n'):
        claimant = speakers.last_person  # `... my son. They killed him."`: the quote goes on
    if not claimant:
        return None
    span = trimmed(text, sentence.start, close_at + 1)
    if span.end <= span.start:
        return None
    claimant = _nearer_speaker(text, span, speakers) or claimant
    speakers.remember(claimant)
    return Content(span, claimant, True, speakers.is_authority(claimant))


def _reported_by_subject(text: str, sentence: Span, speakers: Speakers) -> Content | None:
    """`The Tarsk Herald ran the story, reporting that 40 were held`: what follows "that" is
    claimed by the sentence's subject (the words before its first verb)."""
    if text.find("ing", sentence.start, sentence.end) == -1:
        return None
    participle = _PARTICIPLE_REPORT.search(text, sentence.start, sentence.end)
    if participle is None:
        return None
    verb = main_verb(text, sentence.start, participle.start())
    if verb is None:
        return None
    claimant = attribution.clean_name(text[sentence.start : verb[0]])
    if not claimant:
        return None
    claimant = speakers.full_name(claimant)
    speakers.remember(claimant)
    span = trimmed(text, participle.end(), sentence.end)
    return Content(span, claimant, True, speakers.is_authority(claimant))


def _nearer_speaker(text: str, span: Span, speakers: Speakers) -> str | None:
    """The speaker a reported statement itself names, nearer to its content than the one who
    reports it: "police told them (that) ..." inside "His family says ...". None if it names
    none."""
    if span.end - span.start < 12:
        return None
    body = text[span.start : span.end]
    found = attribution.indirect(body, speakers)
    if found is None or found[2] == 0 or not _plausible_speaker(body, found[1], found[2]):
        return None
    # Told in the past, by a subject with no verb of its own: "police told them", not "the
    # report's claims" or "there were no such men here, dismissed".
    verb = body[found[1] : found[1] + 20].split()[0].lower()
    subject = WORD.findall(body[: found[1]].lower().replace("’", "'"))
    while subject and subject[-1] in VERB_HELPERS:  # "the police had told us"
        subject.pop()
    # "Police accused him of ... and said": the outer subject's second verb, no new speaker.
    coordinated = subject[-1:] == ["and"] or subject[:1] in (["him"], ["her"], ["them"])
    if not _past_tense(verb) or coordinated or has_verb(" ".join(subject)):
        return None
    return found[0]


def _plausible_speaker(body: str, verb_at: int, content_at: int) -> bool:
    """Reject "condemning reports of ..." and similar nouns that look like reporting verbs, and
    passives ("the teacher was reported dead")."""
    if content_at == 0:  # "according to X"
        return True
    verb = body[verb_at : verb_at + 20].split()[0].lower()
    if _PASSIVE_BEFORE.search(body, max(0, verb_at - 12), verb_at) and _past_tense(verb):
        return False
    head = attribution.without_asides(body[:verb_at])
    if head.rstrip().lower().endswith(HEARSAY_ENDS):
        head = head.rsplit(", but ", 1)[-1]  # "The cause is unclear, but reports suggest ..."
    head = head.split(" who ", 1)[0]  # "the widow of a miner who died in custody has alleged"
    last_words = _WORDS.findall(head)
    after_verb = _FIRST_WORD.sub("", body[verb_at:])
    # "condemning reports of ...", "the deaths reported by the authorities": no speaker.
    if after_verb.lower().startswith(("of ", "by ")) or (
        last_words and last_words[-1].lower() in _NOT_NAME_END
    ):
        return False
    # "The father of the dead man, Ali Serkan, said": an event word in a speaker's description
    # ("the dead man") is no clause; "Two men died and police said" is.
    return not (OFFICIAL_ACTION in found_in(head) or (any_event(head) and has_verb(head)))


def _past_tense(verb: str) -> bool:
    return verb.endswith("ed") or verb in _IRREGULAR_REPORTING


def after_semicolon(text: str, statement: Span, speakers: Speakers) -> Content | None:
    """The speaker of a clause that follows a semicolon or ", but" and names its own, else
    None."""
    before = text[max(0, statement.start - 6) : statement.start].rstrip()
    if not before.endswith((";", ", but")):
        return None
    body = text[statement.start : statement.end]
    found = attribution.indirect(body, speakers)
    if not found or not _plausible_speaker(body, found[1], found[2]):
        return None
    return Content(statement, found[0], True, speakers.is_authority(found[0]))


def reported_allegation(
    text: str, content: Content, speakers: Speakers
) -> tuple[int, Content] | None:
    """The allegation a denial reports ("X denied Y's report that Z"): where the denial's own
    words end, and Z, claimed by Y (by the report itself, "a report", when it names no
    source)."""
    span = content.span
    if text.find("that", span.start, span.end) == -1:
        return None
    if not is_denial(attribution.without_asides(span.text(text)), content):
        return None
    match = _ALLEGATION.search(text, span.start, span.end)
    if match is None:
        return None
    end = _ALLEGATION_END.search(text, match.end(), span.end)
    allegation = trimmed(text, match.end(), end.start() if end else span.end)
    if allegation.end - allegation.start < 8:
        return None
    source = match.group("by")
    if source is None and (owner := _POSSESSIVE.search(match.group("mid"))):
        source = owner.group("who")
    claimant = (attribution.clean_name(source) if source else None) or ARTICLE
    if claimant != ARTICLE:
        claimant = speakers.full_name(claimant)
    elif source is None:  # "a report claiming that": the report, as the article names it
        before = match.group("mid").split()[-1:]
        article = before[0] if before and before[0].lower() in _REPORT_ARTICLES else ""
        claimant = f"{article} {match.group('noun')}".strip()
    alleged = Content(allegation, claimant, claimant != ARTICLE, speakers.is_authority(claimant))
    return match.end("noun"), alleged


def is_denial(statement: str, content: Content) -> bool:
    """An authority saying something did not happen or calling it false; or anyone named saying
    an event did not happen ("my client never struck anyone")."""
    found = found_in(statement)
    if NO_ANSWER in found:
        return False
    # A denial word ("dismissed", "could not have") outweighs a modal; a bare "not" does not.
    negated = DENIAL_VERB in found or (NEGATION in found and OPINION not in found)
    if content.authority:
        negated = negated or CONTRACTED_NEGATION in found
        # "died of heart failure", said by officials, answers an account of a killing.
        return negated or COUNTER_EXPLANATION in found or SCHOOLING in found
    if content.claimant == ARTICLE:
        return False
    # Anyone named who calls a report a lie denies it; a bare "not" needs an event, or the
    # reports themselves ("has no information about the reports"); camps called schools.
    return (
        DENIAL_VERB in found
        or SCHOOLING in found
        or (negated and (any_event(statement) or _hearsay(statement)))
    )


def _hearsay(statement: str) -> bool:
    return any(word in HEARSAY_NOUNS for word in WORD.findall(statement.lower()))


def denier(text: str, span: Span) -> str | None:
    """Who denies in a sentence with no reporting verb: the authority its first words name
    ("Prison authorities put his death down to pneumonia" -> "Prison authorities")."""
    # "A spokesman for the ministry, Ivo Petrov, called ...": the subject, its name preferred.
    head = text[span.start : min(span.end, span.start + 100)].split(",")
    named = len(head) > 2 and head[1].strip()[:1].isupper() and len(head[1].split()) <= 4
    if named and AUTHORITY.search(head[0]):
        return attribution.clean_name(",".join(head[:2]))
    words = text[span.start : span.end].split()[:6]
    last = None
    for i, word in enumerate(words):
        if AUTHORITY.search(word):
            last = i
        elif last is not None:
            break
    if last is None:
        return None
    if last + 1 < len(words) and words[last + 1].lower().strip(",") in ORGANISATION_WORDS:
        last += 1  # "The governor's office"
    return attribution.clean_name(" ".join(words[: last + 1]))
