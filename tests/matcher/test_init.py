from __future__ import annotations

import subprocess
import sys
import types

import matcher

#: the public API; a change here is a change of contract (add freely, rename nothing)
PUBLIC = [
    "Analysed", "CreditIndex", "DocumentAnalysis", "DocumentError", "Engine", "InputFileError", "JobProfile",
    "JobTitle", "MatchReport", "ParseLimits", "ParsedDocument", "ResumeProfile", "Section", "Settings", "Skill",
    "SkillLexicon", "SkillMention", "SkillRequirement", "SkillmatchError", "TagResult", "TaggedSkill", "Tagger",
    "Taxonomy", "TaxonomyError", "TextLine", "analyse_document", "get_settings", "load_taxonomy", "parse_document",
    "score_match",
]  # fmt: skip


def test_init_exports_are_pinned() -> None:
    assert matcher.__all__ == PUBLIC
    assert sorted(matcher.__all__) == matcher.__all__
    for name in matcher.__all__:
        value = getattr(matcher, name)
        # each public name is defined where matcher says it is, not re-exported by accident from elsewhere
        assert value.__module__.startswith("matcher."), name


def test_init_module_namespace_holds_nothing_public_beyond_all() -> None:
    """As httpx pins its exports: every public name bound in the package's namespace is in ``__all__`` (or is a
    submodule), so nothing becomes API by being imported."""
    public = {
        name
        for name, value in vars(matcher).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType) and name != "annotations"
    }
    assert public <= set(matcher.__all__)


def test_init_importing_the_library_does_not_load_spacy() -> None:
    code = "import sys, matcher, matcher.cli; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_init_no_library_module_imports_the_service() -> None:
    """The library never imports ``api``: every module of ``matcher`` (but the ``__main__`` scripts) is imported in
    a fresh interpreter and no ``api`` module may be loaded after."""
    code = (
        "import importlib, pkgutil, sys, matcher\n"
        "names = [m.name for m in pkgutil.walk_packages(matcher.__path__, 'matcher.')"
        " if not m.name.endswith('__main__')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names), sorted(m for m in sys.modules if m == 'api' or m.startswith('api.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split(" ", 1)
    assert int(out[0]) >= 50  # every stage's modules were imported
    assert out[1].strip() == "[]"
