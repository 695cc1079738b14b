"""Tag texts with taxonomy skills: the library entry point scripts use.

>>> from matcher import Tagger
>>> tagger = Tagger()                      # loads the taxonomy and builds the matcher once
>>> [s.id for s in tagger.tag("Built models in PyTorch/TensorFlow on AWS (S3, SageMaker).").skills]
['pytorch', 'tensorflow', 'aws', 'amazon_s3', 'amazon_sagemaker']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from matcher.analysis.facts import SkillFacts, skill_facts
from matcher.analysis.sections import section_finder
from matcher.settings import Settings, get_settings
from matcher.tagging.lexicon import SkillLexicon
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.types import SkillMention

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from matcher.analysis import DocumentAnalysis
    from matcher.recogniser import RecognisedSpan, SkillRecogniser, SpanLinker

#: the longest text spaCy accepts by default (``Language.max_length``): the direct path refuses longer texts
#: the same way, by handing them to the pipeline
SPACY_MAX_LENGTH = 1_000_000


@dataclass(frozen=True, slots=True)
class TaggedSkill:
    """A skill found in one document, with every mention of it."""

    id: str
    name: str
    category: str
    kind: str
    mentions: tuple[SkillMention, ...]
    #: resumes: years in the positions whose text mentions the skill, and the last year of those positions
    years: float | None = None
    last_used: int | None = None
    #: job posts: "required" or "preferred" (from the section or sentence), and the years asked, if any
    level: str | None = None
    years_asked: float | None = None
    #: job posts: named only in the company's own text (about us, benefits), so asked for at a low weight
    background: bool | None = None
    #: the skill's ESCO URI and O*NET example ("tech:TensorFlow") where it carries one
    external: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TagResult:
    """The skills of one document, in order of first mention."""

    source: str
    taxonomy_version: str
    skills: tuple[TaggedSkill, ...]
    #: the trained recogniser's name and version when it ran (``SKILLMATCH_RECOGNISER=on``), else None
    model_version: str | None = None
    #: spans the recogniser marked that the taxonomy cannot link: for curators, never scored
    unlinked: tuple[RecognisedSpan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``skillmatch tag`` (a contract: keep the keys)."""
        return {
            "source": self.source,
            "taxonomy_version": self.taxonomy_version,
            "model_version": self.model_version,
            "skills": [
                {
                    "id": s.id,
                    "name": s.name,
                    "category": s.category,
                    "kind": s.kind,
                    "years": s.years,
                    "last_used": s.last_used,
                    "level": s.level,
                    "years_asked": s.years_asked,
                    "background": s.background,
                    "external": {"esco": s.external.get("esco"), "onet": s.external.get("onet")},
                    "mentions": [
                        {"start": m.start, "end": m.end, "text": m.text, "section": m.section} for m in s.mentions
                    ],
                }
                for s in self.skills
            ],
            "unlinked": [span.to_dict() for span in self.unlinked],
        }


class Tagger:
    """Taxonomy plus matcher, built once; ``tag`` one text or ``tag_many`` a stream.

    spaCy is imported only when a pipeline is asked for: an installed model (``SKILLMATCH_SPACY_MODEL``), a
    pipeline passed in, or :attr:`nlp` read. Otherwise the pipeline would be our skill tagger alone, whose
    mentions are the lexicon's exactly, so the lexicon answers and importing spaCy (most of a command's start)
    is skipped; the pipeline built later shares the same lexicon.
    """

    def __init__(
        self,
        taxonomy: Taxonomy | None = None,
        *,
        settings: Settings | None = None,
        nlp: Language | None = None,
        recogniser: SkillRecogniser | bool | None = None,
    ) -> None:
        """``recogniser``: True loads the shipped model, a :class:`~matcher.recogniser.SkillRecogniser` is used as
        given, False switches it off; None (the default) follows ``settings.recogniser``."""
        settings = settings or get_settings()
        self.settings = settings
        self.taxonomy = taxonomy or load_taxonomy(settings.taxonomy_dir, cache_dir=settings.cache_dir)
        self._nlp = nlp
        #: the lexicon that answers while no pipeline is needed (None with a model or a given pipeline)
        self._lexicon = (
            SkillLexicon(self.taxonomy, fuzzy=settings.fuzzy, phrases=settings.phrases)
            if nlp is None and not settings.spacy_model
            else None
        )
        #: the trained recogniser and its linker, when on; each Tagger loads its own model (its vocabulary
        #: grows with the texts it reads, and the batch runner renews Taggers to keep memory flat)
        self.recogniser: SkillRecogniser | None = None
        self._linker: SpanLinker | None = None
        if recogniser is None:
            recogniser = settings.recogniser
        if recogniser is not False:
            from matcher.recogniser import SkillRecogniser, SpanLinker

            self.recogniser = SkillRecogniser() if recogniser is True else recogniser
            lexicon = self.direct_lexicon()
            words = lexicon.name_words if lexicon is not None else None
            self._linker = SpanLinker(self.taxonomy, words=words)

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (built, and spaCy imported, on first use): blank English or the configured model,
        plus our skill tagger."""
        if self._nlp is None:
            from matcher.tagging.pipeline import build_nlp

            self._nlp = build_nlp(
                self.taxonomy,
                model=self.settings.spacy_model,
                fuzzy=self.settings.fuzzy,
                phrases=self.settings.phrases,
                fast_tokenizer=self.settings.fast_tokenizer,
                lexicon=self._lexicon,
            )
        return self._nlp

    def mentions(self, text: str, *, soft_breaks: Collection[int] = ()) -> tuple[SkillMention, ...]:
        """Every skill mention in ``text`` with exact character offsets; ``soft_breaks`` are the newlines a
        multi-word name may cross (:func:`matcher.analysis.breaks.soft_breaks`). With the recogniser on, the
        spans the taxonomy links are mentions too (see :meth:`find`)."""
        if self.recogniser is not None:
            return self.find(text, soft_breaks=soft_breaks)[0]
        return self._taxonomy_mentions(text, soft_breaks)

    def find(
        self, text: str, *, soft_breaks: Collection[int] = ()
    ) -> tuple[tuple[SkillMention, ...], tuple[RecognisedSpan, ...]]:
        """``(mentions, unlinked)``: the taxonomy's mentions plus the recogniser's spans it links, and the spans
        it cannot link (:func:`matcher.recogniser.merge`); no unlinked spans when the recogniser is off."""
        found = self._taxonomy_mentions(text, soft_breaks)
        if self.recogniser is None:
            return found, ()
        return self._merge(text, found, self.recogniser.spans(text))

    def find_many(
        self, texts: Iterable[str], *, batch_size: int = 64
    ) -> Iterator[tuple[tuple[SkillMention, ...], tuple[RecognisedSpan, ...]]]:
        """:meth:`find` for each text of a stream, in order; the recogniser reads them in batches."""
        if self.recogniser is None:
            for mentions in self.mentions_many(texts, batch_size=batch_size):
                yield mentions, ()
            return
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from self._find_batch(batch)
                batch = []
        if batch:
            yield from self._find_batch(batch)

    def _find_batch(self, texts: list[str]) -> Iterator[tuple[tuple[SkillMention, ...], tuple[RecognisedSpan, ...]]]:
        assert self.recogniser is not None
        spans = self.recogniser.spans_many(texts, batch_size=len(texts))
        for text, recognised in zip(texts, spans, strict=True):
            yield self._merge(text, self._taxonomy_mentions(text), recognised)

    def _merge(
        self, text: str, mentions: tuple[SkillMention, ...], spans: list[RecognisedSpan]
    ) -> tuple[tuple[SkillMention, ...], tuple[RecognisedSpan, ...]]:
        from matcher.recogniser import merge

        assert self._linker is not None
        merged, unlinked = merge(text, mentions, spans, self._linker)
        return tuple(merged), tuple(unlinked)

    def _taxonomy_mentions(self, text: str, soft_breaks: Collection[int] = ()) -> tuple[SkillMention, ...]:
        """The taxonomy's own mentions: the lexicon, or the spaCy pipeline when it holds more than our tagger."""
        lexicon = self.direct_lexicon()
        if lexicon is not None and len(text) <= self._max_length():
            return tuple(lexicon.find(text, soft_breaks=soft_breaks))
        mentions: tuple[SkillMention, ...] = self.nlp(self._make_doc(text, soft_breaks))._.skill_mentions
        return mentions

    def direct_lexicon(self) -> SkillLexicon | None:
        """The skill tagger's lexicon when the pipeline is that tagger alone, else None.

        Then nothing reads tokens (no POS tagger to veto verbs; the tagger matches on the raw text), so the
        mentions are ``lexicon.find(text)`` exactly, and tokenising the text and building a span per mention
        (up to half the cost of loading a document) is skipped. Checked per call: a component added to
        ``self.nlp`` later brings Docs back. ``nlp()`` itself still gives Docs with ``doc._.skill_mentions``.
        """
        if self._nlp is None:
            return self._lexicon
        from matcher.tagging.components import SkillTagger

        pipeline = self._nlp.pipeline
        if len(pipeline) != 1 or not isinstance(pipeline[0][1], SkillTagger):
            return None
        return pipeline[0][1].lexicon  # None when not initialised: the spaCy path raises the typed error

    def _max_length(self) -> int:
        return self._nlp.max_length if self._nlp is not None else SPACY_MAX_LENGTH

    def _make_doc(self, text: str, soft_breaks: Collection[int] = ()) -> Doc:
        from matcher.tagging.components import SOFT_BREAKS_KEY, TEXT_KEY

        doc = self.nlp.make_doc(text)
        doc.user_data[TEXT_KEY] = text
        if soft_breaks:
            doc.user_data[SOFT_BREAKS_KEY] = frozenset(soft_breaks)
        return doc

    def mentions_many(self, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[tuple[SkillMention, ...]]:
        """Mentions for each text of a stream, in order: straight from the lexicon when the pipeline is our
        tagger alone (see :meth:`direct_lexicon`), else through ``nlp.pipe``; with the recogniser's linked spans
        when it is on."""
        if self.recogniser is not None:
            for mentions, _unlinked in self.find_many(texts, batch_size=batch_size):
                yield mentions
            return
        lexicon = self.direct_lexicon()
        if lexicon is not None:
            max_length = self._max_length()
            for text in texts:
                # spaCy refuses texts over nlp.max_length: let it raise the same error
                yield tuple(lexicon.find(text)) if len(text) <= max_length else self._taxonomy_mentions(text)
            return
        for doc in self.nlp.pipe((self._make_doc(text) for text in texts), batch_size=batch_size):
            yield doc._.skill_mentions

    def tag(self, text: str, *, source: str = "<text>") -> TagResult:
        """The skills of one text, grouped by skill."""
        mentions, unlinked = self.find(text)
        return self.group(mentions, source=source, unlinked=unlinked)

    def tag_many(self, texts: Iterable[tuple[str, str]], *, batch_size: int = 64) -> Iterator[TagResult]:
        """``(source, text)`` pairs in, one :class:`TagResult` per pair out, in order."""
        pairs = iter(texts)
        sources: list[str] = []

        def only_texts() -> Iterator[str]:
            for source, text in pairs:
                sources.append(source)
                yield text

        for index, (mentions, unlinked) in enumerate(self.find_many(only_texts(), batch_size=batch_size)):
            yield self.group(mentions, source=sources[index], unlinked=unlinked)

    def tag_analysed(self, text: str, analysis: DocumentAnalysis, *, source: str) -> TagResult:
        """The skills of an analysed document: soft line breaks crossed; mentions in a resume's contact block or
        in an employer's or school's name left out; each mention with its section, each skill with what the
        document says of it (years and last use in a resume; level, background and years asked in a job post,
        from :mod:`matcher.analysis.facts`)."""
        found, unlinked = self.find(text, soft_breaks=analysis.soft_breaks)
        section_of = section_finder(analysis.sections)
        kept = [
            replace(m, section=section_of(m.start)) for m in found if not analysis.not_a_skill_at(m.start, m.end)
        ]
        apart = tuple(
            replace(s, section=section_of(s.start)) for s in unlinked if not analysis.not_a_skill_at(s.start, s.end)
        )
        return self.group(kept, source=source, facts=skill_facts(text, analysis, kept), unlinked=apart)

    def group(
        self,
        mentions: Iterable[SkillMention],
        *,
        source: str,
        facts: Mapping[str, SkillFacts] | None = None,
        unlinked: tuple[RecognisedSpan, ...] = (),
    ) -> TagResult:
        """Mentions grouped by skill, skills in order of first mention, with their facts when given; the
        recogniser's unlinked spans ride along apart (they have no skill, so nothing scores them)."""
        by_skill: dict[str, list[SkillMention]] = {}
        for m in mentions:
            by_skill.setdefault(m.skill_id, []).append(m)
        skills = self.taxonomy.skills
        facts = facts or {}
        tagged = []
        for sid, ms in by_skill.items():
            skill = skills[sid]
            known = facts.get(sid)
            tagged.append(
                TaggedSkill(sid, skill.name, skill.category, skill.kind, tuple(ms), external=skill.external)
                if known is None
                else TaggedSkill(
                    sid,
                    skill.name,
                    skill.category,
                    skill.kind,
                    tuple(ms),
                    years=known.years,
                    last_used=known.last_used,
                    level=known.level,
                    years_asked=known.years_asked,
                    background=known.background if known.level is not None else None,
                    external=skill.external,
                )
            )
        return TagResult(
            source=source,
            taxonomy_version=self.taxonomy.version,
            skills=tuple(tagged),
            model_version=self.recogniser.version if self.recogniser is not None else None,
            unlinked=unlinked,
        )
