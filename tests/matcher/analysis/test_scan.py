"""matches_from: a large pattern tried only where a cheaper one says it can start finds what finditer finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.analysis.scan import matches_from

_PATTERN = re.compile(
    r"(?<![\w.])(?:\d+\s*(?:-|to)\s*\d+|\d+\+?)\s*(?:years?|yrs?)\b|(?<!\w)(?:over|at least)\s+\d+", re.IGNORECASE
)
_STARTS = re.compile(r"(?<![\w.])\d|(?<!\w)(?:over|at)\b", re.IGNORECASE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["3", "10", "-", " to ", "+", " ", "years", "yr", "over", "at least", "x", ".", "a"])))
def test_scan_matches_from_equals_finditer(parts: list[str]) -> None:
    text = "".join(parts)
    assert [m.span() for m in matches_from(_PATTERN, _STARTS, text)] == [m.span() for m in _PATTERN.finditer(text)]


def test_scan_matches_from_finds_nothing_where_no_start_is() -> None:
    assert list(matches_from(_PATTERN, _STARTS, "no years here")) == []
    assert [m.group() for m in matches_from(_PATTERN, _STARTS, "over 5, 3-5 years, 7+ yrs")] == [
        "over 5",
        "3-5 years",
        "7+ yrs",
    ]
