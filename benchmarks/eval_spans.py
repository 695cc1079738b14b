"""Span-overlap recall and precision against the labelled development sets: taxonomy alone, the trained
recogniser alone, and the two merged as ``Tagger`` merges them with ``SKILLMATCH_RECOGNISER=on``.

    python benchmarks/eval_spans.py [--data-dir ../shared/data/dev] [--misses 30] [--kind hard]
                                    [--tier curated] [--no-model] [--model DIR] [--thresholds 0.3,0.5,0.7]

Recall: share of gold spans (of the evaluated labels) that one of the system's mentions overlaps. Precision:
share of its mentions that overlap a gold span of those labels ("prec*": of any label in the file, since the
annotators did not mark every skill). The taxonomy's mentions always count (its kinds are not the data's
labels); a model span counts where its label is the one the set's labels were mapped to for training
(matcher/recogniser/data.py: KNOWLEDGE for `knowledge`, `tech_tools`, `job_skills`; COMPETENCE for `skill`);
merged = the taxonomy's mentions, the spans it links, and the unlinked spans of the answering labels.

Sets (never trained on, see matcher/recogniser/data.py): SkillSpan dev (tech, house) and the held-back fifth of
Dotin, without the documents nobody annotated (no labelled span at all: 5 of the held-back 61).
Targets: merged F1 >= 0.75 on SkillSpan tech `knowledge` and >= 0.62 on Dotin `tech_tools` + `job_skills`, with
precision at most 0.03 under the taxonomy's; competence recall (`skill`, `job_skills`) at least twice the
taxonomy's.
The taxonomy's mentions are the tagger's with every tier it loads; ``--tier curated`` keeps the curated skills'
mentions only (the taxonomy the issue's "today" figures were measured with).
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from matcher.recogniser.data import (  # noqa: E402
    DOTIN,
    LABEL_MAP,
    SKILLSPAN_DEV,
    annotated,
    dotin_held_out,
    read_jsonl,
)
from matcher.tagging.tagger import Tagger  # noqa: E402


@dataclass(frozen=True)
class EvalSet:
    name: str
    file: str
    sources: frozenset[str] | None
    labels: frozenset[str]
    #: merged F1 target, and whether the merged precision must stay within 0.03 of the taxonomy's
    target_f1: float | None = None
    #: merged recall must be this many times the taxonomy's
    recall_factor: float | None = None
    held_out_dotin: bool = False
    model_labels: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "model_labels", frozenset(LABEL_MAP[label] for label in self.labels))


SETS = [
    EvalSet("skillspan-tech/knowledge", SKILLSPAN_DEV, frozenset({"skillspan-tech"}), frozenset({"knowledge"}), 0.75),
    EvalSet("skillspan-house/knowledge", SKILLSPAN_DEV, frozenset({"skillspan-house"}), frozenset({"knowledge"})),
    EvalSet("skillspan-tech/skill", SKILLSPAN_DEV, frozenset({"skillspan-tech"}), frozenset({"skill"}),
            recall_factor=2.0),
    EvalSet("skillspan-house/skill", SKILLSPAN_DEV, frozenset({"skillspan-house"}), frozenset({"skill"}),
            recall_factor=2.0),
    EvalSet("dotin-held-out/tech_tools+job_skills", DOTIN, None, frozenset({"tech_tools", "job_skills"}), 0.62,
            held_out_dotin=True),
    EvalSet("dotin-held-out/job_skills", DOTIN, None, frozenset({"job_skills"}), recall_factor=2.0,
            held_out_dotin=True),
]


def overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) overlaps any of ``spans`` (sorted by start)."""
    i = bisect.bisect_left(spans, (end, end))
    return any(s < end and start < e for s, e in spans[max(0, i - 50) : i])


def load_set(eval_set: EvalSet, data_dir: Path) -> list[dict[str, Any]]:
    docs = [d for d in read_jsonl(data_dir / eval_set.file) if annotated(d)]  # see matcher/recogniser/data.py
    if eval_set.held_out_dotin:
        docs = [d for d in docs if dotin_held_out(d["doc"])]
    return [d for d in docs if eval_set.sources is None or d["source"] in eval_set.sources]


def score(
    docs: Sequence[dict[str, Any]], predicted: Sequence[list[tuple[int, int]]], labels: frozenset[str],
    misses: int = 0, title: str = "",
) -> dict[str, float]:
    gold_total = gold_hit = pred_total = pred_hit = pred_hit_any = 0
    missed: Counter[str] = Counter()
    spurious: Counter[str] = Counter()
    for doc, spans in zip(docs, predicted, strict=True):
        gold = sorted((s["start"], s["end"]) for s in doc["spans"] if s["label"] in labels)
        gold_any = sorted((s["start"], s["end"]) for s in doc["spans"])
        spans = sorted(set(spans))
        for start, end in gold:
            gold_total += 1
            if overlaps(spans, start, end):
                gold_hit += 1
            else:
                missed[doc["text"][start:end].lower()] += 1
        for start, end in spans:
            pred_total += 1
            if overlaps(gold, start, end):
                pred_hit += 1
            else:
                spurious[doc["text"][start:end].lower()] += 1
            pred_hit_any += overlaps(gold_any, start, end)
    recall = gold_hit / gold_total if gold_total else 0.0
    precision = pred_hit / pred_total if pred_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    if misses:
        print(f"\n## {title}: most frequent misses")
        print(", ".join(f"{t!r}x{n}" for t, n in missed.most_common(misses)))
        print(f"## {title}: most frequent mentions outside gold")
        print(", ".join(f"{t!r}x{n}" for t, n in spurious.most_common(misses)))
    return {
        "docs": len(docs), "gold": gold_total, "mentions": pred_total, "recall": recall,
        "precision": precision, "precision_any_label": pred_hit_any / pred_total if pred_total else 0.0, "f1": f1,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "dev")
    parser.add_argument("--misses", type=int, default=0, help="print the N most frequent misses and extras")
    parser.add_argument(
        "--kind", choices=["hard", "soft"], default=None,
        help="score only taxonomy mentions of this kind: the evaluated labels are tools and technical skills",
    )
    parser.add_argument("--tier", choices=["curated"], default=None, help="count only curated skills' mentions")
    parser.add_argument("--no-model", action="store_true", help="the taxonomy alone")
    parser.add_argument("--model", type=Path, default=None, help="a recogniser folder (default: the shipped one)")
    parser.add_argument("--thresholds", default=None,
                        help="comma-separated span score thresholds to compare (default: the shipped one)")
    args = parser.parse_args()
    if not args.data_dir.is_dir():
        print(f"development data not found at {args.data_dir}", file=sys.stderr)
        return 2
    tagger = Tagger(recogniser=False)
    skills = tagger.taxonomy.skills
    recogniser = linker = None
    if not args.no_model:
        from matcher.recogniser import SkillRecogniser, SpanLinker, merge

        recogniser = SkillRecogniser(args.model, threshold=0.0)  # every span once; each threshold filters them below
        linker = SpanLinker(tagger.taxonomy)
    from matcher.recogniser import DEFAULT_THRESHOLD

    thresholds = [float(t) for t in args.thresholds.split(",")] if args.thresholds else [DEFAULT_THRESHOLD]
    scope = f", {args.kind} taxonomy mentions only" if args.kind else ""
    scope += f", {args.tier} skills only" if args.tier else ""
    print(f"taxonomy {tagger.taxonomy.version}: {len(skills)} skills{scope}"
          + (f"; recogniser {recogniser.version}" if recogniser else ""))
    print(f"{'set':<38} {'system':<14} {'docs':>5} {'gold':>6} {'found':>6} {'recall':>7} {'prec':>7} {'prec*':>7}"
          f" {'F1':>6}  target")
    def counted(skill_id: str) -> bool:
        skill = skills[skill_id]
        return (args.kind is None or skill.kind == args.kind) and (
            args.tier is None or getattr(skill, "tier", "curated") == args.tier
        )

    cache: dict[str, tuple[list[Any], list[Any]]] = {}
    failures = 0
    for eval_set in SETS:
        docs = load_set(eval_set, args.data_dir)
        key = f"{eval_set.file}:{eval_set.held_out_dotin}:{sorted(eval_set.sources or [])}"
        if key not in cache:
            texts = [d["text"] for d in docs]
            mentions = list(tagger.mentions_many(texts))
            spans = list(recogniser.spans_many(texts)) if recogniser else [[] for _ in texts]
            cache[key] = (mentions, spans)
        mentions, spans = cache[key]
        mentions = [[m for m in ms if counted(m.skill_id)] for ms in mentions]
        taxonomy_only = [[(m.start, m.end) for m in ms] for ms in mentions]
        rows = [("taxonomy", taxonomy_only)]
        for threshold in thresholds if recogniser else []:
            assert linker is not None
            kept = [[s for s in ss if s.score >= threshold and s.label in eval_set.model_labels] for ss in spans]
            tag = f"@{threshold:g}" if len(thresholds) > 1 else ""
            rows.append((f"model{tag}", [[(s.start, s.end) for s in ss] for ss in kept]))
            merged_rows = []
            for doc, ms, ss in zip(docs, mentions, kept, strict=True):
                merged, unlinked = merge(doc["text"], ms, ss, linker)
                merged_rows.append(
                    [(m.start, m.end) for m in merged if counted(m.skill_id)] + [(s.start, s.end) for s in unlinked]
                )
            rows.append((f"merged{tag}", merged_rows))
        base: dict[str, float] | None = None
        for system, predicted in rows:
            r = score(docs, predicted, eval_set.labels, args.misses if system.startswith(("taxonomy", "merged"))
                      else 0, f"{eval_set.name} {system}")
            verdict = ""
            if base is None:
                base = r
            elif system.startswith("merged"):
                checks = []
                if eval_set.target_f1 is not None:
                    checks.append((f"F1>={eval_set.target_f1}", r["f1"] >= eval_set.target_f1))
                    checks.append(("prec>=tax-0.03", r["precision"] >= base["precision"] - 0.03))
                if eval_set.recall_factor is not None:
                    checks.append((f"recall>={eval_set.recall_factor:g}x", r["recall"] >= eval_set.recall_factor
                                   * base["recall"]))
                verdict = " ".join(f"{name} {'ok' if good else 'BELOW'}" for name, good in checks)
                failures += sum(not good for _, good in checks)
            print(
                f"{eval_set.name:<38} {system:<14} {r['docs']:>5} {r['gold']:>6} {r['mentions']:>6} "
                f"{r['recall']:>7.3f} {r['precision']:>7.3f} {r['precision_any_label']:>7.3f} {r['f1']:>6.3f}"
                f"  {verdict}"
            )
    print("prec* = precision against gold spans of any label")
    return 0 if failures == 0 or args.no_model else 1


if __name__ == "__main__":
    raise SystemExit(main())
