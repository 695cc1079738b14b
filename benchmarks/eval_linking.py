"""Linking to ESCO on human-linked spans: do we find the span, and link it to the concept the person chose?

    python benchmarks/eval_linking.py [--data-dir ../shared/data/dev] [--reference ../shared/reference] [--misses 20]

The ESCO validation files (Decorte et al. 2022, SkillSpan job-post sentences) give each span the ESCO preferred
label a person linked it to (ESCO v1.1 labels: resolved to v1.2 URIs by preferred label, then alternate label,
then the closest preferred label), or ``LABEL NOT PRESENT`` / ``UNDERSPECIFIED`` (left out). Duplicate rows are
counted once. Each distinct sentence is tagged as ``skillmatch tag`` tags text (taxonomy only).

- found: share of linked spans that a mention overlaps;
- linked right: share of the found spans where an overlapping mention's skill carries the chosen concept
  (``external.esco``, or a link: ``Taxonomy.external_index``);
- concepts present: share of the distinct chosen concepts some skill carries;
- lookup: share of the chosen labels that ``taxonomy lookup`` resolves to the skill carrying the concept.

Targets (issue 13): found >= 0.70, linked right >= 0.60 of found, concepts present >= 0.60.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rapidfuzz import process  # noqa: E402

from matcher.tagging.tagger import Tagger  # noqa: E402
from matcher.types import SkillMention  # noqa: E402

FILES = ("esco-links-tech-validation.csv", "esco-links-house-validation.csv")
NOT_LINKED = frozenset({"LABEL NOT PRESENT", "UNDERSPECIFIED"})
TARGETS = {"found": 0.70, "linked right": 0.60, "concepts present": 0.60}


@dataclass(frozen=True)
class Row:
    sentence: str
    span: str
    label: str


def esco_uris(reference: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(preferred label -> URIs, alternate label -> URIs) of ESCO v1.2.0 (a few labels name two concepts)."""
    preferred: dict[str, set[str]] = {}
    alternate: dict[str, set[str]] = {}
    with gzip.open(reference / "esco" / "derived" / "esco_skills_1.2.0.csv.gz", "rt", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            preferred.setdefault(row["preferredLabel"], set()).add(row["conceptUri"])
            for label in row["altLabels"].split(" | "):
                if label.strip():
                    alternate.setdefault(label.strip(), set()).add(row["conceptUri"])
    return preferred, alternate


def resolve(label: str, preferred: dict[str, set[str]], alternate: dict[str, set[str]]) -> frozenset[str]:
    """The v1.2 URIs of a v1.1 preferred label."""
    if label in preferred:
        return frozenset(preferred[label])
    if label in alternate:
        return frozenset(alternate[label])
    found = process.extractOne(label, list(preferred), score_cutoff=88)
    return frozenset(preferred[found[0]]) if found else frozenset()


def read_rows(path: Path) -> list[Row]:
    with open(path, encoding="utf-8", newline="") as f:
        rows = [Row(r["sentence"], r["span"], r["label"]) for r in csv.DictReader(f)]
    return list(dict.fromkeys(rows))


def locate(row: Row) -> tuple[int, int] | None:
    """Where the span stands in its sentence."""
    for span in (row.span, row.span.rstrip(" .*;"), row.span.strip(" .*;")):
        if not span:
            continue
        found = re.search(rf"(?<!\w){re.escape(span)}(?!\w)", row.sentence, re.I) or re.search(
            re.escape(span), row.sentence, re.I
        )
        if found:
            return found.start(), found.end()
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "dev")
    parser.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference")
    parser.add_argument("--misses", type=int, default=0, help="print N spans not found and N linked wrong")
    parser.add_argument(
        "--recogniser",
        action="store_true",
        help="tag with the trained recogniser too (SKILLMATCH_RECOGNISER=on): its spans count as found; linked "
        "only where it links them to a skill",
    )
    args = parser.parse_args()
    if not args.data_dir.is_dir() or not args.reference.is_dir():
        print(f"development data not found at {args.data_dir} or {args.reference}", file=sys.stderr)
        return 2
    preferred, alternate = esco_uris(args.reference)
    tagger = Tagger(recogniser=args.recogniser)
    taxonomy = tagger.taxonomy
    # the skill carrying each external id (a taxonomy from before issue 13 has no index: built from the skills)
    owner = getattr(taxonomy, "external_index", None) or {
        ext: sid for sid, skill in taxonomy.skills.items() for ext in skill.external.values()
    }
    print(f"taxonomy {taxonomy.version}: {len(taxonomy.skills)} skills, {len(owner)} external ids")
    print(f"{'file':<34} {'spans':>6} {'found':>7} {'linked':>7} {'concepts':>9} {'present':>8} {'lookup':>7}")
    totals: Counter[str] = Counter()
    all_concepts: set[str] = set()
    misses: list[str] = []
    wrong: list[str] = []
    #: each sentence's mentions and the spans of its unlinked recogniser spans
    found_in: dict[str, tuple[tuple[SkillMention, ...], tuple[tuple[int, int], ...]]] = {}
    for name in FILES:
        rows = [r for r in read_rows(args.data_dir / name) if r.label not in NOT_LINKED]
        counts: Counter[str] = Counter()
        concepts: set[str] = set()
        for row in rows:
            uris = resolve(row.label, preferred, alternate)
            where = locate(row)
            if not uris or where is None:
                counts["unresolved"] += 1
                continue
            counts["spans"] += 1
            concepts.add(min(uris))
            looked_up = taxonomy.lookup(row.label)  # an ESCO label finds the skill carrying its concept
            counts["lookup"] += looked_up is not None and any(owner.get(uri) == looked_up.id for uri in uris)
            if row.sentence not in found_in:
                mentions, unlinked = tagger.find(row.sentence)
                found_in[row.sentence] = (tuple(mentions), tuple((s.start, s.end) for s in unlinked))
            start, end = where
            mentions, unlinked = found_in[row.sentence]
            over = [m for m in mentions if m.start < end and start < m.end]
            spotted = any(s < end and start < e for s, e in unlinked)
            if not over and not spotted:
                misses.append(f"{row.span!r} ({row.label})")
                continue
            counts["found"] += 1
            if any(owner.get(uri) == m.skill_id for m in over for uri in uris):
                counts["linked"] += 1
            else:
                wrong.append(f"{row.span!r} -> {[m.skill_id for m in over]} (chosen: {row.label})")
        present = sum(uri in owner for uri in concepts)  # ESCO's duplicate labels: both concepts are ours alike
        all_concepts |= concepts
        totals.update(counts)
        spans = counts["spans"] or 1
        print(
            f"{name:<34} {counts['spans']:>6} {counts['found'] / spans:>7.3f} "
            f"{counts['linked'] / (counts['found'] or 1):>7.3f} {len(concepts):>9} "
            f"{present / (len(concepts) or 1):>8.3f} "
            f"{counts['lookup'] / spans:>7.3f}"
        )
    spans = totals["spans"] or 1
    figures = {
        "found": totals["found"] / spans,
        "linked right": totals["linked"] / (totals["found"] or 1),
        "concepts present": sum(uri in owner for uri in all_concepts) / (len(all_concepts) or 1),
    }
    print(
        f"{'both':<34} {totals['spans']:>6} {figures['found']:>7.3f} {figures['linked right']:>7.3f} "
        f"{len(all_concepts):>9} {figures['concepts present']:>8.3f} {totals['lookup'] / spans:>7.3f}"
    )
    print(f"({totals['unresolved']} linked rows whose label or span could not be resolved are left out)")
    for what, value in figures.items():
        print(f"  {what}: {value:.3f} (target >= {TARGETS[what]:.2f}) {'ok' if value >= TARGETS[what] else 'BELOW'}")
    if args.misses:
        print("\nnot found:", "; ".join(misses[: args.misses]))
        print("\nlinked wrong:", "; ".join(wrong[: args.misses]))
    return 0 if all(figures[w] >= TARGETS[w] for w in TARGETS) else 1


if __name__ == "__main__":
    raise SystemExit(main())
