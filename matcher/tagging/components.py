"""spaCy components: ``skillmatch_skill_tagger`` marks skill mentions on a Doc.

Results go to ``doc.spans["skills"]`` (label = category, ``kb_id_`` = taxonomy id) for spaCy tooling, and to
``doc._.skill_mentions`` with exact character offsets (span boundaries snap to tokens; mentions do not).
The taxonomy enters through ``initialize`` (or the ``taxonomy`` argument of :func:`matcher.tagging.pipeline.build_nlp`),
never through the config, so the config stays small; ``to_disk``/``to_bytes`` save it with the pipeline and
``from_disk``/``from_bytes`` restore it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from matcher.errors import SkillmatchError
from matcher.tagging.lexicon import SkillLexicon
from matcher.taxonomy import Taxonomy, load_taxonomy, taxonomy_from_data, taxonomy_to_data
from matcher.types import SkillMention

SPANS_KEY = "skills"
#: where ``to_disk`` keeps the component's taxonomy, inside the component's folder of a saved pipeline
TAXONOMY_FILE = "taxonomy.json"
#: ``doc.user_data`` key where :class:`matcher.tagging.tagger.Tagger` leaves the raw text: ``doc.text`` rebuilds it
#: token by token, which costs more than the whole skill matching.
TEXT_KEY = "skillmatch_text"
#: ``doc.user_data`` key for the offsets of the text's soft line breaks (see ``SkillLexicon.find``).
SOFT_BREAKS_KEY = "skillmatch_soft_breaks"

if not Doc.has_extension("skill_mentions"):
    Doc.set_extension("skill_mentions", default=())


class SkillTagger:
    """Marks skill mentions; POS tags, when an installed model gives them, veto ambiguous verbs ("go")."""

    def __init__(
        self, nlp: Language, name: str, *, fuzzy: bool, taxonomy_dir: str | None, phrases: bool = False
    ) -> None:
        self.name = name
        self.nlp = nlp
        self.fuzzy = fuzzy
        self.phrases = phrases
        self.taxonomy_dir = taxonomy_dir
        self.lexicon: SkillLexicon | None = None

    def initialize(
        self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None,
        taxonomy: Taxonomy | None = None, lexicon: SkillLexicon | None = None,
    ) -> None:
        """Build the alias index once; ``taxonomy`` defaults to the bundled one plus ``taxonomy_dir``; a
        ``lexicon`` already built for it is used as it is."""
        if lexicon is not None and (
            lexicon.fuzzy != self.fuzzy
            or (lexicon.phrases is not None) != self.phrases
            or (taxonomy and lexicon.taxonomy is not taxonomy)
        ):
            lexicon = None  # built for another taxonomy or setting
        if lexicon is not None:
            self.lexicon = lexicon
            return
        if taxonomy is None:
            taxonomy = load_taxonomy(Path(self.taxonomy_dir) if self.taxonomy_dir else None)
        self.lexicon = SkillLexicon(taxonomy, fuzzy=self.fuzzy, phrases=self.phrases)

    def __call__(self, doc: Doc) -> Doc:
        if self.lexicon is None:
            raise SkillmatchError(
                f"the {self.name!r} component is not initialised: call nlp.initialize()", code="not_initialized"
            )
        text = doc.user_data.get(TEXT_KEY)
        soft_breaks = doc.user_data.get(SOFT_BREAKS_KEY, ())
        mentions = self.lexicon.find(text if isinstance(text, str) else doc.text, soft_breaks=soft_breaks)
        # Only a pipeline with a POS tagger can veto verbs; doc.has_annotation would walk every token.
        if any(pipe in self.nlp.pipe_names for pipe in ("tagger", "morphologizer")) and doc.has_annotation("POS"):
            mentions = [m for m in mentions if not self._used_as_verb(doc, m)]
        doc._.skill_mentions = tuple(mentions)
        skills = self.lexicon.taxonomy.skills
        spans: list[Span] = []
        for m in mentions:
            span = doc.char_span(m.start, m.end, label=skills[m.skill_id].category, kb_id=m.skill_id,
                                 alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    def _used_as_verb(self, doc: Doc, mention: SkillMention) -> bool:
        assert self.lexicon is not None
        skill = self.lexicon.taxonomy.skills[mention.skill_id]
        if not skill.ambiguous:
            return False
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span is not None and len(span) == 1 and span[0].pos_ in {"VERB", "AUX"}

    # Saving keeps the taxonomy the pipeline was built with (a custom one included), as spaCy's own SpanRuler keeps
    # its patterns: ``spacy.load`` of a saved pipeline tags as the pipeline did, never silently with the bundled one.
    # The alias index is rebuilt from it on load.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"taxonomy": taxonomy_to_data(self._taxonomy())}, ensure_ascii=False).encode()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> SkillTagger:
        self.initialize(taxonomy=taxonomy_from_data(json.loads(data)["taxonomy"], source="<pipeline bytes>"))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        directory = Path(path)
        directory.mkdir(parents=True, exist_ok=True)
        data = json.dumps(taxonomy_to_data(self._taxonomy()), ensure_ascii=False)
        (directory / TAXONOMY_FILE).write_text(data, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SkillTagger:
        saved = Path(path) / TAXONOMY_FILE
        if not saved.is_file():  # saved before the taxonomy was: the bundled one, as then
            self.initialize()
            return self
        self.initialize(taxonomy=taxonomy_from_data(json.loads(saved.read_text(encoding="utf-8")), source=str(saved)))
        return self

    def _taxonomy(self) -> Taxonomy:
        if self.lexicon is None:
            raise SkillmatchError(
                f"the {self.name!r} component is not initialised: call nlp.initialize()", code="not_initialized"
            )
        return self.lexicon.taxonomy


@Language.factory(
    "skillmatch_skill_tagger",
    default_config={"fuzzy": True, "phrases": False, "taxonomy_dir": None},
)
def make_skill_tagger(
    nlp: Language, name: str, fuzzy: bool, taxonomy_dir: str | None, phrases: bool = False
) -> SkillTagger:
    """Factory registered with spaCy (also as the ``spacy_factories`` entry point)."""
    return SkillTagger(nlp, name, fuzzy=fuzzy, taxonomy_dir=taxonomy_dir, phrases=phrases)
