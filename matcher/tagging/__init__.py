"""Tagging: which taxonomy skills a text mentions, and where.

``lexicon.py`` is the matching core (where names may begin, answered once per distinct word; the longest-match
walk from there; then the rules for ambiguous names, joiners and misspellings), ``tagger.py`` the
:class:`~matcher.tagging.tagger.Tagger` that runs it on a document, ``components.py`` and ``pipeline.py`` the
same as a spaCy component. The taxonomy they read is shared by every stage (:mod:`matcher.taxonomy`); the
trained recogniser beside it is :mod:`matcher.recogniser`.
"""
