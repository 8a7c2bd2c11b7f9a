"""The shapes the HTTP API answers with: one pydantic model per response, so the OpenAPI schema
documents every field and FastAPI checks each answer against it."""
from __future__ import annotations

from typing import Literal

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
    continues: str | None = Field(None, description="The earlier story this one continues: a story back after "
                                                    "more than the engine's window (e.g. a trial resuming).")


class FirstReported(BaseModel):
    status: Literal["dated", "undated", "none"] = Field(
        description="dated: the earliest dated original is known; undated: no original carries a date (never "
                    "guessed); none: the story has no original")
    article_id: str | None
    outlet: str | None
    published_at: str | None
    undated_originals: int = Field(description="Originals without a date, not ranked (one may have come first).")
    title: str | None = None


class Blindspot(BaseModel):
    attribute: str
    value: str
    sources: int
    of: int = Field(description="Independent sources with a value of the attribute.")
    line: str


class CardOut(BaseModel):
    lede: str | None = Field(description="The first reporter's standfirst or first paragraph.")
    first_reported: FirstReported
    conflicts: int | None = Field(description="Conflicts of the story's last comparison (null: not compared since "
                                              "it last changed).")
    updates: int | None = Field(description="Updates (figures that moved) of the story's last comparison (null: not "
                                            "compared since it last changed).")


class StoryListed(StoryOut):
    blindspot: Blindspot | None = Field(None, description="With ?blindspot=: the value the coverage is one-sided on.")
    card: CardOut | None = None


class StoryPage(BaseModel):
    items: list[StoryListed]
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
    wire: str | None = Field(None, description="The wire service its text credits (a dateline `(AP) —`), or null.")


class Evidence(_Open):
    source: int = Field(description="The source's `n`.")
    index: int = Field(description="The sentence's position in its article.")
    paragraph: int = Field(-1, description="The index of the sentence's paragraph in the article's body.")
    sentence: str = Field(description="The claim (a clause when a sentence carries several).")
    context: str = Field(description="The whole sentence.")


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
    kind: Literal["attribution", "number", "date", "place", "name", "order"]
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


class Series(BaseModel):
    name: str = Field(description="An outlet, or a value of the attribute asked for.")
    counts: list[int] = Field(description="Articles in each bucket, copies included.")
    total: int


class OverTime(BaseModel):
    bucket: Literal["hour", "day"]
    by: str
    buckets: list[str] = Field(description="Each bucket's start (UTC, ISO 8601), first to last with none skipped.")
    series: list[Series]
    undated: int = Field(description="Articles without a date, not placed.")


class GroupSplit(BaseModel):
    attribute: str
    values: dict[str, int] = Field(description="Independent sources per value.")
    unknown: int = Field(description="Independent sources the registry gives no value.")
    sources: int
    line: str = Field(description='For example "3 of 4 sources are national".')
    blindspot: Blindspot | None


class CoverageOut(BaseModel):
    story_id: str
    first_reported: FirstReported
    over_time: OverTime
    groups: list[GroupSplit]


class OutletOut(BaseModel):
    name: str
    articles: int
    originals: int
    copies: int
    copy_share: float | None = Field(description="Share of its articles that copy another (wire copies).")
    wire_credited: int = Field(description="Originals that credit a wire.")
    stories: int
    first_reports: int = Field(description="Stories it reported first (earliest dated original).")
    languages: dict[str, int]
    conflicts: int = Field(description="Conflicts it took a side in, over its compared stories.")
    compared_stories: int
    domains: list[str]
    attributes: dict[str, str] = Field(description="What the registry says: country, language, type, owner, groups.")
    sources: list[str] = Field(description="The names its articles carry.")


class LatestStory(BaseModel):
    id: str
    title: str
    last_at: str | None
    independent: int
    first: bool = Field(description="Whether this outlet reported it first.")


class OutletDetailOut(OutletOut):
    latest_stories: list[LatestStory]


class OutletsOut(BaseModel):
    outlets: list[OutletOut]
    compared_stories: int = Field(description="Stories whose conflicts are counted (compared in their current version).")
    stories: int
    attributes: list[str] = Field(description="The attributes the registry holds.")


class FactReport(BaseModel):
    n: int = Field(description="The source's number in the comparison.")
    outlet: str | None
    article_id: str
    published_at: str | None
    copy_of: int | None = Field(description="The number of the source this copies.")
    wire: str | None = Field(description="The wire the article credits.")


class FactFirst(BaseModel):
    fact: int
    text: str
    first: FactReport | None = Field(description="The earliest dated original stating it (null: none is dated).")
    then: list[FactReport] = Field(description="Later dated originals, in time order.")
    undated: list[FactReport] = Field(description="Originals without a date, never ranked.")
    copies: list[FactReport] = Field(description="Copies that carried it: never first.")
    line: str


class SinceRef(BaseModel):
    n: int
    id: str
    outlet: str | None
    published_at: str | None
    copy_of: int | None


class SinceClaim(BaseModel):
    value: str
    sources: list[int]
    sentence: str | None


class SinceFact(BaseModel):
    fact: int
    status: str
    text: str
    sources: list[int]


class SinceUpdate(BaseModel):
    id: int
    fact: int | None
    kind: str | None
    from_: SinceClaim = Field(alias="from")
    to: SinceClaim
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class SinceConflict(BaseModel):
    id: int
    fact: int | None
    kind: str | None
    claims: list[SinceClaim]
    new_claims: list[SinceClaim] = Field(description="The sides no earlier article stated.")


class SinceSentence(BaseModel):
    text: str
    sources: list[int] = Field(description="The new sources that state it (numbers of the comparison's sources).")
    kind: Literal["update", "conflict", "fact"]


class SinceOut(BaseModel):
    since: str = Field(description="The time, in UTC.")
    new_articles: list[SinceRef] = Field(description="Published after the time.")
    undated_articles: list[SinceRef] = Field(description="Without a date: neither new nor known.")
    known_articles: int
    new_sources: list[str] = Field(description="Outlets with no article before the time.")
    new_facts: list[SinceFact] = Field(description="Facts no article before the time stated.")
    updates: list[SinceUpdate] = Field(description="Figures that moved: a value known before, and its new value.")
    new_conflicts: list[SinceConflict]
    summary: list[SinceSentence] = Field(description="What is new, a citation on every sentence.")


class StoryDetailOut(StoryOut):
    continues_title: str | None = Field(None, description="The title of the story it continues.")
    members: list[MemberOut]
    coverage: CoverageOut
    fact_firsts: list[FactFirst] = Field(description="Who stated each agreed fact first, and who repeated it.")
    since: SinceOut | None = Field(None, description="With ?since=: what is new in the story since that time.")
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
