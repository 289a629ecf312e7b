"""Counting the work text processing does, and stopping it when it has done too much.

Every scanning function reports the characters (or tree nodes) it examines with `spend(n)`; the
count is what the linearity tests assert on (work, not time). Inside `metered(...)`, a `Meter`
adds them up and raises `OverBudget` past its step limit or its deadline: the second line of
defence behind scanners that are linear by construction."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


class OverBudget(Exception):
    """The work in progress went over its budget."""


@dataclass(frozen=True)
class Budget:
    """At most `steps` steps (characters examined; None: no limit) and `seconds` of wall time."""

    steps: int | None = None
    seconds: float | None = None


UNLIMITED = Budget()
_CLOCK_EVERY = 20_000


class Meter:
    def __init__(self, budget: Budget = UNLIMITED, parent: Meter | None = None) -> None:
        self.steps = 0
        self._parent = parent  # an enclosing meter counts these steps too
        self._limit = budget.steps
        self._deadline = None if budget.seconds is None else time.monotonic() + budget.seconds
        self._check_at = 0  # the clock is read every _CLOCK_EVERY steps, not at every step
        self._check()

    def _check(self) -> None:
        if self._limit is not None and self.steps > self._limit:
            raise OverBudget(f"over {self._limit} steps")
        if self._deadline is not None and time.monotonic() > self._deadline:
            raise OverBudget("out of time")
        self._check_at = self.steps + _CLOCK_EVERY
        if self._limit is not None:
            self._check_at = min(self._check_at, self._limit)


_meter: ContextVar[Meter | None] = ContextVar("factcheck_text_meter", default=None)


def spend(n: int, _get=_meter.get) -> None:
    """Count `n` steps against the current meter, if any (called for every scan: one call, no
    method call per meter)."""
    meter = _get()
    while meter is not None:  # this meter, then each enclosing one
        meter.steps += n
        if meter.steps > meter._check_at:
            meter._check()
        meter = meter._parent


@contextmanager
def metered(budget: Budget = UNLIMITED) -> Iterator[Meter]:
    """Count (and limit) the steps of the text processing run inside the block."""
    meter = Meter(budget, _meter.get())
    token = _meter.set(meter)
    try:
        yield meter
    finally:
        _meter.reset(token)
