"""The shapes the HTTP API answers with: one pydantic model per response, so the OpenAPI schema
documents every field and FastAPI checks each answer against it."""
from __future__ import annotations

from typing import Any, Literal

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


# -- the comparison (docs/comparison.md): the product's main output, typed for client generators ----
class _Open(BaseModel):
    """Fields are only added within a major version of the comparison schema: a newer server's
    extra fields pass through."""
    model_config = ConfigDict(extra="allow")


class ComparisonSource(_Open):
    n: int = Field(description="The source's number, from 1; every `sources` list refers to it.")
    id: str = Field(description="The article's id.")
    source: str | None = Field(description="The outlet.")
    title: str
    published_at: str | None = Field(description="ISO 8601.")
    url: str | None
    copy_of: int | None = Field(description="The `n` of the article this one copies, or null.")


class Evidence(_Open):
    source: int = Field(description="The source's `n`.")
    index: int = Field(description="The sentence's position in its article.")
    paragraph: int = Field(-1, description="The index of the sentence's paragraph in the article's body.")
    sentence: str = Field(description="The claim (a clause when a sentence carries several).")
    context: str = Field(description="The whole sentence.")


class Told(_Open):
    source: int
    outlet: str | None = None
    published_at: str | None = Field(description="None when the source is undated (listed last, never guessed).")
    copy_of: int | None = Field(description="The source it copies, if a copy.")
    via: str | None = Field(description="The wire it credits, if any.")


class Nearest(_Open):
    source: int
    paragraph: int
    sentence: str
    probability: float = Field(description="Probability that it states the same fact.")


class Fact(_Open):
    id: int
    status: Literal["agreed", "unique", "unmatched", "conflict", "update"] = Field(
        description="agreed: two or more independent sources; unique: one, and the others are unlikely to "
                    "state it; unmatched: one, but another source may state it in other words (see `nearest`); "
                    "conflict: its sources disagree on a value; update: a figure moved between sources "
                    "published 12 hours or more apart.")
    sources: list[int] = Field(description="Every source (`n`) that states it.")
    independent_sources: int = Field(description="Copies of one wire story count once.")
    text: str
    similarity: float = Field(description="Mean probability that its sentences state the same fact.")
    only_in_copies: bool = Field(description="Only copies state it (such as an outlet's boilerplate).")
    evidence: list[Evidence]
    elsewhere: float | None = Field(None, description="A one-source fact: the probability that another source "
                                                      "states it in other words.")
    told: list[Told] = Field(default_factory=list, description="Who stated it, first to last: the earliest dated "
                                                               "original first, copies after the original they repeat.")
    possible: list[int] = Field(default_factory=list, description="Ids of the `possible` differences among its "
                                                                   "sources (values that may both be true).")
    own_details: list[str] = Field(default_factory=list, description="A one-source fact: its names and figures "
                                                                     "that no other source mentions anywhere.")
    nearest: list[Nearest] = Field(default_factory=list, description="An unmatched fact: the closest sentence "
                                                                     "of each other source, closest first.")


class SourceSentence(_Open):
    source: int = Field(description="The source's `n`.")
    sentence: str
    paragraph: int | None = Field(None, description="The index of the sentence's paragraph in its article.")


class Claim(_Open):
    value: str
    sources: list[int] = Field(description="Every source that states the value.")
    sentences: list[SourceSentence]
    source: int = Field(description="The first source that states it.")
    sentence: str = Field(description="The first source's sentence.")
    published_at: str | None = Field(None, description="In an update: the earliest publication of the value.")


class Conflict(_Open):
    id: int
    kind: Literal["attribution", "number", "date", "place", "name"]
    update: bool = Field(description="A number that moved as the story developed, not a contradiction.")
    fact: int = Field(description="The fact's id.")
    confidence: float = Field(1.0, description="How sure the comparison is that the values contradict each "
                                               "other (0-1); conflicts are shown from 0.5.")
    claims: list[Claim] = Field(description="One per value; in an update, in publication order.")


class PossibleDifference(Conflict):
    """Values that differ but can both be true (bounds, approximations, roundings, a part and its
    total) or that speak of another occasion: kept for a reader of the JSON, never shown as a conflict."""
    why: str = Field("", description="Why the confidence is low.")


class Quote(_Open):
    text: str = Field(description="The quotation, or the reported sentence.")
    speaker: str | None = Field(description="With titles, or null.")
    direct: bool = Field(description="In quotation marks (true) or reported speech (false).")
    sources: list[int]
    sentences: list[SourceSentence]


class Entity(_Open):
    text: str
    kind: Literal["person", "organisation", "place", "group", "event", "vehicle"]
    sources: list[int]
    mentions: int


class TimelineEvent(_Open):
    date: str = Field(description="ISO YYYY, YYYY-MM or YYYY-MM-DD.")
    approximate: bool = Field(description="Resolved from a relative expression.")
    expression: str = Field(description="The date as written.")
    text: str
    sources: list[int]
    evidence: list[SourceSentence]


class SummarySentence(_Open):
    text: str
    sources: list[int] = Field(description="The sources it cites: only those whose own sentence supports it.")
    fact: int | None = Field(description="The fact it comes from.")
    disputed: list[int] = Field(default_factory=list,
                                description="Ids of the conflicts in which it states one of the values.")


class ComparisonStats(_Open):
    articles: int
    independent_sources: int
    agreed: int = Field(description="Counts of facts by status.")
    unique: int
    unmatched: int = 0
    conflict: int
    update: int


class ComparisonStory(_Open):
    id: str
    title: str
    articles: int
    independent: int
    first_at: str | None
    last_at: str | None


class Comparison(_Open):
    """The comparison of a story's sources, fact by fact (docs/comparison.md)."""
    schema_: str = Field(alias="schema", description="storyline.comparison/MAJOR.MINOR")
    sources: list[ComparisonSource]
    facts: list[Fact]
    conflicts: list[Conflict]
    possible: list[PossibleDifference] = Field([], description="Differences below the confidence a conflict "
                                                               "is shown at.")
    quotes: list[Quote]
    entities: list[Entity]
    timeline: list[TimelineEvent] = Field(description="Sorted by date.")
    summary: list[SummarySentence]
    stats: ComparisonStats
    story: ComparisonStory | None = Field(None, description="Only for a stored story.")


class StoryDetailOut(StoryOut):
    members: list[MemberOut]
    comparison: Comparison = Field(description="The comparison of the story's sources (docs/comparison.md).")


class ArticleIn(BaseModel):
    """An article to store. `text` is required (the JSON readers' aliases `body`, `content`, … are
    accepted for it, and for the other fields); a missing title is derived from the text."""
    model_config = ConfigDict(extra="allow")

    title: str | None = None
    text: str = Field(min_length=1, description="The body; paragraphs separated by blank lines.")
    source: str | None = Field(None, description="The outlet (from the URL's host when not given).")
    url: str | None = Field(None, pattern="^https?://[^\\s/?#]+",
                            description="The article's http:// or https:// address.")
    published_at: str | None = Field(None, description="ISO 8601 (2025-03-05 or 2025-03-05T09:00:00Z), "
                                                       "from 1900 on and not in the future.")
    authors: list[str] | None = None
    language: str | None = Field(None, description="ISO 639-1; identified from the text when not given.")


class PostOut(BaseModel):
    id: str
    status: str = Field(description="new, unchanged or updated")
    story_id: str | None
    title: str
