"""Named exceptions: every failure a user can meet has a name and a one-line message."""
from __future__ import annotations

import re


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""


class UnreadableInput(StorylineError):
    """An input could not be read as news: binary junk, empty, truncated, wrong shape."""

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # picklable: errors travel back from workers
        return type(self), (self.origin, self.reason)


class UnsupportedFormat(UnreadableInput):
    """The content is readable but is not a format storyline knows."""


class ArticleTooLarge(UnreadableInput):
    """A single article is over the configured size cap."""


class BrokenInstallation(StorylineError):
    """A module storyline needs cannot be imported: the installation, not the input, is at fault."""

    def __init__(self, exc: BaseException) -> None:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        # the missing distribution: the module's name, or the one a library's message names
        # (lxml says "lxml.html.clean module is now a separate project lxml_html_clean.")
        named = re.search(r"(?:separate project|pip install|install)\s+'?([A-Za-z][\w.-]*[A-Za-z0-9])", detail)
        missing = getattr(exc, "name", None) or (named.group(1) if named else None)
        hint = f"pip install {missing.split('.')[0].replace('_', '-')}, or " if missing else ""
        super().__init__(f"broken installation: {detail} ({type(exc).__name__}). Fix it with: {hint}"
                         "reinstall storyline with its dependencies (pip install -e . in a clone)")


class NotFound(StorylineError):
    """An article or story id that is not in the store."""


class AmbiguousId(NotFound):
    """An id prefix that matches more than one article or story."""

    def __init__(self, kind: str, prefix: str, matches: list[str]) -> None:
        self.matches = matches
        shown = ", ".join(matches[:10]) + (", …" if len(matches) > 10 else "")
        super().__init__(f"{prefix!r} is ambiguous: it starts {len(matches)}{'+' if len(matches) > 10 else ''} "
                         f"{kind} ids ({shown}); give more characters")


class StoreError(StorylineError):
    """The store cannot be opened or is of a newer schema."""


class ExportError(StorylineError):
    """The export's output folder or files cannot be written."""
