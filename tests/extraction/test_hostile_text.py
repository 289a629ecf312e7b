"""Text built to make regular expressions backtrack must not stall the article page.

Not a speed target (those are in `make bench`): before the speaker patterns were bounded, the
first of these texts took minutes, so a generous alarm tells "linear" from "catastrophic"."""

from __future__ import annotations

import signal

import pytest

from factcheck.extraction import extract_candidates

HOSTILE = {
    "a quote, then helper words": "\u201cx\u201d " + "has " * 15_000,
    "a speaker, then helper words": "Police " + "has " * 15_000,
    "one surname said again and again": "Smith said it was fine. " * 8_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_read_in_linear_time(name):
    def stalled(*_):
        raise AssertionError(f"extraction stalled on {name!r}")

    previous = signal.signal(signal.SIGALRM, stalled)
    signal.alarm(20)
    try:
        candidates = extract_candidates(HOSTILE[name])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert isinstance(candidates, list)
