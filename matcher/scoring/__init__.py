"""Scoring: how well a resume fits a job, and how the fits rank.

``profiles.py`` is what scoring sees of a document; ``match.py`` the one-pair score (its formula in its
docstring) and the credit rule every scorer shares; ``roles.py`` past titles; ``titles.py`` ranking against ML
job titles and the ranked rows; ``vectorized.py`` many pairs at once; ``pool.py`` one query against a stored pool.
"""
