"""skillmatch's library: parse documents, tag skills, score matches. It never imports ``api``.

Heavy names (the spaCy-backed :class:`Tagger`) load on first use, so ``skillmatch taxonomy ...`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matcher.errors import DocumentError, InputFileError, SkillmatchError, TaxonomyError
from matcher.settings import Settings, get_settings
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.types import JobTitle, Section, Skill, SkillMention, SkillRequirement, TextLine

if TYPE_CHECKING:
    from matcher.lexicon import SkillLexicon
    from matcher.tagging import TaggedSkill, Tagger, TagResult

__all__ = [
    "DocumentError",
    "InputFileError",
    "JobTitle",
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
    "get_settings",
    "load_taxonomy",
]

_LAZY = {"Tagger": "matcher.tagging", "TagResult": "matcher.tagging", "TaggedSkill": "matcher.tagging",
         "SkillLexicon": "matcher.lexicon"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")
