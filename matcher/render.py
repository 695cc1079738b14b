"""The gap report for people: Markdown and one self-contained HTML page.

Both are built from :func:`matcher.report.report_to_dict`, the JSON form, so the three formats can never
disagree, and blind mode (no resume file name, no resume evidence from its contact and education sections) is
applied in one place. Every piece of document text (evidence, titles, file names) comes from untrusted uploads:
the HTML escapes it with :func:`html.escape`, the Markdown with backslashes (CommonMark), so neither can carry
markup, links or scripts.

The components table lets a reader recompute the score: contribution = 100 x weight x value, and the
contributions sum to the uncapped score.

>>> from matcher.render import render_markdown, render_html, skill_names         # doctest: +SKIP
>>> render_markdown(report, names=skill_names(engine.taxonomy))                  # doctest: +SKIP
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

from matcher.report import report_to_dict
from matcher.scoring import RELATION_CREDIT, MatchReport
from matcher.taxonomy import Taxonomy

#: How many evidence spans each document shows per skill, and how long each quote may be.
MAX_EVIDENCE = 2
MAX_QUOTE = 60

_COMPONENT_LABELS = {
    "required_coverage": "Required skills covered",
    "preferred_coverage": "Preferred skills covered",
    "experience": "Years of experience",
    "title_fit": "Seniority fit",
}
_RELATION_TEXT = {
    "narrower": "has a narrower skill",
    "broader": "has the broader skill",
    "sibling": "has a sibling skill",
    "related": "has a related skill",
}
_DIAGNOSTIC_DOCS = ("resume", "job")


def skill_names(taxonomy: Taxonomy) -> dict[str, str]:
    """Skill id -> display name, for the ``names`` argument of the renderers."""
    return {sid: skill.name for sid, skill in taxonomy.skills.items()}


# --------------------------------------------------------------------------------------------------------- common


class _Names:
    """Display names: the caller's mapping first (the taxonomy's names), then the report's lines (a line asking
    alternatives is named "A or B", so it names its id only when the caller has nothing better), then the id."""

    def __init__(
        self, data: Mapping[str, Any], names: Mapping[str, str] | None, category_names: Mapping[str, str] | None
    ) -> None:
        self.skills: dict[str, str] = {}
        for group in ("matched", "partial", "missing"):
            for line in data[group]:
                self.skills[line["id"]] = line["name"]
        self.skills.update(names or {})
        self.categories = dict(category_names or {})

    def skill(self, skill_id: str | None) -> str:
        return "" if skill_id is None else self.skills.get(skill_id, skill_id)

    def category(self, category: str) -> str:
        return self.categories.get(category) or category.replace("_", " ").capitalize()


def _num(value: float, places: int = 4) -> str:
    """A number without trailing zeros: 0.68, 1, 0.6375."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def _contribution(weight: float, value: float) -> float:
    return 100 * weight * value


def _clean(text: str, limit: int | None = None) -> str:
    """One line of text, shortened to ``limit`` characters."""
    text = " ".join(str(text).split())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def _component_rows(data: Mapping[str, Any]) -> list[tuple[str, float, float, float]]:
    weights = data["component_weights"]
    return [
        (_COMPONENT_LABELS.get(name, name), value, weights.get(name, 0.0), _contribution(weights.get(name, 0.0), value))
        for name, value in data["components"].items()
    ]


def _credit_formula(line: Mapping[str, Any]) -> str:
    """How a credit was reached when factors apply: ``0.8 x 0.85 recency = 0.68``; else the credit alone."""
    factors = [
        f"{_num(line[key])} {label}"
        for key, label in (("experience_factor", "experience"), ("recency_factor", "recency"))
        if line[key] != 1
    ]
    if not factors:
        return _num(line["credit"])
    base = RELATION_CREDIT[line["relation"]] if line["relation"] else 0.0
    return f"{' × '.join([_num(base), *factors])} = {_num(line['credit'])}"


def _years_text(line: Mapping[str, Any]) -> str:
    parts = []
    if line["years"] is not None:
        parts.append(f"{_num(line['years'], 1)} y")
    elif line["years_asked"] is not None:
        parts.append("years unknown")
    if line["years_asked"] is not None:
        parts.append(f"{_num(line['years_asked'], 1)} asked")
    if line["last_used"] is not None:
        parts.append(f"last used {line['last_used']}")
    return ", ".join(parts)


def _evidence_items(evidence: Sequence[Mapping[str, Any]]) -> tuple[list[tuple[str, str]], int]:
    """(section, short quote) of the first spans, and how many more there are."""
    shown = [(e["section"] or "no section", _clean(e["text"], MAX_QUOTE)) for e in evidence[:MAX_EVIDENCE]]
    return shown, max(0, len(evidence) - MAX_EVIDENCE)


def _diagnostic_parts(diag: Mapping[str, Any]) -> list[str]:
    """The deterministic parse diagnostics worth a reader's time (never the parse time)."""
    parts = []
    if diag.get("parser"):
        parts.append(f"read with {diag['parser']}")
    if diag.get("chars") is not None:
        parts.append(f"{diag['chars']:,} characters")
    sections = list(dict.fromkeys(diag.get("sections_found") or ()))
    parts.append(f"sections: {', '.join(sections)}" if sections else "no sections found")
    if diag.get("columns") and max(diag["columns"]) > 1:
        parts.append(f"up to {max(diag['columns'])} columns")
    if diag.get("hidden_text_count"):
        parts.append(f"{diag['hidden_text_count']} spans of hidden text (not scored)")
    if diag.get("scanned_pages"):
        parts.append(f"scanned pages: {', '.join(map(str, diag['scanned_pages']))}")
    return parts


def _seniority_rows(data: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    def show(value: Any, unit: str = "") -> str:
        if value is None:
            return "not stated"
        return f"{_num(value, 1)}{unit}" if isinstance(value, int | float) else str(value)

    return [
        ("Seniority", show(data["seniority"]["resume"]), show(data["seniority"]["job"])),
        ("Years of experience", show(data["years"]["resume"], " years"), show(data["years"]["asked"], " years")),
    ]


def _title(data: Mapping[str, Any]) -> str:
    title = f"Match score {data['score']:.1f} / 100"
    if data["cap_reason"]:
        title += f": {_clean(data['cap_reason'])}"
    return title


_LOW_TRUST_TEXT = (
    "The text extraction was poor or hidden text was found, so this score may not reflect the documents. "
    "Check them before relying on it."
)


# ---------------------------------------------------------------------------------------------- shared table specs


class _Flavour:
    """How one output format writes document text and the few marked-up cells."""

    def esc(self, text: object) -> str:
        raise NotImplementedError

    def evidence(self, evidence: Sequence[Mapping[str, Any]]) -> str:
        raise NotImplementedError

    def must(self, text: str) -> str:
        raise NotImplementedError

    def skill(self, line: Mapping[str, Any]) -> str:
        return self.esc(line["name"]) + (" " + self.must("(must-have)") if line["must_have"] else "")


_Table = tuple[Sequence[str], list[Sequence[str]], str]  # header, rows (cells already escaped), alignment l/r


def _matched_table(data: Mapping[str, Any], n: _Names, f: _Flavour) -> _Table:
    """Matched skills; a line that asks alternatives ("Airflow or Kafka") names the one the resume has."""
    header = ("skill", "level", "weight", "credit", "years", "job evidence", "resume evidence")
    rows: list[Sequence[str]] = [
        (
            f.skill(line) + (f" (has {f.esc(n.skill(line['via']))})" if line["via"] else ""),
            f.esc(line["level"]),
            _num(line["weight"]),
            f.esc(_credit_formula(line)),
            f.esc(_years_text(line)) or "—",
            f.evidence(line["job_evidence"]),
            f.evidence(line["resume_evidence"]),
        )
        for line in data["matched"]
    ]
    return header, rows, "llrrlll"


def _partial_table(data: Mapping[str, Any], n: _Names, f: _Flavour) -> _Table:
    header = ("skill", "level", "weight", "relation", "earned by", "credit", "job evidence", "resume evidence")
    rows: list[Sequence[str]] = [
        (
            f.skill(line),
            f.esc(line["level"]),
            _num(line["weight"]),
            f.esc(_RELATION_TEXT.get(line["relation"], line["relation"])),
            f.esc(n.skill(line["via"])),
            f.esc(_credit_formula(line)),
            f.evidence(line["job_evidence"]),
            f.evidence(line["resume_evidence"]),
        )
        for line in data["partial"]
    ]
    return header, rows, "llrllrll"


def _missing_table(data: Mapping[str, Any], n: _Names, f: _Flavour) -> _Table:
    header = ("#", "skill", "level", "weight", "must-have", "closest skill you have", "prerequisites you lack")
    rows: list[Sequence[str]] = [
        (
            str(rank),
            f.esc(line["name"]),
            f.esc(line["level"]),
            _num(line["weight"]),
            f.must("yes") if line["must_have"] else "no",
            f.esc(n.skill(line["transferable"])) if line["transferable"] else "—",
            ", ".join(f.esc(n.skill(p)) for p in line["prerequisites"]) or "—",
        )
        for rank, line in enumerate(data["missing"], 1)
    ]
    return header, rows, "rllrlll"


def _components_table(data: Mapping[str, Any], f: _Flavour) -> tuple[_Table, Sequence[str]]:
    """The recomputation table, and its total row (weights and contributions summed)."""
    rows = _component_rows(data)
    body: list[Sequence[str]] = [
        (f.esc(label), f"{value:.4f}", f"{weight:.2f}", f"{contribution:.2f}")
        for label, value, weight, contribution in rows
    ]
    total = ("Total (uncapped score)", "", f"{sum(r[2] for r in rows):.2f}", f"{sum(r[3] for r in rows):.2f}")
    return (("component", "value", "weight", "contribution"), body, "lrrr"), total


def _score_sentences(data: Mapping[str, Any], f: _Flavour, strong: str) -> str:
    """Where the score comes from, under the table; ``strong`` wraps the final score (``**{}**``)."""
    text = (
        "contribution = 100 × weight × value, and the contributions add up to the uncapped score, "
        f"{data['uncapped_score']:.1f}. A coverage value is Σ (skill weight × credit) / Σ skill weight over the "
        "job's required (or preferred) skills in the tables below. "
    )
    score = strong.format(f"{data['score']:.1f}")
    if data["cap_reason"]:
        return text + f"Capped, {f.esc(data['cap_reason'])}: the score is {score}."
    return text + f"No cap applies: the score is {score}."


_EMPTY = {
    "matched": "None of the job's skills was found in the resume.",
    "partial": "No partial matches.",
    "missing": "Nothing is missing.",
    "learning_order": "Nothing to learn for this job.",
    "coverage_by_category": "The job post names no skills.",
}
_BLIND_NOTE = "blind mode: no file name, no contact or education evidence"


# ------------------------------------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*\[\]<>|#~&!])|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")


def _md(text: object, limit: int | None = None) -> str:
    """Document text made inert in Markdown: one line, every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), _clean(str(text), limit))


class _Markdown(_Flavour):
    def esc(self, text: object) -> str:
        return _md(text)

    def evidence(self, evidence: Sequence[Mapping[str, Any]]) -> str:
        shown, more = _evidence_items(evidence)
        if not shown:
            return "—"
        text = "; ".join(f"{_md(section)}: “{_md(quote)}”" for section, quote in shown)
        return text + (f" (+{more} more)" if more else "")

    def must(self, text: str) -> str:
        return f"**{text}**"


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> list[str]:
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def _text_bar(value: float, width: int = 10) -> str:
    full = round(max(0.0, min(1.0, value)) * width)
    return "█" * full + "░" * (width - full)


def render_markdown(
    report: MatchReport | Mapping[str, Any],
    *,
    blind: bool = False,
    names: Mapping[str, str] | None = None,
    category_names: Mapping[str, str] | None = None,
) -> str:
    """The gap report as Markdown (GitHub-flavoured tables).

    ``names``: skill id -> display name for the ids the report lines do not name (transferable, via,
    prerequisites, learning order; :func:`skill_names`), else the id is shown; ``category_names``: category id ->
    display name (``taxonomy.categories``), else the id made readable. ``report`` may also be the dict of
    :func:`~matcher.report.report_to_dict` (a stored report), rendered as it is: ``blind`` was applied then.
    """
    data = report if isinstance(report, Mapping) else report_to_dict(report, blind=blind)
    n = _Names(data, names, category_names)
    f = _Markdown()
    out: list[str] = [f"# {_md(_title(data))}", ""]

    job = _md(data["job_title"]) if data["job_title"] else "untitled job post"
    out.append(f"**Job:** {job}" + (f" ({_md(data['job'])})" if data["job"] else "") + "  ")
    if blind:
        out.append("**Resume:** hidden (blind mode)")
    else:
        out.append(f"**Resume:** {_md(data['resume'])}" if data["resume"] else "**Resume:** (no file name)")
    out.append("")

    if data["low_trust"]:
        out += ["> **Warning: low-trust score.** " + _LOW_TRUST_TEXT, ">"]
        out += [f"> - {_md(w)}" for w in data["trust_warnings"]]
        out.append("")

    (header, rows, align), total = _components_table(data, f)
    total_row = (f"**{total[0]}**", total[1], total[2], f"**{total[3]}**")
    out += ["## How the score is computed", "", *_md_table(header, [*rows, total_row], align), ""]
    out += [_score_sentences(data, f, "**{}**"), ""]

    for key, title, table in (
        ("matched", "Matched skills", _matched_table(data, n, f)),
        ("partial", "Partial matches", _partial_table(data, n, f)),
        ("missing", "Missing skills", _missing_table(data, n, f)),
    ):
        suffix = ", most important first" if key == "missing" else ""
        out += [f"## {title} ({len(data[key])}){suffix}", ""]
        out += _md_table(*table) if data[key] else [_EMPTY[key]]
        out.append("")

    out += ["## Learning order", ""]
    out += [f"{i}. {_md(n.skill(step))}" for i, step in enumerate(data["learning_order"], 1)] or [
        _EMPTY["learning_order"]
    ]
    out.append("")

    coverage = data["coverage_by_category"]
    out += ["## Coverage by category", ""]
    rows = [(_md(n.category(cat)), _pct(value), _text_bar(value)) for cat, value in coverage.items()]
    out += _md_table(("category", "coverage", "bar"), rows, "lrl") if coverage else [_EMPTY["coverage_by_category"]]
    out.append("")

    out += ["## Seniority and years", ""]
    out += _md_table(("measure", "resume", "job"), [tuple(_md(c) for c in row) for row in _seniority_rows(data)], "lll")
    out.append("")

    docs = _diagnostic_docs(data)
    if docs:
        out += ["## Documents", ""]
        out += [f"- **{doc}**: {_md('; '.join(parts))}" for doc, parts in docs]
        out.append("")

    footer = f"Taxonomy {_md(data['taxonomy_version'])} · report schema {_md(data['schema_version'])}"
    out += ["---", "", footer + (f" · {_BLIND_NOTE}" if blind else ""), ""]
    return "\n".join(out)


def _diagnostic_docs(data: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
    diagnostics = data["diagnostics"]
    return [
        (doc, _diagnostic_parts(diagnostics[doc]))
        for doc in _DIAGNOSTIC_DOCS
        if isinstance(diagnostics.get(doc), Mapping)
    ]


# ----------------------------------------------------------------------------------------------------------- HTML

_CSS = """
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1f24; --muted: #4a5560; --line: #c9d1da;
  --head: #eef2f6; --bar: #2458a6; --track: #e3e8ef; --warn-bg: #fff3cd; --warn-edge: #8a5a00;
  --must: #8b1a1a; --score: #0f3d7a; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #121417; --fg: #e8eaed; --muted: #b4bcc6; --line: #3a424c; --head: #1f252c; --bar: #7fb0ff;
    --track: #2a3038; --warn-bg: #3a2e00; --warn-edge: #f0c040; --must: #ff9d9d; --score: #9cc3ff; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main, footer { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.25rem; }
.score { font-size: 2.5rem; font-weight: 700; color: var(--score); margin: 0; }
.score small { font-size: 1rem; font-weight: 400; color: var(--muted); }
.meta { color: var(--muted); margin: 0.25rem 0; overflow-wrap: anywhere; }
.cap { font-weight: 600; }
.warning { background: var(--warn-bg); border-left: 0.4rem solid var(--warn-edge); padding: 0.75rem 1rem;
  margin: 1rem 0; }
.warning h2 { margin-top: 0; border: 0; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0; }
.table-wrap:focus { outline: 2px solid var(--bar); }
table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; }
th, td { border: 1px solid var(--line); padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
thead th, tfoot th, tfoot td { background: var(--head); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.must { color: var(--must); font-weight: 600; white-space: nowrap; }
ul.evidence { margin: 0; padding-left: 1rem; }
q { font-style: italic; }
.section-name { color: var(--muted); }
figure { margin: 0.5rem 0; }
figcaption { color: var(--muted); font-size: 0.9rem; }
svg.chart { width: 100%; display: block; }
svg.chart text { fill: var(--fg); font-size: 14px; font-family: inherit; }
svg.chart .track { fill: var(--track); }
svg.chart .bar { fill: var(--bar); }
footer { color: var(--muted); font-size: 0.9rem; border-top: 1px solid var(--line); }
@media (max-width: 40rem) {
  main, footer { padding: 0.75rem; }
  h1 { font-size: 1.3rem; }
  .score { font-size: 2rem; }
  table { font-size: 0.85rem; }
  th, td { padding: 0.25rem 0.35rem; }
}
"""
_NUM = ' class="num"'
_ROW_HEIGHT = 40
_BAR_HEIGHT = 14


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class _Html(_Flavour):
    def esc(self, text: object) -> str:
        return _e(_clean(str(text)))

    def evidence(self, evidence: Sequence[Mapping[str, Any]]) -> str:
        shown, more = _evidence_items(evidence)
        if not shown:
            return "—"
        items = "".join(
            f'<li><span class="section-name">{_e(section)}:</span> <q>{_e(quote)}</q></li>' for section, quote in shown
        )
        return f'<ul class="evidence">{items}{f"<li>+{more} more</li>" if more else ""}</ul>'

    def must(self, text: str) -> str:
        return f'<span class="must">{_e(text)}</span>'


def _html_table(caption: str, table: _Table, foot: Sequence[str] | None = None) -> str:
    """A captioned table in a scrollable, focusable region; the first cell of each row is its header."""
    header, rows, align = table

    def cells(row: Sequence[str]) -> str:
        out = []
        for i, (cell, a) in enumerate(zip(row, align, strict=True)):
            cls = _NUM if a == "r" else ""
            out.append(f'<th scope="row"{cls}>{cell}</th>' if i == 0 else f"<td{cls}>{cell}</td>")
        return "".join(out)

    head = "".join(
        f'<th scope="col"{_NUM if a == "r" else ""}>{_e(h)}</th>' for h, a in zip(header, align, strict=True)
    )
    body = "".join(f"<tr>{cells(row)}</tr>" for row in rows)
    tfoot = f"<tfoot><tr>{cells(foot)}</tr></tfoot>" if foot else ""
    return (
        f'<div class="table-wrap" role="region" aria-label="{_e(caption)}" tabindex="0">'
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody>{tfoot}</table></div>"
    )


def _html_section(anchor: str, title: str, content: str) -> str:
    return f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{_e(title)}</h2>{content}</section>'


def _coverage_chart(coverage: Mapping[str, float], n: _Names) -> str:
    """Horizontal bars 0-100 %, one per category, as inline SVG with a text alternative."""
    rows = list(coverage.items())
    height = _ROW_HEIGHT * len(rows) + 4
    desc = "; ".join(f"{n.category(cat)}: {_pct(value)}" for cat, value in rows)
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" width="100%" height="{height}">',
        '<title id="chart-title">Coverage of the job\'s skills by category, 0 to 100 %</title>',
        f'<desc id="chart-desc">{_e(desc)}</desc>',
    ]
    for i, (cat, value) in enumerate(rows):
        top = i * _ROW_HEIGHT
        width = max(0.0, min(1.0, value)) * 100
        label = _clean(n.category(cat), 56)
        parts.append(
            f'<g class="row"><text x="0" y="{top + 16}"><tspan font-weight="700">{_pct(value)}</tspan> '
            f"{_e(label)}</text>"
            f'<rect class="track" x="0" y="{top + 21}" width="100%" height="{_BAR_HEIGHT}" rx="3" />'
            f'<rect class="bar" data-category="{_e(cat)}" x="0" y="{top + 21}" width="{width:.1f}%"'
            f' height="{_BAR_HEIGHT}" rx="3"><title>{_e(n.category(cat))}: {_pct(value)}</title></rect></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render_html(
    report: MatchReport | Mapping[str, Any],
    *,
    blind: bool = False,
    names: Mapping[str, str] | None = None,
    category_names: Mapping[str, str] | None = None,
) -> str:
    """The gap report as one self-contained, accessible HTML page: inline CSS, an inline SVG chart of coverage
    by category, no scripts, fonts or links to fetch. Same content and arguments as :func:`render_markdown`."""
    data = report if isinstance(report, Mapping) else report_to_dict(report, blind=blind)
    n = _Names(data, names, category_names)
    f = _Html()
    job_title = _clean(data["job_title"]) if data["job_title"] else "untitled job post"

    head = [f"<h1>Gap report: {_e(job_title)}</h1>", f'<p class="score">{data["score"]:.1f} <small>/ 100</small></p>']
    if data["cap_reason"]:
        head.append(f'<p class="cap">Capped: {f.esc(data["cap_reason"])}</p>')
    if data["job"]:
        head.append(f'<p class="meta">Job: {f.esc(data["job"])}</p>')
    resume = "hidden (blind mode)" if blind else data["resume"] or "(no file name)"
    head.append(f'<p class="meta">Resume: {f.esc(resume)}</p>')
    body = ["<main>", "<header>", *head, "</header>"]

    if data["low_trust"]:
        warnings = "".join(f"<li>{f.esc(w)}</li>" for w in data["trust_warnings"])
        body.append(
            '<section class="warning" aria-labelledby="low-trust"><h2 id="low-trust">Warning: low-trust score</h2>'
            f"<p>{_e(_LOW_TRUST_TEXT)}</p><ul>{warnings}</ul></section>"
        )

    table, total = _components_table(data, f)
    content = _html_table("Score components: contribution = 100 × weight × value", table, foot=total)
    body.append(
        _html_section(
            "how", "How the score is computed", content + f"<p>{_score_sentences(data, f, '<strong>{}</strong>')}</p>"
        )
    )

    for key, title, caption, table in (
        ("matched", "Matched skills", "Job skills the resume has", _matched_table(data, n, f)),
        (
            "partial",
            "Partial matches",
            "Job skills the resume covers in part, through a related skill",
            _partial_table(data, n, f),
        ),
        ("missing", "Missing skills", "Job skills the resume lacks, most important first", _missing_table(data, n, f)),
    ):
        suffix = ", most important first" if key == "missing" else ""
        content = _html_table(caption, table) if data[key] else f"<p>{_e(_EMPTY[key])}</p>"
        body.append(_html_section(key, f"{title} ({len(data[key])}){suffix}", content))

    steps = "".join(f"<li>{f.esc(n.skill(step))}</li>" for step in data["learning_order"])
    content = f"<ol>{steps}</ol>" if steps else f"<p>{_e(_EMPTY['learning_order'])}</p>"
    body.append(_html_section("learn", "Learning order", content))

    coverage = data["coverage_by_category"]
    if coverage:
        rows: list[Sequence[str]] = [(f.esc(n.category(cat)), _pct(value)) for cat, value in coverage.items()]
        content = (
            f"<figure>{_coverage_chart(coverage, n)}<figcaption>Share of each category's job skills (by weight) "
            "that the resume covers; the table below gives the same figures.</figcaption></figure>"
            + _html_table("Coverage by category", (("category", "coverage"), rows, "lr"))
        )
    else:
        content = f"<p>{_e(_EMPTY['coverage_by_category'])}</p>"
    body.append(_html_section("coverage", "Coverage by category", content))

    rows = [tuple(f.esc(c) for c in row) for row in _seniority_rows(data)]
    table = (("measure", "resume", "job"), rows, "lll")
    body.append(
        _html_section("seniority", "Seniority and years", _html_table("Seniority and years of experience", table))
    )

    docs = _diagnostic_docs(data)
    if docs:
        items = "".join(f"<li><strong>{doc}</strong>: {f.esc('; '.join(parts))}</li>" for doc, parts in docs)
        body.append(_html_section("documents", "Documents", f"<ul>{items}</ul>"))
    body.append("</main>")

    footer = f"Taxonomy {f.esc(data['taxonomy_version'])} · report schema {f.esc(data['schema_version'])}"
    body.append(f"<footer><p>{footer}{f' · {_BLIND_NOTE}' if blind else ''}</p></footer>")

    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(_title(data))} · {_e(job_title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
