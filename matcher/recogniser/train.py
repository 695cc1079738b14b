"""Train the skill recogniser and write it where the package ships it.

    python -m matcher.recogniser.train [--data-dir ../shared/data/dev] [--seed 0]

1. Converts the labelled JSONL (character offsets) to spaCy ``DocBin`` corpora with the tagger's own tokenizer:
   SkillSpan train + Dotin minus its held-back fifth to learn from; SkillSpan dev + the held-back Dotin fifth to
   choose on (:mod:`matcher.recogniser.data`). Offsets that fall inside a token are expanded to whole tokens and
   counted; overlapping spans keep the longest (``ner`` marks one span per token).
2. Runs ``spacy train`` on ``matcher/recogniser/config.cfg`` (seeded, CPU), keeping the best model on the
   choosing set.
3. Writes the best model to ``matcher/_models/skill_recogniser`` (without the training text's vocabulary) with the
   training data's names and SHA-256 digests, the seed, the wall time and the choosing scores in its ``meta.json``.

Same data, same seed, same machine: same model (spaCy and thinc seed every random draw from ``system.seed``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
import spacy
from spacy.cli.train import train as spacy_train
from spacy.language import Language
from spacy.tokens import DocBin, Span
from spacy.util import filter_spans, load_config

import matcher.recogniser  # noqa: F401 (registers the tokenizer the config names)
from matcher.recogniser import data

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "config.cfg"
MODEL_DIR = HERE.parent / "_models" / "skill_recogniser"
REPO = HERE.parent.parent
#: bump when the training data, the config or the labels change: the tagger reports it as ``model_version``
MODEL_VERSION = "1.0.0"
MODEL_NAME = "skill_recogniser"


def to_docbin(nlp: Language, docs: Iterable[dict[str, Any]], counts: Counter[str]) -> DocBin:
    """Gold docs with ``doc.ents`` from the labelled character spans, counting how each span aligned."""
    out = DocBin(store_user_data=False)
    for record in docs:
        text = record["text"]
        doc = nlp.make_doc(text)
        spans: list[Span] = []
        for s in record["spans"]:
            label = data.LABEL_MAP.get(s["label"])
            if label is None:
                counts["unknown label"] += 1
                continue
            start, end = s["start"], s["end"]
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start >= end:
                counts["empty"] += 1
                continue
            span = doc.char_span(start, end, label=label)
            if span is not None:
                counts["aligned"] += 1
            else:
                span = doc.char_span(start, end, label=label, alignment_mode="expand")
                counts["expanded to whole tokens" if span is not None else "not aligned"] += 1
            if span is not None:
                spans.append(span)
        kept = filter_spans(spans)
        counts["overlapping, dropped"] += len(spans) - len(kept)
        doc.ents = kept
        out.add(doc)
        counts["docs"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data" / "dev")
    parser.add_argument("--work-dir", type=Path, default=REPO / "build" / "recogniser", help="corpora, checkpoints")
    parser.add_argument("--out", type=Path, default=MODEL_DIR, help="where the shipped model goes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--max-steps", type=int, default=None, help="override training.max_steps")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="override a config value (e.g. components.tok2vec.model.encode.width=64)")
    args = parser.parse_args(argv)
    if not (args.data_dir / data.DOTIN).is_file():
        click.echo(f"labelled data not found in {args.data_dir}", err=True)
        return 2
    began = time.perf_counter()
    config = load_config(CONFIG)
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": config["nlp"]["tokenizer"]}})
    args.work_dir.mkdir(parents=True, exist_ok=True)
    corpora = {}
    for name, docs in (("train", data.training_docs(args.data_dir)), ("dev", data.choosing_docs(args.data_dir))):
        counts: Counter[str] = Counter()
        path = args.work_dir / f"{name}.spacy"
        to_docbin(nlp, docs, counts).to_disk(path)
        corpora[name] = dict(counts)
        click.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    overrides: dict[str, Any] = {
        "paths.train": str(args.work_dir / "train.spacy"),
        "paths.dev": str(args.work_dir / "dev.spacy"),
        "system.seed": args.seed,
    }
    if args.max_steps is not None:
        overrides["training.max_steps"] = args.max_steps
    for item in args.set:
        key, _, value = item.partition("=")
        overrides[key] = json.loads(value)
    output = args.work_dir / "output"
    spacy_train(CONFIG, output, overrides=overrides, use_gpu=-1)
    best = spacy.load(output / "model-best")
    seconds = time.perf_counter() - began
    files = [data.SKILLSPAN_TRAIN, data.DOTIN, data.SKILLSPAN_DEV]
    best.meta.update(
        {
            # thinc 8.3 weights load in any spaCy 3.8 (spaCy would pin the patch release it was trained with)
            "spacy_version": ">=3.8.0,<3.9.0",
            "name": MODEL_NAME,
            "version": MODEL_VERSION,
            "description": "skillmatch's skill recogniser: KNOWLEDGE (tools, technologies) and COMPETENCE spans",
            "license": "MIT (SkillSpan data), CC0 (Dotin data); model Apache-2.0",
            "sources": [
                {"name": "SkillSpan (Zhang et al., NAACL 2022)", "url": "https://github.com/kris927b/SkillSpan",
                 "license": "MIT"},
                {"name": "Dotin resume NER annotations", "license": "CC0",
                 "url": "https://github.com/dotin-inc/resume-dataset-NER-annotations"},
            ],
            "skillmatch": {
                "trained_on": [
                    f"{data.SKILLSPAN_TRAIN} (all)",
                    f"{data.DOTIN} (all but one document in {data.DOTIN_HOLD_OUT_EVERY}: held back by id hash)",
                ],
                "chosen_on": [
                    f"{data.SKILLSPAN_DEV} (all)",
                    f"{data.DOTIN} (the held-back documents)",
                ],
                "left_out": "documents without any labelled span (not annotated): 22 trained on, 5 held back",
                "data_sha256": {name: data.file_digest(args.data_dir / name) for name in files},
                "label_map": data.LABEL_MAP,
                "alignment": corpora,
                "seed": args.seed,
                "overrides": args.set,
                "train_seconds": round(seconds, 1),
                "command": "python -m matcher.recogniser.train",
            },
        }
    )
    if args.out.exists():
        shutil.rmtree(args.out)
    # the vocabulary is every string of the training text: the hash embeddings do not need it, so it stays home
    best.to_disk(args.out, exclude=["vocab"])
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    click.echo(json.dumps(best.meta.get("performance", {}), indent=1))
    click.echo(f"model written to {args.out} ({size / 1e6:.1f} MB) in {seconds / 60:.1f} min")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
