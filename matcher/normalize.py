"""The one text normalisation used for skill names: surface form -> lookup key.

A key is the lowercased concatenation of a name's *pieces*: runs of letters and digits, with trailing
``+``/``#`` kept (C++, C#, F#) and a leading dot kept only at the start of a word (.NET). Spaces, hyphens,
dots, slashes and underscores between pieces are dropped, so "Scikit-Learn", "scikit learn" and
"sci-kit-learn" share the key ``scikitlearn`` and "Node.js", "NodeJS" and "node js" share ``nodejs``.
"""

from __future__ import annotations

import re

#: A piece of a name or of a text; the tagger walks texts piece by piece.
PIECE_RE = re.compile(r"(?:(?<![\w.])\.(?=[^\W_]))?[^\W_]+[+#]*")

#: What may stand between two pieces of one skill name in a text: a little space and at most one joiner.
#: No newline: a line break ends a list item.
JOINER_RE = re.compile(r"[ \t\u00a0]{0,2}[-\u2010\u2011\u2013/._&]?[ \t\u00a0]{0,2}")


def skill_key(name: str) -> str:
    """Lookup key of a skill name: ``skill_key("Scikit-Learn") == "scikitlearn"``."""
    return "".join(piece.lower() for piece in PIECE_RE.findall(name))
