"""Searching text with a large pattern only where it can start: Python's regular expressions try a pattern at every
position of the text, which for a pattern of many alternatives costs far more than finding where it can begin."""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["matches_from"]


def matches_from(pattern: re.Pattern[str], starts: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)`` (none of them empty), ``pattern`` tried only where ``starts``
    matches: ``starts`` must match wherever ``pattern`` can (a superset), with the same look-behinds and flags.

    >>> import re
    >>> [m.group() for m in matches_from(re.compile(r"\\d+ years"), re.compile(r"\\d"), "3 years, 10 years")]
    ['3 years', '10 years']
    """
    search, match = starts.search, pattern.match
    pos = 0
    while (start := search(text, pos)) is not None:
        found = match(text, start.start())
        if found is None:
            pos = start.start() + 1
        else:
            yield found
            pos = max(found.end(), start.start() + 1)
