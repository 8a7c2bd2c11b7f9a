"""Named exceptions: every failure a user can meet has a name and a one-line message."""
from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class UnreadableInput(StorylineError):
    """An input could not be read as news: binary junk, empty, truncated, wrong shape."""

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")


class UnsupportedFormat(UnreadableInput):
    """The content is readable but is not a format storyline knows."""


class ArticleTooLarge(UnreadableInput):
    """A single article is over the configured size cap."""


class NotFound(StorylineError):
    """An article or story id that is not in the store."""


class StoreError(StorylineError):
    """The store cannot be opened or is of a newer schema."""
