"""Schemas of the knowledge API (leerorkest.knowledge.api). Names start with Material or Theme:
the OpenAPI document has one namespace for all apps."""

from datetime import datetime
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from ninja import Field, Schema
from pydantic import field_validator

from leerorkest.knowledge.models import Licence, MaterialKind

MAX_LIST = 50
YearGroup = Annotated[int, Field(ge=3, le=8)]
Code = Annotated[str, Field(min_length=1, max_length=80)]
GoalId = Annotated[int, Field(ge=1, le=2_147_483_647)]
_http_url = URLValidator(schemes=["http", "https"])


class MaterialOut(Schema):
    slug: str
    title: str
    summary: str
    kind: MaterialKind
    status: str
    year_groups: list[int]
    instruments: list[str]
    themes: list[str]
    licence: str
    organisation: str
    published_at: datetime | None
    download_count: int
    url: str


class MaterialFileOut(Schema):
    id: int
    name: str
    kind: str
    content_type: str
    size: int
    url: str


class MaterialDetailOut(MaterialOut):
    body_html: str
    link: str
    licence_url: str
    goals: list[str]
    review_note: str = Field(
        description="The editors' note on a returned material; only its contributor and the "
        "editors see it (empty for anyone else)."
    )
    files: list[MaterialFileOut]


class ThemeOut(Schema):
    slug: str
    name: str


def _plain(value: str | None) -> str | None:
    """Text without surrounding spaces that the database can store (no lone surrogates)."""
    if value is None:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains characters that are not valid text") from None
    return value.strip()


class MaterialFields(Schema):
    """Validation shared by creating and changing a material."""

    @field_validator("title", "summary", check_fields=False)
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        value = _plain(value)
        if value is not None and not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("body", check_fields=False)
    @classmethod
    def _body(cls, value: str | None) -> str | None:
        return _plain(value)

    @field_validator("link", check_fields=False)
    @classmethod
    def _link(cls, value: str | None) -> str | None:
        value = _plain(value)
        if value:
            try:
                _http_url(value)
            except DjangoValidationError:
                raise ValueError("must be a web address starting with https://") from None
        return value


class MaterialIn(MaterialFields):
    title: str = Field(..., min_length=1, max_length=200)
    summary: str = Field(..., min_length=1, max_length=600, description="Plain text.")
    body: str = Field(
        "",
        max_length=50_000,
        description="Simple HTML (paragraphs, h2, h3, bold, italic, lists, quotes, links); "
        "anything else is removed.",
    )
    kind: MaterialKind
    link: str = Field("", max_length=200, description="A web address (https://…), or empty.")
    licence: Licence
    instruments: list[Code] = Field([], max_length=MAX_LIST, description="Instrument codes.")
    themes: list[Code] = Field([], max_length=MAX_LIST, description="Theme slugs.")
    goals: list[GoalId] = Field(
        [], max_length=MAX_LIST, description="Ids of learning goals of shared, published lines."
    )
    year_groups: list[YearGroup] = Field([], max_length=6, description="Groepen 3 to 8.")
    submit: bool = Field(False, description="Send it to the editors for review right away.")


class MaterialPatch(MaterialFields):
    """Only the fields sent change; a list sent replaces the whole list."""

    title: str | None = Field(None, min_length=1, max_length=200)
    summary: str | None = Field(None, min_length=1, max_length=600)
    body: str | None = Field(None, max_length=50_000)
    kind: MaterialKind | None = None
    link: str | None = Field(None, max_length=200)
    licence: Licence | None = None
    instruments: list[Code] | None = Field(None, max_length=MAX_LIST)
    themes: list[Code] | None = Field(None, max_length=MAX_LIST)
    goals: list[GoalId] | None = Field(None, max_length=MAX_LIST)
    year_groups: list[YearGroup] | None = Field(None, max_length=6)
    submit: bool = Field(False, description="Send it to the editors for review after the change.")


class MaterialRejectIn(Schema):
    note: str = Field(..., min_length=1, max_length=2000, description="What should change.")

    @field_validator("note")
    @classmethod
    def _note(cls, value: str) -> str:
        value = _plain(value)
        if not value:
            raise ValueError("must not be blank")
        return value
