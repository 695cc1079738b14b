"""What ``taxonomy/qualifications.yml`` may hold: the pydantic models
:func:`matcher.analysis.qualifications.load_qualifications` validates it with, imported when the file is read
(``skillmatch tag`` never reads it)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from matcher.analysis.qualifications import DegreeLevel

_Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=60)]
_Form = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _FormsSchema(_Strict):
    names: list[_Form] = []
    abbreviations: list[_Form] = []
    implied_by: list[_Form] = []


class _CertificationSchema(_Strict):
    name: _Form
    provider: _Identifier | None = None
    names: list[_Form] = []
    abbreviations: list[_Form] = []


class FileSchema(_Strict):
    version: _Form
    degrees: dict[DegreeLevel, _FormsSchema]
    fields: dict[_Identifier, _FormsSchema]
    related_fields: dict[_Identifier, list[_Identifier]] = {}
    field_groups: dict[_Identifier, list[_Form]] = {}
    providers: dict[_Identifier, list[_Form]] = {}
    certifications: dict[_Identifier, _CertificationSchema] = {}
