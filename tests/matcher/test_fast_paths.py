"""Each shortcut on the per-request path gives exactly what the slow path it replaces gives.

Tagging without a spaCy Doc, cached transferable-skill search, credits for the asked skills only, personal-data
patterns searched near their hints, memoised heading keys: each is checked against the plain computation on
the samples, the shared real documents (when present) and generated texts.
"""

from __future__ import annotations

import json
import random
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc

from matcher.analysis import DocumentAnalysis, analyse_document, headings, pii, sections
from matcher.analysis.facts import mention_importance
from matcher.engine import Engine
from matcher.errors import SkillmatchError
from matcher.parsing import ParsedDocument, parse_document
from matcher.scoring.match import Credit, CreditIndex, recency_factor, score_match
from matcher.scoring.profiles import ProfileSkill
from matcher.settings import Settings
from matcher.tagging.pipeline import build_nlp
from matcher.tagging.tagger import Tagger
from matcher.taxonomy import Taxonomy
from matcher.types import DocumentKind
from tests.conftest import SAMPLES, SHARED_DATA

AS_OF = 2026
#: a parsed document and its analysis
Analysed = tuple[ParsedDocument, DocumentAnalysis]
#: Hard cases for every stage: URLs and e-mails (masked or found), ambiguous forms, typos, odd Unicode.
TRICKY = [
    "",
    " ",
    "Go, R and Spark; go to market; R&D; follow-up; Excel/PowerBI; C/C++; C#/.NET; ASP.NET; Node.js",
    "Built models in PyTorch/TensorFlow on AWS (S3, SageMaker). scikit learn, Scikit-Learn, sci-kit-learn.",
    "Kubernetis, Tensorflw and Pytroch misspelt; CNNs, Python3, TF2, LLMs, indexes, caches",
    "İstanbul İİİ ǅ ß ﬁ Ωmega — e.g. i.e. A/B testing, CI/CD, TCP/IP, React/Redux",
    "jane.doe@example.com | jane [at] example [dot] com | jane(at)example.com | a@b, c@d.e, @handle",
    "https://github.com/ana/python-tools www.ana.dev github.com/ana. (https://ana.github.io/blog) fb.co/jd",
    "+1 (415) 555-0142 | 0049 30 12345678 | tel. 555-010-4477 ext. 12 | 2019-2021 | 03/2018 - 11/2020",
    "Email:jane@x.io\nPhone:+44 20 7946 0958\n\tLinkedIn: linkedin.com/in/jane\r\nWeb: jane.me",
    "x" * 300 + ".com " + "y@" * 50 + "z.org " + "9" * 40,
]


def _text_files() -> list[Path]:
    folders = [SAMPLES / "resumes", SAMPLES / "jobs", SAMPLES / "eval" / "resumes", SAMPLES / "eval" / "jobs"]
    return [p for folder in folders for p in sorted(folder.iterdir()) if p.is_file()]


def _shared_texts(limit: int = 120) -> list[tuple[DocumentKind, str]]:
    """Labelled resumes and job posts from ../shared/data/dev, when that folder is there."""
    found: list[tuple[DocumentKind, str]] = []
    for name, kind in (("spans-dotin-train.jsonl", "resume"), ("spans-skillspan-dev.jsonl", "job")):
        path = SHARED_DATA / "dev" / name
        if path.is_file():
            with path.open(encoding="utf-8") as lines:
                found += [(kind, json.loads(line)["text"]) for line, _ in zip(lines, range(limit), strict=False)]
    return found  # type: ignore[return-value]


@pytest.fixture(scope="module")
def documents() -> list[Analysed]:
    """Every sample document (all formats), the shared dev texts and a few shared PDFs, parsed and analysed."""
    found: list[tuple[DocumentKind, ParsedDocument]] = []
    for path in _text_files():
        kind: DocumentKind = "job" if "jobs" in path.parts else "resume"
        try:
            found.append((kind, parse_document(path)))
        except SkillmatchError:
            continue
    for kind, text in _shared_texts():
        found.append((kind, parse_document(text.encode("utf-8"))))
    shared_pdfs = [SHARED_DATA / "documents" / "sb2nov" / "sourabh_bajaj_resume.pdf"]
    shared_pdfs += sorted((SHARED_DATA / "documents" / "resume-matcher" / "Resume_archive").glob("*.pdf"))[:3]
    for path in shared_pdfs:
        if path.is_file():
            found.append(("resume", parse_document(path)))
    as_of = date(AS_OF, 12, 1)
    return [(doc, analyse_document(doc, as_of=as_of, kind=kind)) for kind, doc in found]


@pytest.fixture(scope="module")
def texts(documents: list[Analysed]) -> list[str]:
    return [*TRICKY, *(doc.text for doc, _ in documents)]


# --------------------------------------------------------------------------- tagging without a Doc


@Language.component("skillmatch_test_passthrough")
def _passthrough(doc: Doc) -> Doc:
    """A component that needs a Doc: a pipeline holding it must take the spaCy path."""
    return doc


@pytest.fixture(scope="module")
def doc_tagger(taxonomy: Taxonomy) -> Tagger:
    """A tagger forced onto the spaCy path (one more component), otherwise the default pipeline."""
    nlp = build_nlp(taxonomy)
    nlp.add_pipe("skillmatch_test_passthrough", first=True)
    return Tagger(taxonomy, nlp=nlp)


def test_fast_paths_tagging_takes_the_lexicon_only_for_our_tagger_alone(tagger: Tagger, doc_tagger: Tagger) -> None:
    assert tagger.direct_lexicon() is tagger.nlp.get_pipe("skillmatch_skill_tagger").lexicon
    assert doc_tagger.direct_lexicon() is None


def test_fast_paths_tagging_mentions_equal_the_spacy_component(tagger: Tagger, texts: list[str]) -> None:
    nlp = tagger.nlp
    for text in texts:
        fast = tagger.mentions(text)
        assert isinstance(fast, tuple)
        assert fast == nlp(tagger._make_doc(text))._.skill_mentions, text[:80]
        assert fast == nlp(text)._.skill_mentions, text[:80]  # the components API, without our text key
    assert list(tagger.mentions_many(texts)) == [doc._.skill_mentions for doc in nlp.pipe(texts)]


def test_fast_paths_tagging_results_equal_the_doc_path(
    tagger: Tagger, doc_tagger: Tagger, documents: list[Analysed], texts: list[str]
) -> None:
    for i, (doc, analysis) in enumerate(documents):
        fast = tagger.tag_analysed(doc.text, analysis, source=f"doc{i}")
        assert fast == doc_tagger.tag_analysed(doc.text, analysis, source=f"doc{i}")
    named = [(f"text{i}", text) for i, text in enumerate(texts)]
    assert list(tagger.tag_many(named, batch_size=7)) == list(doc_tagger.tag_many(named, batch_size=7))
    for text in texts[:20]:
        assert tagger.tag(text) == doc_tagger.tag(text)


def test_fast_paths_tagging_keeps_spacy_errors(taxonomy: Taxonomy) -> None:
    nlp = build_nlp(taxonomy)
    nlp.max_length = 50
    short = Tagger(taxonomy, nlp=nlp)
    assert short.direct_lexicon() is not None
    with pytest.raises(ValueError, match="E088"):
        short.mentions("Python " * 10)
    with pytest.raises(ValueError, match="E088"):
        list(short.mentions_many(["Python", "Python " * 10]))
    blank = spacy.blank("en")
    blank.add_pipe("skillmatch_skill_tagger")
    with pytest.raises(SkillmatchError, match="not initialised"):
        Tagger(taxonomy, nlp=blank).mentions("Python")


def test_fast_paths_tagging_job_levels_equal_one_level_per_mention(tagger: Tagger, documents: list[Analysed]) -> None:
    """A skill is required when any mention is, else preferred, and background when every mention is: later
    mentions of a skill already required are no longer looked at."""
    jobs = [(doc, analysis) for doc, analysis in documents if analysis.kind == "job"]
    assert jobs
    for doc, analysis in jobs:
        for skill in tagger.tag_analysed(doc.text, analysis, source="j").skills:
            levels = [
                mention_importance(doc.text, analysis.sections, m.start, title_span=analysis.title_span)
                for m in skill.mentions
            ]
            assert skill.level == ("required" if "required" in levels else "preferred")
            assert skill.background == (set(levels) == {"background"})


# --------------------------------------------------------------------------- scoring


def _closest_by_search(
    index: CreditIndex, skill_id: str, owned: Mapping[str, object], max_distance: int = 3
) -> str | None:
    """The breadth-first search CreditIndex.closest ran on every call before it was cached."""
    skills = index.taxonomy.skills
    kind = skills[skill_id].kind
    seen = {skill_id}
    queue = deque([(skill_id, 0)])
    while queue:
        current, distance = queue.popleft()
        if current in owned and current != skill_id and skills[current].kind == kind:
            return current
        if distance == max_distance:
            continue
        skill = skills[current]
        for neighbour in sorted({*skill.broader, *skill.related, *index.taxonomy.narrower.get(current, ())}):
            if neighbour not in seen:
                seen.add(neighbour)
                queue.append((neighbour, distance + 1))
    return None


def _owned_sets(taxonomy: Taxonomy, engine: Engine, documents: list[Analysed]) -> Iterator[set[str]]:
    """The skills of a few real resumes, and random sets from empty to the whole taxonomy."""
    resumes = [doc for doc, analysis in documents if analysis.kind == "resume"][:4]
    for doc in resumes:
        profile = engine.analyse(doc, source="r", kind="resume").resume
        assert profile is not None
        yield set(profile.skills)
    rng = random.Random(7)
    ids = sorted(taxonomy.skills)
    for size in (0, 1, 12, 60, 400, len(ids)):
        yield set(rng.sample(ids, size))


def _every_curated_and_some_long_tail(taxonomy: Taxonomy) -> list[str]:
    """Every curated skill and every 25th long-tail one: the long tail's ~22,800 skills share a few link shapes
    (ESCO's hierarchy), and searching from all of them made this test minutes long."""
    ids = sorted(taxonomy.skills)
    curated = [sid for sid in ids if taxonomy.skills[sid].tier == "curated"]
    return curated + [sid for sid in ids if taxonomy.skills[sid].tier != "curated"][::25]


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(Settings(), tagger=tagger, as_of=AS_OF)


def test_fast_paths_closest_equals_the_search_on_every_skill(
    taxonomy: Taxonomy, engine: Engine, documents: list[Analysed]
) -> None:
    index = CreditIndex(taxonomy)  # a cold cache
    ids = _every_curated_and_some_long_tail(taxonomy)
    for owned in _owned_sets(taxonomy, engine, documents):
        for sid in ids:
            assert index.closest(sid, owned) == _closest_by_search(index, sid, owned), sid
    for owned in list(_owned_sets(taxonomy, engine, documents))[:3]:
        for sid in ids[::5]:
            for distance in (0, 1, 2):
                assert index.closest(sid, owned, max_distance=distance) == _closest_by_search(
                    index, sid, owned, distance
                )


def _brute_force_credits(
    index: CreditIndex, resume: Mapping[str, ProfileSkill], as_of: int, targets: Iterable[str] | None = None
) -> dict[str, Credit]:
    """The credit rule as the README states it, with no index tricks: the reference for every fast path."""
    best: dict[str, Credit] = {}
    givers = sorted(resume)  # ties: the first resume skill in id order
    for target in index.taxonomy.skills if targets is None else targets:
        if target in resume:
            best[target] = Credit(recency_factor(resume[target].last_used, as_of), 1.0, "exact", target)
            continue
        for giver in givers:
            offer = index.gives.get(giver, {}).get(target)
            if offer is None:
                continue
            value = offer[0] * recency_factor(resume[giver].last_used, as_of)
            if value > 0 and (target not in best or value > best[target].value):
                best[target] = Credit(value, offer[0], offer[1], giver)
    return best


def test_fast_paths_credits_equal_the_brute_force_rule(
    taxonomy: Taxonomy, engine: Engine, documents: list[Analysed]
) -> None:
    """One credit rule (CreditIndex.credits), whichever way it is walked: all targets, a few (from the targets'
    side), many (from the resume's side), or through a view set up once for many resumes."""
    index = engine.index
    rng = random.Random(11)
    ids = sorted(taxonomy.skills)
    for owned in _owned_sets(taxonomy, engine, documents):
        resume = {
            sid: ProfileSkill(sid, last_used=rng.choice([None, AS_OF, AS_OF - 4, AS_OF - 9])) for sid in sorted(owned)
        }
        reference = _brute_force_credits(index, resume, AS_OF)
        assert index.credits(resume, as_of=AS_OF) == reference
        for targets in (rng.sample(ids, 20), rng.sample(ids, 400), ids[:: max(1, len(ids) // 300)]):
            expected = {t: reference[t] for t in targets if t in reference}
            assert index.credits(resume, targets, as_of=AS_OF) == expected
            assert {t: Credit._make(c) for t, c in index.view(targets).credits(resume, as_of=AS_OF).items()} == expected


def test_fast_paths_reports_equal_reports_from_all_credits(
    engine: Engine, documents: list[Analysed], monkeypatch: pytest.MonkeyPatch
) -> None:
    analysed = [engine.analyse(doc, source=f"d{i}", kind=a.kind) for i, (doc, a) in enumerate(documents)]
    resumes = [a for a in analysed if a.resume is not None][:30]
    jobs = [a for a in analysed if a.job is not None][:12]
    assert resumes
    assert jobs
    fast = [score_match(r.resume, j.job, engine.index, as_of=AS_OF) for r in resumes for j in jobs]  # type: ignore[arg-type]
    slow_index = CreditIndex(engine.taxonomy)
    monkeypatch.setattr(
        slow_index,
        "credits",
        lambda resume, targets=None, *, as_of: _brute_force_credits(slow_index, resume, as_of, targets),
    )
    monkeypatch.setattr(
        slow_index,
        "closest",
        lambda sid, owned, *, max_distance=3: _closest_by_search(slow_index, sid, owned, max_distance),
    )
    slow = [score_match(r.resume, j.job, slow_index, as_of=AS_OF) for r in resumes for j in jobs]  # type: ignore[arg-type]
    assert fast == slow


# --------------------------------------------------------------------------- personal data

#: (pattern, hint, by lines) as find_personal_data searches them
_SCANS = [
    (pii._EMAIL, pii._EMAIL_HINT, False),
    (pii._EMAIL_SPELLED, pii._EMAIL_SPELLED_HINT, True),
    (pii._URL_SCHEME, pii._URL_SCHEME_HINT, False),
    (pii._URL_BARE, pii._URL_BARE_HINT, False),
    (pii._PHONE, pii._PHONE_HINT, True),
]
_PII_ALPHABET = [
    *"aAzZ09+-_.%@/()[] \t\n\r|,:;'\"<>`#?=\u00a0\u2028",
    "at", "dot", " at ", "[at]", "(AT)", " [dot] ", "(dot)", ".com", ".io/", ".in", ".js", "www.", "https://",
    "http:/", "ext.", "+44 ", "(0)", "415", "555-0142", "2019", "github", "jane", "\u0660\u0661",
]  # fmt: skip


def _assert_scans_equal(text: str) -> None:
    for pattern, hint, lines in _SCANS:
        fast = [m.span() for m in pii._scan(pattern, hint, text, lines=lines)]
        assert fast == [m.span() for m in pattern.finditer(text)], (pattern.pattern[:40], text[:80])


def test_fast_paths_pii_scans_equal_full_searches(texts: list[str]) -> None:
    for text in texts:
        _assert_scans_equal(text)


_space = st.sampled_from(["", " ", "\t", "  ", " \t", "\n"])
_word = st.sampled_from(["jane", "a", "x-1", "J.D", "ex_ample", "co", "IO", "9"])
#: near misses of spelled e-mails and bare URLs: each part of the patterns, with or without its neighbours
_spelled = st.tuples(
    _word, _space, st.sampled_from("[("), _space, st.sampled_from(["at", "AT", "a"]), _space, st.sampled_from("])"),
    _space, _word, st.sampled_from([".com", " [dot] com", "(DOT)io", "", ".x.y", "[dot]"]),
).map("".join)  # fmt: skip
_url = st.tuples(
    st.sampled_from(["https://", "www.", "", "http:/", "@", "-"]), _word,
    st.sampled_from([".com", ".io/", ".in", ".js", ".co/x", ".me", ".uk.", ".Com", ".ai/", ".ly/x", ".gg/", ".be"]),
    st.sampled_from(["", "/path", ".", ")", "/", "-x", "_"]),
).map("".join)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_PII_ALPHABET), _spelled, _url), max_size=40).map("".join))
def test_fast_paths_pii_scans_equal_full_searches_on_generated_text(text: str) -> None:
    _assert_scans_equal(text)


def _phone_ok_unshortened(candidate: str) -> bool:
    """pii._phone_ok before its early "fewer than 8 digits" exit."""
    digits = sum(ch.isdigit() for ch in candidate)
    core = re.sub(r"[ \u00a0]*(?:x|ext\.?)[ \u00a0]*\d+$", "", candidate, flags=re.IGNORECASE)
    if pii._DATEISH.match(core.strip()):
        return False
    groups = re.findall(r"\d+", core)
    if candidate.startswith(("+", "00")):
        return 8 <= digits <= 15
    if "(" in candidate:
        return 10 <= digits <= 15
    return 10 <= digits <= 15 and len(groups) >= 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789 +()-.x", "ext. ", "00", "\u0661"]), max_size=24).map("".join))
def test_fast_paths_pii_phone_check_equals_the_unshortened_one(candidate: str) -> None:
    assert pii._phone_ok(candidate) == _phone_ok_unshortened(candidate)


def test_fast_paths_pii_findings_equal_full_searches(
    documents: list[Analysed], texts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def findings() -> list[object]:
        found: list[object] = [pii.find_personal_data(doc.text, a.sections, a.kind) for doc, a in documents]
        return found + [pii.find_personal_data(text) for text in texts]

    fast = findings()
    monkeypatch.setattr(pii, "_scan", lambda pattern, hint, text, *, lines=False: pattern.finditer(text))
    monkeypatch.setattr(pii, "_phone_ok", _phone_ok_unshortened)
    assert findings() == fast
    assert any(data.findings for data in fast)  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- sections


def test_fast_paths_heading_keys_and_section_lookups_equal_uncached(documents: list[Analysed]) -> None:
    uncached = headings.heading_key.__wrapped__
    for doc, analysis in documents:
        for line in doc.text.splitlines():
            assert headings.heading_key(line) == uncached(line)
        find = sections.section_finder(analysis.sections)
        for offset in range(-1, len(doc.text) + 2, 7):
            assert find(offset) == sections.section_at(analysis.sections, offset)
