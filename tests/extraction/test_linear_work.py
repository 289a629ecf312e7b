"""Text processing does work linear in its input, on text built to make it quadratic (issue 14).

Work is counted, not timed: every scanning function reports the characters or tree nodes it
examines to `factcheck.extraction.budget`, and doubling the input may at most double the count
(plus a little). A scan of the whole text per block, per sentence or per name (what html_to_text
and the surname lookup did) fails this; regular expressions that backtrack over a long run are
kept out by `test_patterns_cannot_backtrack_over_a_run`."""

from __future__ import annotations

import importlib
import pkgutil
import re
from re import _constants as sre
from re import _parser as sre_parse

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.devsupport.hostile import HOSTILE, as_html, real_text, unplaceable_quote
from factcheck.extraction import extract, html_to_text
from factcheck.extraction.budget import Budget, metered
from factcheck.extraction.text import find_loosely
from factcheck.queries.highlight import segment


def work(text: str) -> int:
    """Steps to read `text` as the app does: as a web page, for suggestions, for a quote that
    almost occurs in it, and to highlight the suggestions."""
    with metered() as meter:
        html_to_text(as_html(text))
        found = extract(text)
        find_loosely(text, unplaceable_quote(text))
        segment(text, [], [(c.span_start, c.span_end, c) for c in found.candidates])
    return meter.steps


def assert_linear(make) -> None:
    small, large = work(make(1)), work(make(2))
    assert large <= 2.2 * small + 2_000, (small, large)


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(HOSTILE)), size=st.integers(2_000, 20_000))
def test_hostile_text_costs_linear_work(name, size):
    assert_linear(lambda k: HOSTILE[name](k * size))


@settings(max_examples=40, deadline=None)
@given(
    unit=st.text(alphabet="!.?()A a<>p/-–—\"“”'’,:;\n\t", min_size=1, max_size=12),
    size=st.integers(2_000, 10_000),
)
def test_any_repeated_snippet_costs_linear_work(unit, size):
    assert_linear(lambda k: (unit * (k * size // len(unit) + 1))[: k * size])


def test_real_text_costs_linear_work():
    assert_linear(lambda k: real_text(k * 50_000)[: k * 50_000])


def test_extraction_over_its_budget_returns_what_it_read():
    text = real_text(20_000)
    whole = extract(text)
    part = extract(text, budget=Budget(steps=50_000))
    assert whole.complete and not part.complete
    assert 0 < part.read_to < len(text)
    assert part.candidates == tuple(c for c in whole.candidates if c.sentence_end <= part.read_to)
    assert extract(text, budget=Budget(steps=50_000)) == part  # steps, unlike time, repeat


# Patterns with a repeat of unbounded length that is not possessive, each with why it cannot
# backtrack over a long input. Any other pattern must bound its repeats or make them possessive.
REVIEWED = {
    "text._TRIM_LEFT": "anchored (match), alternatives cannot overlap",
    "extractor._BIOGRAPHY": "entered at a word's start; the lazy repeat stays in that word",
    "splitting._DASH_ASIDE": "entered at a dash, reads to the next dash",
    "splitting._STATEMENT_BREAK": "entered at a comma, reads one space run and one word",
    "attribution._AFTER_QUOTE_PRONOUN": "anchored (match), one leading run",
    "attribution._AFTER_QUOTE_VERB_FIRST": "anchored (match), one leading run",
    "attribution._AFTER_QUOTE_NAME_FIRST": "anchored (match), one leading run",
    "attribution._BEFORE_QUOTE": "searched in the last 250 characters only",
    "attribution._INDIRECT": "anchored (match); the speaker is bounded",
    "attribution._THAT": "anchored (match), at most five words",
    "attribution._ACCORDING_TO": "entered at 'according to', reads to the next stop",
    "attribution._LEADING": "anchored, on a name of at most 150 characters",
    "attribution._NAME_WORD": "anchored, on one word",
    "wordlists._GROUP": "run on the word lists only",
    "similarity._WORD": "entered at a word's start, never fails once started",
    "paraphrase._WORD": "entered at a word's start, never fails once started",
    "paraphrase._FIGURE": "entered at a word boundary; each space run is read once",
}


def _children(op, av) -> list:
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return [av[2]]
    if op == sre.SUBPATTERN:
        return [av[-1]]
    if op == sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op == sre.ATOMIC_GROUP:
        return [av]
    return []


def _unbounded(items) -> bool:
    """Does the parsed pattern hold a greedy or lazy repeat with no upper bound?"""
    for op, av in items:
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[1] == sre.MAXREPEAT:
            return True
        if any(_unbounded(child) for child in _children(op, av)):
            return True
    return False


def test_patterns_cannot_backtrack_over_a_run():
    # Every module of the package, so a pattern moved to a new module is still reviewed.
    package = importlib.import_module("factcheck.extraction")
    modules = {
        info.name: importlib.import_module(f"factcheck.extraction.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
    }
    assert {"text", "extractor", "reported", "splitting", "predicates"} <= set(modules)
    flagged = {
        f"{module_name}.{name}"
        for module_name, module in modules.items()
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern) and _unbounded(sre_parse.parse(value.pattern, value.flags))
    }
    assert flagged == set(REVIEWED)
