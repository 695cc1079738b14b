"""Coverage-guided fuzzing of parse_document for a bounded time: only typed errors, in time, bounded memory.

    python benchmarks/fuzz_parsers.py [--seconds 60] [--format pdf|docx|html|all] [--engine auto|atheris|hypothesis]
                                      [--out DIR]

The property is the test suite's (``tests/matcher/parsing/fuzzing.py``, ``check``): ``parse_document`` returns
a document or raises a ``DocumentError`` with a code and a one-line message, within ``ParseLimits.timeout_s``
plus a margin. The inputs start from the same real files and grow by the same mutators.

* **atheris** (``pip install atheris``; not a project dependency: it ships binary wheels for few platforms):
  each format runs in a child process, its matcher, python-docx, pdfminer and zipfile code
  instrumented, so libFuzzer keeps the inputs that reach new branches. Half of the mutations are libFuzzer's
  own (bytes), half ours (zip members, XML, PDF streams, HTML structure), applied to the corpus entry being
  mutated. libFuzzer also enforces a per-input time limit (``-timeout``) and a resident memory limit
  (``-rss_limit_mb``): it sees PDFium's C heap, which tracemalloc does not. PDFium and libxml2 (HTML) are not
  instrumented: they are fuzzed for crashes, not guided by their branches.
* **hypothesis** (the fallback where atheris is missing): random mutations drawn by hypothesis for the given
  seconds, not coverage-guided; each input is also checked against the test suite's heap and RSS caps.

Prints, per format: executions, failures ("crashes": an untyped exception, a late or oversized parse, a
native crash; none expected) with the files they were saved to, and the corpus size (atheris: the inputs
libFuzzer kept; hypothesis: the distinct inputs tried). Exits 1 if anything failed.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FORMATS = ("pdf", "docx", "html")
#: packages whose branches guide atheris (imported inside instrument_imports, before anything else imports them)
INSTRUMENTED = ["matcher", "docx", "pdfminer", "pdfplumber", "zipfile"]


@dataclass
class Result:
    fmt: str
    engine: str
    executions: int
    failures: int
    corpus: int
    seconds: float
    coverage: str = ""


# --- atheris: one child process per format ----------------------------------------------------------------------
def _atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def _atheris_child(fmt: str, seconds: int, out: Path) -> None:
    """Runs in the child: instrument, set up libFuzzer over the seed corpus, fuzz until max_total_time."""
    import atheris

    with atheris.instrument_imports(include=INSTRUMENTED):
        import zipfile  # noqa: F401

        import docx  # noqa: F401
        import pdfplumber  # noqa: F401

        from tests.matcher.parsing import fuzzing

    limits = fuzzing.LIMITS
    failures = out / "failures"
    failures.mkdir(parents=True, exist_ok=True)
    mutations = fuzzing.MUTATIONS[fmt]  # type: ignore[index]

    def test_one_input(data: bytes) -> None:
        outcome = fuzzing.check(data, limits, measure_memory=False)
        if outcome.failed:  # saved and counted, not raised: the run goes on to find more
            name = hashlib.sha1(data).hexdigest()[:16]
            (failures / f"{fmt}-{name}").write_bytes(data)
            (failures / f"{fmt}-{name}.txt").write_text(f"{outcome.code}: {outcome.problem}\n")

    def custom_mutator(data: bytes, max_size: int, seed: int) -> bytes:
        rng = random.Random(seed)
        if rng.random() < 0.5:
            return atheris.Mutate(data, max_size)
        mutated = rng.choice(mutations)(data, fuzzing.RandomChooser(rng))
        return mutated[:max_size]

    corpus = out / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    biggest = 0
    for path in fuzzing.seed_paths(fmt):  # type: ignore[arg-type]
        data = path.read_bytes()
        biggest = max(biggest, len(data))
        (corpus / f"seed-{path.name}").write_bytes(data)
    fuzzing.warm_up()
    timeout = math.ceil(limits.timeout_s + fuzzing.TIME_MARGIN_S)
    argv = [sys.argv[0], str(corpus), f"-max_total_time={seconds}", f"-timeout={timeout}", "-rss_limit_mb=3072",
            f"-max_len={2 * biggest}", "-len_control=0", f"-artifact_prefix={failures}/{fmt}-native-",
            "-print_final_stats=1"]
    atheris.Setup(argv, test_one_input, custom_mutator=custom_mutator)
    atheris.Fuzz()


_DONE_RE = re.compile(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)/")
_RUNS_RE = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


def run_atheris(fmt: str, seconds: int, out: Path) -> Result:
    started = time.monotonic()
    child = subprocess.run(
        [sys.executable, __file__, "--child", fmt, "--seconds", str(seconds), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, timeout=seconds + 300, check=False,
    )
    log = child.stdout + child.stderr
    (out / "libfuzzer.log").write_text(log)
    done = _DONE_RE.search(log)
    runs = _RUNS_RE.search(log)
    executions = int(runs.group(1)) if runs else int(done.group(1)) if done else 0
    failures = len([p for p in (out / "failures").glob("*") if p.suffix != ".txt"])
    corpus = len(list((out / "corpus").iterdir()))
    coverage = f"cov {done.group(2)} ft {done.group(3)}" if done else ""
    if child.returncode != 0 and failures == 0:  # libFuzzer stopped on something it saw itself
        failures = 1
        print(f"  libFuzzer exited {child.returncode}; the last lines of {out / 'libfuzzer.log'}:")
        print("  " + "\n  ".join(log.strip().splitlines()[-15:]))
    return Result(fmt, "atheris", executions, failures, corpus, time.monotonic() - started, coverage)


# --- hypothesis: random mutations for a time ----------------------------------------------------------------------
def run_hypothesis(fmt: str, seconds: int, out: Path) -> Result:
    from hypothesis import HealthCheck, Phase, given, settings
    from hypothesis import strategies as st

    from tests.matcher.parsing import fuzzing

    fuzzing.warm_up()
    bases = fuzzing.seeds(fmt)  # type: ignore[arg-type]
    failures = out / "failures"
    failures.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    failed: set[str] = set()
    executions = 0
    started = time.monotonic()

    # Runs of 200 examples, each freshly seeded, until the time is up. Past the time, a run's remaining
    # examples are still drawn (cheap) but not parsed: hypothesis wants every run of an example to draw alike.
    @settings(max_examples=200, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def fuzz(data: st.DataObject) -> None:
        nonlocal executions
        case = fuzzing.mutate(fmt, bases, fuzzing.HypothesisChooser(data))  # type: ignore[arg-type]
        if time.monotonic() - started > seconds:
            return
        key = hashlib.sha1(case).hexdigest()[:16]
        outcome = fuzzing.check(case)
        executions += 1
        seen.add(key)
        if outcome.failed and key not in failed:
            failed.add(key)
            (failures / f"{fmt}-{key}").write_bytes(case)
            (failures / f"{fmt}-{key}.txt").write_text(f"{outcome.code}: {outcome.problem}\n")

    while time.monotonic() - started < seconds:
        fuzz()
    return Result(fmt, "hypothesis", executions, len(failed), len(seen), time.monotonic() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60, help="fuzzing time per format")
    parser.add_argument("--format", choices=[*FORMATS, "all"], default="all")
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--out", type=Path, help="where corpora and failing inputs go (default: a temp dir)")
    parser.add_argument("--child", choices=FORMATS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _atheris_child(args.child, args.seconds, args.out)
        return 0
    engine = args.engine
    if engine == "auto":
        engine = "atheris" if _atheris_available() else "hypothesis"
        if engine == "hypothesis":
            print("atheris is not installed (pip install atheris): falling back to hypothesis-driven random "
                  "mutation, which is not coverage-guided")
    elif engine == "atheris" and not _atheris_available():
        parser.error("atheris is not installed: pip install atheris, or --engine hypothesis")
    out = args.out or Path(tempfile.mkdtemp(prefix="skillmatch-fuzz-"))
    formats = FORMATS if args.format == "all" else (args.format,)
    print(f"fuzzing {', '.join(formats)} for {args.seconds} s each with {engine}; output in {out}")
    results = []
    for fmt in formats:
        target = out / fmt
        target.mkdir(parents=True, exist_ok=True)
        result = (run_atheris if engine == "atheris" else run_hypothesis)(fmt, args.seconds, target)
        results.append(result)
        extra = f", {result.coverage}" if result.coverage else ""
        print(f"{fmt:5s} executions {result.executions:>8,}  crashes {result.failures}  corpus {result.corpus:,}"
              f"  ({result.seconds:.0f} s, {result.executions / max(result.seconds, 1e-9):.0f}/s{extra})")
        if result.failures:
            for path in sorted((target / "failures").glob("*")):
                print(f"      {path}")
    return 1 if any(r.failures for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
