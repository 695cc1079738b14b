"""The gap report as Markdown and HTML (matcher/report/render.py), built from real reports of the sample documents."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest
from pydantic import ValidationError

from matcher.engine import Engine
from matcher.report.model import report_to_dict
from matcher.report.render import LABELS, render_html, render_markdown, skill_names
from matcher.scoring.match import MatchReport, SkillLine
from matcher.scoring.profiles import Evidence
from matcher.tagging.tagger import Tagger
from tests.conftest import SAMPLES

RESUME = "samples/resumes/ml_engineer_resume.md"
JOB = "samples/jobs/ml_engineer_job.md"
HOSTILE = "<script>alert(1)</script>"
CONTACT_TEXT = "ana.example@example.org"


@pytest.fixture(scope="module")
def engine(tagger: Tagger) -> Engine:
    return Engine(tagger=tagger, as_of=2026)


@pytest.fixture(scope="module")
def report(engine: Engine) -> MatchReport:
    resume = engine.load(RESUME, kind="resume")
    job = engine.load(JOB, kind="job")
    return engine.match(resume, job)


@pytest.fixture(scope="module")
def capped(engine: Engine) -> MatchReport:
    """A real capped report: the job asks Kubernetes with years, the resume has nothing near it."""
    resume = engine.load(SAMPLES / "resumes" / "applied_scientist_table_header.docx", kind="resume")
    job = engine.load(SAMPLES / "jobs" / "nlp_engineer_years.txt", kind="job")
    report = engine.match(resume, job)
    assert report.cap_reason is not None, "the sample pair no longer hits the must-have cap"
    return report


@pytest.fixture(scope="module")
def low_trust(engine: Engine) -> MatchReport:
    resume = engine.load(SAMPLES / "broken" / "keyword_stuffing.pdf", kind="resume")
    report = engine.match(resume, engine.load(JOB, kind="job"))
    assert report.low_trust
    return report


@pytest.fixture(scope="module")
def names(engine: Engine) -> dict[str, str]:
    return skill_names(engine.taxonomy)


def _lines(report: MatchReport) -> Iterator[SkillLine]:
    yield from report.matched
    yield from report.partial
    yield from report.missing


def _with_contact_evidence(report: MatchReport) -> MatchReport:
    """The first matched skill also mentioned in the contact block (as a name or e-mail might be)."""
    first = report.matched[0]
    contact = Evidence(section="contact", start=0, end=len(CONTACT_TEXT), text=CONTACT_TEXT)
    line = dataclasses.replace(first, resume_evidence=(contact, *first.resume_evidence))
    return dataclasses.replace(report, matched=(line, *report.matched[1:]))


def _hostile(report: MatchReport) -> MatchReport:
    """Upload-controlled text everywhere it can reach the page: evidence of both documents, titles, file name."""
    evil = Evidence(section="requirements", start=0, end=len(HOSTILE), text=HOSTILE)
    first = report.matched[0]
    line = dataclasses.replace(first, job_evidence=(evil,), resume_evidence=(evil,))
    return dataclasses.replace(
        report,
        matched=(line, *report.matched[1:]),
        job_title='Engineer"><img src=x onerror=alert(2)>',
        resume_source="cv<iframe>.pdf",
        trust_warnings=("resume: <b>bold</b>",),
        low_trust=True,
    )


# ------------------------------------------------------------------------------------------------------- Markdown


def _body_rows(markdown: str, heading: str) -> list[list[str]]:
    """The body rows of the table under ``## heading``: cells stripped, escaped pipes kept inside cells."""
    section = markdown.split(f"## {heading}", 1)[1]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("## "):
            break
        if line.startswith("|"):
            rows.append([c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]])
    return rows[2:]  # without the header and the --- rule


def test_markdown_has_score_skills_and_taxonomy_version(report: MatchReport, names: dict[str, str]) -> None:
    markdown = render_markdown(report, names=names)
    title = markdown.splitlines()[0]
    assert title.startswith("# ")
    assert f"{report.score:.1f} / 100" in title
    for line in _lines(report):
        assert line.name in markdown, line.name
    assert report.taxonomy_version in markdown.splitlines()[-1]
    assert RESUME in markdown
    assert report.job_title is not None
    assert report.job_title in markdown


def test_markdown_sections_in_order(report: MatchReport) -> None:
    markdown = render_markdown(report)
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    expected = ["How the score is computed", "Qualifications", "Matched skills", "Partial matches", "Missing skills",
                "Learning order", "Coverage by category", "Seniority and years", "Documents"]  # fmt: skip
    assert report.qualifications  # the job has a title: the qualifications come first
    assert len(headings) == len(expected)
    for heading, start in zip(headings, expected, strict=True):
        assert heading.startswith(start)


def test_components_table_recomputes_the_uncapped_score(report: MatchReport, capped: MatchReport) -> None:
    for rep in (report, capped):
        rows = _body_rows(render_markdown(rep), "How the score is computed")
        *components, total = rows
        assert len(components) == (5 if rep.qualifications else 4)
        contributions = []
        for _label, value, weight, contribution in components:
            value_f, weight_f, contribution_f = float(value), float(weight), float(contribution)
            assert contribution_f == pytest.approx(100 * weight_f * value_f, abs=0.006)
            contributions.append(contribution_f)
        assert sum(float(c[2]) for c in components) == pytest.approx(1.0)
        assert float(total[3].strip("*")) == pytest.approx(sum(contributions), abs=0.011)
        assert sum(contributions) == pytest.approx(rep.uncapped_score, abs=0.06)


def test_matched_and_partial_show_evidence_from_both_documents(report: MatchReport, names: dict[str, str]) -> None:
    markdown = render_markdown(report, names=names)
    matched = _body_rows(markdown, "Matched skills")
    assert len(matched) == len(report.matched)
    for row, line in zip(matched, report.matched, strict=True):
        assert row[0].startswith(line.name)
        assert ("**(must-have)**" in row[0]) == line.must_have
        if line.via:  # asked "A or B", has B
            assert row[0].endswith(f"(has {names[line.via]})")
        first_job, first_resume = line.job_evidence[0], line.resume_evidence[0]
        assert row[5].startswith(f"{first_job.section}: “{first_job.text}”")
        assert row[6].startswith(f"{first_resume.section}: “{first_resume.text}”")
    partial = _body_rows(markdown, "Partial matches")
    assert len(partial) == len(report.partial)
    for row, line in zip(partial, report.partial, strict=True):
        assert line.relation is not None
        assert row[0] == line.name
        assert line.relation in row[3]  # "has a narrower skill"
        assert line.via is not None
        assert row[4] == names[line.via]  # the resume skill that earned it, by name
        assert row[5].endswith(f"{line.credit:.4f}".rstrip("0").rstrip("."))
        assert ("recency" in row[5]) == (line.recency_factor != 1)


def test_credit_formula_shows_its_factors(report: MatchReport) -> None:
    line = dataclasses.replace(
        report.partial[0], relation="narrower", credit=0.51, experience_factor=0.75, recency_factor=0.85
    )
    rows = _body_rows(render_markdown(dataclasses.replace(report, partial=(line,))), "Partial matches")
    assert rows[0][5] == "0.8 × 0.75 experience × 0.85 recency = 0.51"


def test_missing_skills_ranked_with_transferable_and_prerequisites(report: MatchReport, names: dict[str, str]) -> None:
    markdown = render_markdown(report, names=names)
    rows = _body_rows(markdown, "Missing skills")
    assert [row[1] for row in rows] == [line.name for line in report.missing]
    assert [int(row[0]) for row in rows] == list(range(1, len(rows) + 1))
    for row, line in zip(rows, report.missing, strict=True):
        assert float(row[3]) == line.weight
        assert row[4] == ("**yes**" if line.must_have else "no")
        assert row[5] == (names[line.transferable] if line.transferable else "—")
        assert row[6] == (", ".join(names[p] for p in line.prerequisites) or "—")
    assert any(line.transferable for line in report.missing), "the sample has a transferable skill"
    assert any(line.prerequisites for line in report.missing), "the sample has a missing prerequisite"
    learning = markdown.split("## Learning order", 1)[1].split("## ", 1)[0]
    steps = [line.split(". ", 1)[1] for line in learning.splitlines() if re.match(r"\d+\. ", line)]
    assert steps == [names[s] for s in report.learning_order]


def test_ids_fall_back_to_the_id_without_names(report: MatchReport) -> None:
    line_names = {line.skill_id for line in _lines(report)}
    unnamed = [p for line in report.missing for p in line.prerequisites if p not in line_names]
    assert unnamed, "the sample has a prerequisite no report line names"
    markdown = render_markdown(report)
    for skill_id in unnamed:
        assert skill_id in markdown
    named = render_markdown(report, names={skill_id: f"Display {i}" for i, skill_id in enumerate(unnamed)})
    assert all(f"Display {i}" in named for i in range(len(unnamed)))


def test_capped_report_names_the_cap_in_the_title(capped: MatchReport) -> None:
    markdown = render_markdown(capped)
    title = markdown.splitlines()[0]
    assert "65.0 / 100" in title
    assert "Kubernetes" in title
    assert f"{capped.uncapped_score:.1f}" in markdown


def test_low_trust_warning_block(low_trust: MatchReport, report: MatchReport) -> None:
    markdown = render_markdown(low_trust)
    block = [line for line in markdown.splitlines() if line.startswith(">")]
    assert "low-trust" in block[0]
    assert any("hidden text" in line for line in block)
    assert "low-trust" not in render_markdown(report)


def test_blind_markdown_drops_the_file_name_and_contact_evidence(engine: Engine) -> None:
    resume = engine.load(RESUME, kind="resume")
    job = engine.load(SAMPLES / "eval" / "jobs" / "ml_engineer.md", kind="job")
    report = _with_contact_evidence(engine.match(resume, job))
    seen = render_markdown(report)
    blind = render_markdown(report, blind=True)
    assert RESUME in seen
    assert CONTACT_TEXT.replace("@", "") in seen.replace("\\", "").replace("@", "")
    assert "education: “statistics”" in seen  # real education evidence of this pair
    assert "ml_engineer_resume" not in blind
    assert "example.org" not in blind
    assert "education:" not in blind
    assert "blind mode" in blind
    assert f"{report.score:.1f} / 100" in blind


def test_markdown_escapes_document_text(report: MatchReport) -> None:
    markdown = render_markdown(_hostile(report))
    assert re.search(r"(?<!\\)<", markdown) is None  # every < escaped: no HTML reaches a Markdown renderer
    assert r"\<script\>alert(1)\</script\>" in markdown
    # a pipe in a document cannot add a column
    piped = dataclasses.replace(report.matched[0], name="a | b")
    rows = _body_rows(render_markdown(dataclasses.replace(report, matched=(piped,))), "Matched skills")
    assert len(rows[0]) == 7


def test_same_document_same_markdown(engine: Engine, report: MatchReport) -> None:
    """Parse times differ between two loads; the report text does not (it leaves them out)."""
    again = engine.match(engine.load(RESUME, kind="resume"), engine.load(JOB, kind="job"))
    assert render_markdown(again) == render_markdown(report)
    assert render_html(again) == render_html(report)


# ----------------------------------------------------------------------------------------------------------- HTML

_VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source", "track"})


class _Checker(HTMLParser):
    """Tags balance, and what the page holds: tags, attributes, headings, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def test_html_is_well_formed_and_accessible(report: MatchReport, names: dict[str, str]) -> None:
    page = render_html(report, names=names)
    assert page.startswith("<!DOCTYPE html>")
    checker = _check(page)
    tags = checker.tags
    assert ("html", {"lang": "en"}) in tags
    assert any(t == "meta" and a.get("name") == "viewport" and "width=device-width" in (a.get("content") or "")
               for t, a in tags)  # fmt: skip
    assert any(t == "meta" and a.get("charset") == "utf-8" for t, a in tags)
    # one h1, headings never skip a level
    assert checker.headings.count(1) == 1
    assert checker.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(checker.headings, checker.headings[1:], strict=False))
    # every table has a caption and column headers
    assert sum(t == "table" for t, _ in tags) == sum(t == "caption" for t, _ in tags) >= 5
    assert all(a.get("scope") in ("col", "row") for t, a in tags if t == "th")
    # ids referenced by aria-labelledby exist
    ids = {a["id"] for _, a in tags if a.get("id")}
    for _, attrs in tags:
        for ref in (attrs.get("aria-labelledby") or "").split():
            assert ref in ids, ref
    assert "@media (max-width" in page  # responsive at phone width


def test_html_has_the_same_content_as_the_markdown(report: MatchReport, names: dict[str, str]) -> None:
    page = render_html(report, names=names)
    text = " ".join(" ".join(_check(page).text).split())
    assert f"{report.score:.1f}" in text
    for line in _lines(report):
        assert line.name in text, line.name
    for step in report.learning_order:
        assert names[step] in text
    assert report.taxonomy_version in text
    total = re.search(r"Total \(uncapped score\)\s+1\.00\s+([\d.]+)", text)
    assert total is not None
    assert float(total.group(1)) == pytest.approx(report.uncapped_score, abs=0.06)
    assert "“Python”" not in text  # quotes are <q> elements in HTML
    assert "requirements: Python" in text


def test_html_coverage_chart_has_one_labelled_bar_per_category(report: MatchReport, engine: Engine) -> None:
    page = render_html(report, category_names=engine.taxonomy.categories)
    checker = _check(page)
    svgs = [a for t, a in checker.tags if t == "svg"]
    assert len(svgs) == 1
    assert svgs[0].get("role") == "img"
    assert svgs[0].get("aria-labelledby")
    bars = [a for t, a in checker.tags if t == "rect" and a.get("class") == "bar"]
    assert [b["data-category"] for b in bars] == list(report.coverage_by_category)
    for bar, value in zip(bars, report.coverage_by_category.values(), strict=True):
        assert float((bar["width"] or "").rstrip("%")) == pytest.approx(value * 100, abs=0.06)
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", page)
    assert desc is not None
    for category, value in report.coverage_by_category.items():
        label = html.escape(engine.taxonomy.categories[category])
        assert f"{label}: {value * 100:.0f}%" in desc.group(1)


def test_html_escapes_document_text(report: MatchReport) -> None:
    page = render_html(_hostile(report))
    checker = _check(page)
    tags = {t for t, _ in checker.tags}
    assert not tags & {"script", "img", "iframe", "b"}
    assert html.escape(HOSTILE) in page
    assert "alert(1)" in "".join(checker.text)  # shown as text
    assert not any(name.startswith("on") for _, attrs in checker.tags for name in attrs)


def test_html_is_self_contained(report: MatchReport, low_trust: MatchReport) -> None:
    for rep in (report, low_trust):
        page = render_html(rep)
        assert "http://" not in page
        assert "https://" not in page
        assert "@import" not in page
        assert "url(" not in page
        checker = _check(page)
        assert not {t for t, _ in checker.tags} & {"link", "script", "img", "iframe", "object", "embed"}
        assert not any(name in ("src", "href") for _, attrs in checker.tags for name in attrs)


def test_html_blind_mode_and_warnings(engine: Engine, low_trust: MatchReport, capped: MatchReport) -> None:
    report = _with_contact_evidence(
        engine.match(engine.load(RESUME, kind="resume"), engine.load(SAMPLES / "eval" / "jobs" / "ml_engineer.md",
                                                                      kind="job"))
    )  # fmt: skip
    seen, blind = render_html(report), render_html(report, blind=True)
    assert RESUME in seen
    assert CONTACT_TEXT in seen
    assert "ml_engineer_resume" not in blind
    assert CONTACT_TEXT not in blind
    assert "education:</span> <q>statistics</q>" in seen
    assert "education:</span>" not in blind
    page = render_html(low_trust)
    assert 'class="warning"' in page
    assert "hidden text" in page
    assert 'class="warning"' not in render_html(report)
    assert "Capped: missing must-have: Kubernetes" in render_html(capped)


def test_empty_report_renders(report: MatchReport) -> None:
    """A job post with no skills still gives a readable page and document."""
    empty = dataclasses.replace(report, matched=(), partial=(), missing=(), learning_order=(), coverage_by_category={})
    markdown = render_markdown(empty)
    assert "Nothing is missing." in markdown
    page = render_html(empty)
    _check(page)
    assert "<svg" not in page


def test_render_validates_a_stored_report_before_showing_it(report: MatchReport) -> None:
    """A stored report that does not fit the model is refused, not half shown."""
    stored = report_to_dict(report)
    assert render_markdown(stored).startswith("# Match score")
    broken = {**stored, "score": "high"}
    with pytest.raises(ValidationError):
        render_markdown(broken)
    with pytest.raises(ValidationError):
        render_html(broken)


def test_render_verdict_and_qualifications(report: MatchReport) -> None:
    """Issue 17: the verdict beside the score, and a table of the qualifications with why each got its credit."""
    markdown, page = render_markdown(report), render_html(report)
    verdict = LABELS["verdicts"][report.verdict]
    assert f"({verdict.lower()})" in markdown.splitlines()[0]
    assert f"**Verdict:** {verdict}" in markdown
    assert f'<p class="verdict">{verdict}</p>' in page
    rows = _body_rows(markdown, "Qualifications")
    assert [row[0] for row in rows] == [line.name for line in report.qualifications]
    assert [row[5] for row in rows] == [_md_text(line.reason) for line in report.qualifications]


def _md_text(text: str) -> str:
    return re.sub(r"([\\`*\[\]<>|#~&!_])", r"\\\1", text)


def test_render_a_report_stored_before_issue_17(report: MatchReport) -> None:
    """No qualifications and no verdict: the four components and no qualifications table, as it was shown then."""
    stored = report_to_dict(report)
    old = {k: v for k, v in stored.items() if k not in ("qualifications", "verdict")}
    old["components"] = {k: v for k, v in stored["components"].items() if k != "qualifications"}
    weights = {k: v for k, v in stored["component_weights"].items() if k != "qualifications"}
    old["component_weights"] = {k: v / sum(weights.values()) for k, v in weights.items()}
    markdown = render_markdown(old)
    assert "Qualifications" not in markdown
    assert "Verdict" not in markdown
    assert len(_body_rows(markdown, "How the score is computed")) == 5  # four components and the total


def test_render_labels_are_one_table(report: MatchReport) -> None:
    """Both formats show the labels of LABELS (the web page reads the same table)."""
    text, page = render_markdown(report), render_html(report)
    for label in LABELS["components"].values():
        assert label in text
        assert label in page
    for title, caption in LABELS["sections"].values():
        assert title in text
        assert title in page
        assert caption in page
