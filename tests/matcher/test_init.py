from __future__ import annotations

import subprocess
import sys

import matcher


def test_init_exports_are_pinned() -> None:
    assert sorted(matcher.__all__) == matcher.__all__
    for name in matcher.__all__:
        assert getattr(matcher, name) is not None


def test_init_importing_the_library_does_not_load_spacy() -> None:
    code = "import sys, matcher, matcher.cli; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
