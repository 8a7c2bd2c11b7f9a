"""The shapes the HTTP API answers with: one pydantic model per response, so the OpenAPI schema
documents every field and FastAPI checks each answer against it."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorOut(BaseModel):
    error: str = Field(description="What went wrong, in one line.")


class HealthOut(BaseModel):
    status: str
    articles: int
    stories: int
    version: str


class ArticleOut(BaseModel):
    id: str
    url: str | None
    source: str | None
    title: str
    standfirst: str | None
    keywords: list[str]
    captions: list[str]
    authors: list[str]
    published_at: str | None
    language: str | None
    body: list[str]
    origin: str | None = None
    story_id: str | None = Field(None, description="The story the article belongs to (null before clustering).")


class ArticleRef(BaseModel):
    id: str
    title: str
    source: str | None


class ArticleDetailOut(ArticleOut):
    duplicate_of: str | None = Field(None, description="Id of the original this article copies.")
    wire: str | None = Field(None, description="The wire service the article credits.")
    copies: list[str] = Field(default_factory=list, description="Ids of the copies of this article.")
    story_title: str | None = None
    original: ArticleRef | None = None
    copy_refs: list[ArticleRef] = Field(default_factory=list)
    boilerplate: list[int] = Field(default_factory=list,
                                   description="Indexes of body paragraphs that are outlet furniture, not news.")


class ArticlePage(BaseModel):
    items: list[ArticleOut]
    total: int = Field(description="How many articles match, in all pages.")
    limit: int
    offset: int


class StoryOut(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    title: str
    articles: int = Field(description="Articles in the story, copies included.")
    sources: int = Field(description="Distinct outlets.")
    independent: int = Field(description="Independent sources: copies of one report count once.")
    first_at: str | None
    last_at: str | None
    updated_seq: int
    outlets: dict[str, int] = Field(description="Articles per outlet.")
    languages: dict[str, int] = Field(default_factory=dict, description="Articles per language (ISO 639-1).")


class StoryPage(BaseModel):
    items: list[StoryOut]
    total: int = Field(description="How many stories match, in all pages.")
    limit: int
    offset: int


class MemberOut(BaseModel):
    id: str
    source: str | None
    title: str
    published_at: str | None
    url: str | None
    duplicate_of: str | None
    wire: str | None
    score: float | None


class StoryDetailOut(StoryOut):
    members: list[MemberOut]
    comparison: dict[str, Any] = Field(description="The comparison of the story's sources (docs/comparison.md).")


class ArticleIn(BaseModel):
    """An article to store. `text` (or `body`, `content`) is required; a missing title is derived
    from the text. Field aliases of the JSON readers are accepted too."""
    model_config = ConfigDict(extra="allow")

    title: str | None = None
    text: str | None = Field(None, description="The body; paragraphs separated by blank lines.")
    source: str | None = None
    url: str | None = None
    published_at: str | None = Field(None, description="ISO 8601; not in the future.")
    authors: list[str] | None = None
    language: str | None = None


class PostOut(BaseModel):
    id: str
    status: str = Field(description="new, unchanged or updated")
    story_id: str | None
    title: str
