"""skillmatch's library: parse documents, read what they say, tag skills, score matches. It never imports ``api``.

The public names are these (``__all__``, pinned by a test); everything else is an implementation detail whose
module path may change. Heavy names (the spaCy-backed :class:`Tagger`, the :class:`Engine`) load on first use, so
``skillmatch taxonomy ...`` stays fast.

>>> from matcher import Engine
>>> engine = Engine()                                          # doctest: +SKIP
>>> report = engine.match(engine.load("cv.pdf", kind="resume"), engine.load("job.md", kind="job"))  # doctest: +SKIP
"""

from __future__ import annotations

import typing

from matcher.errors import DocumentError, InputFileError, SkillmatchError, TaxonomyError
from matcher.settings import Settings, get_settings
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.types import JobTitle, Section, Skill, SkillMention, SkillRequirement, TextLine

if typing.TYPE_CHECKING:
    from matcher.analysis import DocumentAnalysis, analyse_document
    from matcher.engine import Analysed, Engine
    from matcher.parsing import ParsedDocument, ParseLimits, parse_document
    from matcher.scoring.match import CreditIndex, MatchReport, score_match
    from matcher.scoring.profiles import JobProfile, ResumeProfile
    from matcher.tagging.lexicon import SkillLexicon
    from matcher.tagging.tagger import TaggedSkill, Tagger, TagResult

__all__ = [
    "Analysed",
    "CreditIndex",
    "DocumentAnalysis",
    "DocumentError",
    "Engine",
    "InputFileError",
    "JobProfile",
    "JobTitle",
    "MatchReport",
    "ParseLimits",
    "ParsedDocument",
    "ResumeProfile",
    "Section",
    "Settings",
    "Skill",
    "SkillLexicon",
    "SkillMention",
    "SkillRequirement",
    "SkillmatchError",
    "TagResult",
    "TaggedSkill",
    "Tagger",
    "Taxonomy",
    "TaxonomyError",
    "TextLine",
    "analyse_document",
    "get_settings",
    "load_taxonomy",
    "parse_document",
    "score_match",
]

#: names imported on first use, and the module each comes from
_LAZY = {
    "Analysed": "matcher.engine",
    "CreditIndex": "matcher.scoring.match",
    "DocumentAnalysis": "matcher.analysis",
    "Engine": "matcher.engine",
    "JobProfile": "matcher.scoring.profiles",
    "MatchReport": "matcher.scoring.match",
    "ParseLimits": "matcher.parsing",
    "ParsedDocument": "matcher.parsing",
    "ResumeProfile": "matcher.scoring.profiles",
    "SkillLexicon": "matcher.tagging.lexicon",
    "TagResult": "matcher.tagging.tagger",
    "TaggedSkill": "matcher.tagging.tagger",
    "Tagger": "matcher.tagging.tagger",
    "analyse_document": "matcher.analysis",
    "parse_document": "matcher.parsing",
    "score_match": "matcher.scoring.match",
}


def __getattr__(name: str) -> typing.Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
