"""Fuzzing ``parse_document`` with mutated real files: whatever the bytes, only our typed errors come out, in time.

The inputs are our samples and the real documents of ``../shared/data`` (where present), damaged by the
mutators of ``fuzzing.py``: byte flips, truncation, chunks deleted, duplicated or inserted; PDF numbers,
keywords and inflated content streams; DOCX zip members removed, renamed, emptied or lied about and the XML
inside them; HTML left unclosed, nested deep, re-encoded, with NUL bytes. For each input, ``fuzzing.check``
asks that ``parse_document`` returns a document or raises a ``DocumentError`` with a code and a one-line
message, within the limit's time (``LIMITS.timeout_s`` plus ``TIME_MARGIN_S``) and memory caps.

Examples are bounded and derandomized (``derandomize=True``, no example database), so every run, here and in
CI, tries the same inputs. Two health checks are off, on purpose: ``too_slow`` (drawing an input re-zips or
re-inflates a real file, and a parse is what is being measured) and ``data_too_large`` (stacked mutations of a
large file make many choices). With ``SKILLMATCH_RELIABILITY_DIR`` set, each property writes its row of the
reliability table (``tests/reliability_record.py``).

The bugs the fuzzing found stay as small files in ``samples/broken/fuzz-*``, asserted exactly below.
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.errors import CorruptDocument, ParseTimeout
from matcher.parsing import ParseLimits, parse_document
from matcher.parsing._build import Deadline
from matcher.parsing.html import parse_html
from matcher.parsing.pdf import _deadline_inside
from tests.reliability_record import record

from .conftest import sample
from .fuzzing import TIME_MARGIN_S, Format, HypothesisChooser, check, mutate, seeds, warm_up

#: examples per format: about 20 s for the three on a developer machine (tracemalloc slows parsing ~5x)
EXAMPLES: dict[Format, int] = {"pdf": 100, "docx": 150, "html": 120}


def _settings(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,  # the time limit asserted is the parser's own (fuzzing.check)
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@dataclass
class _Tally:
    """What one property tried: distinct inputs, their outcomes, the distinct inputs that broke it."""

    inputs: set[str] = field(default_factory=set)
    failures: set[str] = field(default_factory=set)
    codes: Counter[str] = field(default_factory=Counter)
    slowest_s: float = 0.0
    peak_mib: float = 0.0

    def notes(self) -> str:
        codes = ", ".join(f"{code} {count}" for code, count in self.codes.most_common())
        return f"outcomes: {codes}; slowest parse {self.slowest_s:.2f} s; largest heap peak {self.peak_mib:.1f} MiB"


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


def _fuzz(test: str, fmt: Format) -> None:
    """Run the property over ``EXAMPLES[fmt]`` mutated files and record the row, whether it held or not."""
    bases = seeds(fmt)
    assert bases, f"no {fmt} sample to mutate"
    tally = _Tally()

    @_settings(EXAMPLES[fmt])
    @given(st.data())
    def parse_mutated(data: st.DataObject) -> None:
        case = mutate(fmt, bases, HypothesisChooser(data))
        key = hashlib.sha1(case).hexdigest()
        outcome = check(case)
        tally.inputs.add(key)
        tally.codes[outcome.code] += 1
        tally.slowest_s = max(tally.slowest_s, outcome.elapsed_s)
        tally.peak_mib = max(tally.peak_mib, outcome.peak_bytes / 2**20)
        if outcome.failed:
            tally.failures.add(key)
        assert not outcome.failed, f"{len(case):,} bytes ({outcome.code}): {outcome.problem}"

    try:
        parse_mutated()
    finally:
        record(test, cases=len(tally.inputs), failed=len(tally.failures), notes=tally.notes())


def test_fuzz_pdf() -> None:
    _fuzz("fuzz/pdf", "pdf")


def test_fuzz_docx() -> None:
    _fuzz("fuzz/docx", "docx")


def test_fuzz_html() -> None:
    _fuzz("fuzz/html", "html")


# --- regressions: what the fuzzing found -------------------------------------------------------------------------
def test_fuzz_regression_zip_of_an_unsupported_version_is_corrupt_not_an_untyped_error() -> None:
    """zipfile raises NotImplementedError for a "version 9.3" archive: it escaped sniff_format untyped."""
    with pytest.raises(CorruptDocument) as caught:
        parse_document(sample("broken/fuzz-zip-version-9.3.docx"))
    assert caught.value.code == "corrupt_file"
    assert caught.value.message == (
        "damaged zip archive (DOCX?): it uses a feature the parser does not support (NotImplementedError)"
    )


def test_fuzz_regression_deep_nesting_closed_by_unmatched_end_tags_is_refused_at_once() -> None:
    """8,000 open <b> and 8,000 </i>: each end tag scanned the whole open stack (5 s, then ParseTimeout). libxml2
    stops at 256 levels; the text below would be lost, so the file is refused as corrupt, with a reason."""
    limits = ParseLimits(timeout_s=1)
    started = time.perf_counter()
    with pytest.raises(CorruptDocument) as caught:
        parse_document(sample("broken/fuzz-deep-nesting-unmatched-end-tags.html"), limits=limits)
    assert caught.value.message == "corrupt file: HTML nested deeper than the parser allows (256 levels)"
    assert time.perf_counter() - started < limits.timeout_s


def test_fuzz_regression_start_tags_cut_off_by_the_end_of_the_file_are_dropped() -> None:
    """6,000 "<a " with no ">": html.parser's close() re-scanned the rest once per "<" (quadratic)."""
    doc = parse_document(sample("broken/fuzz-unclosed-start-tags.html"), limits=ParseLimits(timeout_s=1))
    assert doc.text == "Senior ML Engineer\n\nWe train models."


def test_fuzz_regression_comments_never_closed_are_dropped() -> None:
    """10,000 "<!--x>": a comment that never ends runs to the end of the file, as in a browser."""
    doc = parse_document(sample("broken/fuzz-unterminated-comments.html"), limits=ParseLimits(timeout_s=1))
    assert doc.text == "Senior ML Engineer\n\nWe train models."


def test_fuzz_regression_a_file_cut_off_inside_a_table_row_keeps_the_row() -> None:
    doc = parse_document(sample("broken/fuzz-truncated-table-row.html"))
    assert doc.text == "Skills\n\nPython\tPyTorch\nSQL\tSpark"


def test_fuzz_regression_pdfminer_stops_at_the_deadline_inside_one_call() -> None:
    """PDFium refuses the file; pdfminer, the fallback, re-read 16 KB of tokens for each of 300 objects its
    cross-reference stream sends there (10 s; then "no pages"): the deadline was checked between pages only."""
    limits = ParseLimits(timeout_s=1)
    started = time.perf_counter()
    with pytest.raises(ParseTimeout) as caught:
        parse_document(sample("broken/fuzz-xref-stream-into-junk.pdf"), limits=limits)
    assert caught.value.message == "parsing took longer than 1 s"
    assert time.perf_counter() - started < limits.timeout_s + TIME_MARGIN_S
    assert sys.getprofile() is None  # the guard is gone


def test_fuzz_regression_pdfminer_guard_stays_out_under_a_profiler() -> None:
    def profiler(frame: object, event: str, arg: object) -> None:
        return None

    sys.setprofile(profiler)
    try:
        with _deadline_inside(Deadline(1e-9)):
            assert sys.getprofile() is profiler
    finally:
        sys.setprofile(None)


def test_fuzz_regression_a_paragraph_of_100000_runs_stops_at_the_time_limit() -> None:
    """One paragraph of 100,000 runs (a 15 KB file): the deadline was checked between paragraphs only, and
    picking the line's commonest font size was quadratic in its runs (18 s for a 1 s limit)."""
    limits = ParseLimits(timeout_s=1)
    started = time.perf_counter()
    with pytest.raises(ParseTimeout) as caught:
        parse_document(sample("broken/fuzz-paragraph-of-100000-runs.docx"), limits=limits)
    assert caught.value.message == "parsing took longer than 1 s"
    assert time.perf_counter() - started < limits.timeout_s + TIME_MARGIN_S


def test_fuzz_regression_html_checks_the_deadline_after_parsing() -> None:
    """10,000 unclosed CDATA sections were quadratic in html.parser and called back only as text, so the
    deadline, checked every 200 start tags, never stopped them; the deadline is now checked after libxml2's
    parse as well as during the walk over the tree."""
    data = sample("broken/fuzz-unterminated-cdata.html").read_bytes()
    with pytest.raises(ParseTimeout) as caught:
        parse_html(data, ParseLimits(), Deadline(1e-9))
    assert caught.value.message == "parsing took longer than 1e-09 s"


def test_fuzz_regression_html_that_was_quadratic_parses_within_a_short_time_limit() -> None:
    """The CDATA input above took html.parser past any limit; libxml2 reads it in linear time."""
    doc = parse_document(sample("broken/fuzz-unterminated-cdata.html"), limits=ParseLimits(timeout_s=0.5))
    assert doc.text == "Senior ML Engineer\n\nWe train models."


# --- the property itself -----------------------------------------------------------------------------------------
def test_fuzz_check_fails_an_untyped_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.matcher.parsing.fuzzing as fuzzing

    def broken(data: bytes, **_: object) -> None:
        raise KeyError("oops")

    monkeypatch.setattr(fuzzing, "parse_document", broken)
    outcome = check(b"%PDF-1.7", measure_memory=False)
    assert (outcome.code, outcome.problem) == ("unexpected", "untyped KeyError: 'oops'")


def test_fuzz_check_fails_a_multi_line_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.matcher.parsing.fuzzing as fuzzing

    def broken(data: bytes, **_: object) -> None:
        raise CorruptDocument("damaged PDF:\ntraceback follows")

    monkeypatch.setattr(fuzzing, "parse_document", broken)
    outcome = check(b"%PDF-1.7", measure_memory=False)
    assert outcome.failed
    assert outcome.code == "corrupt_file"


def test_fuzz_check_passes_documents_and_typed_errors() -> None:
    assert check(b"Jane Roe\n\nSkills\nPython\n").code == "ok"
    outcome = check(sample("broken/truncated.pdf").read_bytes())
    assert (outcome.code, outcome.failed) == ("corrupt_file", False)
