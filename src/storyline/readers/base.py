"""What every reader shares: decoding, junk checks, size cap, the finishing of an Article."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

from ..errors import ArticleTooLarge, BrokenInstallation, UnreadableInput
from ..language import detect_language
from ..model import Article, source_from_url

DEFAULT_MAX_CHARS = 5_000_000

#: What a reader yields: an article, or the error of one record it could not read.
Item = Union[Article, UnreadableInput]


@dataclass(frozen=True)
class ReaderOptions:
    max_chars: int = DEFAULT_MAX_CHARS
    #: identify the language of articles that do not name it (`compare`, which never reads it, skips
    #: the 0.4 s the identifier's model takes to load)
    detect_language: bool = True

    @property
    def max_bytes(self) -> int:
        # a UTF-8 character is at most 4 bytes; HTML markup gets the same generous allowance
        return self.max_chars * 4


_C1 = re.compile("[\x80-\x9f]")


def looks_binary(data: bytes) -> bool:
    """Binary junk: NUL bytes or many control characters in the first bytes."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head) > 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """Text from bytes whatever the charset claims: UTF-8, then cp1252, then detection.

    A declared charset is tried after UTF-8 since a wrong declaration is common in the wild.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    if declared:
        candidates.append(declared)
    candidates.append("cp1252")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if not _C1.search(text):
            return text
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except Exception:  # pragma: no cover - detection is best effort
        pass
    return data.decode("latin-1")


def clean(text: str | None) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[ \t\u00a0]+", " ", text).strip()


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs on blank lines (or single newlines when there are none)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = re.split(r"\n\s*\n", text)
    if len(blocks) == 1:
        blocks = text.split("\n")
    out = [clean(" ".join(b.split("\n"))) for b in blocks]
    return [p for p in out if p]


#: Han, Hiragana, Katakana and Hangul: scripts written without spaces between words (Korean has
#: spaces, but between phrases), so each character counts as a word wherever a minimum applies.
_CJK = ("\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
        "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD_TOKEN = re.compile(r"\S*[^\W_]\S*")  # a run of non-space characters holding a letter or a digit
#: an article (any reader) needs this many words of body text; below it, what is left is a
#: stray tag, a symbol or a test stub, never news
MIN_WORDS = 10  # as a POSTed article's; feedparser's corpus stored 5- to 6-word test stubs at 5


def count_words(text: str, at_most: int | None = None) -> int:
    """Words as a reader counts them: each CJK character is one, and so is each run of other
    non-space characters that holds a letter or a digit (`<br />` or `¤` alone are none). With
    `at_most`, counting stops there (a minimum's check need not read a long article to its end)."""
    cjk = len(_CJK_CHAR.findall(text))
    if cjk:
        text = _CJK_CHAR.sub(" ", text)
    if at_most is None:
        return cjk + len(_WORD_TOKEN.findall(text))
    n = cjk
    for _ in _WORD_TOKEN.finditer(text):
        if n >= at_most:
            break
        n += 1
    return n


_MARKS = re.compile("[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0903"
                    "\u093a-\u094f\u0981-\u0983\u09bc-\u09d7\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")
_PROSE_TOKEN = re.compile(r"""^[(\[«"'“‘¿¡-]*[^\W\d_]+(?:['’-][^\W\d_]+)*[)\]»"'”’.,;:!?…-]*$""")
_NOT_PROSE_LINE = re.compile(
    r"""^\s*(?:[\w.\-\[\]"']+\s*=|"""                         # key = value, code assignment
    r"""[\w.\-]+\s*:\s*\S+\s*$|"""                               # key: value (one token)
    r"""[<\w+.-]*[a-z][\w+.-]*:/{1,3}\S+>?\s*$|(?:www\.)\S+\s*$|"""  # a URL alone
    r"""(?:[#;!%*>|]|//|/\*|--|<!--|\.\.\s)|"""                    # comments, quoting, rst
    r"""\[[^\]]*\]\s*$|"""                                        # [section]
    r"""(?:def|class|import|from\s+\S+\s+import|return|elif|else:|try:|except|assert|raise|"""
    r"""var|let|const|function|public|private|static|package|@\w+)\b|"""
    r""".*[{};(\[,]\s*$|[)\]}]+[;,]?\s*$)""")                   # code: a line that opens or closes


def _prose_words(line: str) -> int:
    """The words of a line that reads as a sentence, or 0: not a setting, URL, comment or code,
    and most of its tokens plain words."""
    if _NOT_PROSE_LINE.match(line):
        return 0
    cjk = len(_CJK_CHAR.findall(line))
    line = _MARKS.sub("", line)  # Thai, Indic and Hebrew vowel signs are letters' parts, not \w
    rest = _CJK_CHAR.sub(" ", line).split() if cjk else line.split()
    plain = sum(1 for tok in rest if _PROSE_TOKEN.match(tok))
    if cjk + len(rest) < 3 or (plain + cjk) < 0.7 * (cjk + len(rest)):
        return 0
    return cjk + plain


def reads_as_prose(text: str, min_words: int = MIN_WORDS, share: float = 0.6) -> bool:
    """Whether text reads as prose rather than a configuration file, a list of URLs or code: most
    of its words stand in lines that read as sentences, and there are at least `min_words` of them."""
    lines = [ln for ln in text.replace("\r", "\n").split("\n") if ln.strip()]
    total = sum(count_words(ln) for ln in lines)
    prose = sum(_prose_words(ln) for ln in lines)
    return prose >= min_words and prose >= share * total


_BARE_LINK = re.compile(r"^\s*(?:[a-z][\w+.-]*://|www\.)\S+\s*$", re.I)
#: a page's text is an article's when it holds this many words in paragraphs of at least
#: SENTENCE_WORDS words that read as sentences (trafilatura's corpus: navigation menus, server
#: status pages, forms and templates have none; news pages have hundreds)
PAGE_PROSE_WORDS, SENTENCE_WORDS = 20, 8


def page_problem(paragraphs: list[str]) -> str | None:
    """Why the text taken from a web page is not an article, or None: a page that is mostly bare
    links, or one with no paragraph that reads as sentences."""
    if len(paragraphs) >= 5 and sum(1 for p in paragraphs if _BARE_LINK.match(p)) >= 0.3 * len(paragraphs):
        return "the page is a list of links, not an article"
    words = sum(w for p in paragraphs if (w := _prose_words(p)) >= SENTENCE_WORDS)
    if words < PAGE_PROSE_WORDS:
        return ("no paragraph of the page reads as an article's sentences (navigation, a form,"
                " a status page or a template)")
    return None


def finish(article: Article, origin: str, options: ReaderOptions) -> Article:
    """Fill what can be derived (language, source, id) and enforce the size cap.

    Text no store can hold is repaired first (`Article.storable`: NULs and control characters
    dropped, a lone surrogate replaced by U+FFFD), so the id is that of the text as stored."""
    article = article.storable()
    article.title = clean(article.title)
    article.body = [p for p in (" ".join(str(x).split()) for x in article.body) if p]
    article.title = " ".join(article.title.split())
    size = len(article.title) + len(article.standfirst or "") + sum(len(p) for p in article.body)
    if size > options.max_chars:
        raise ArticleTooLarge(origin, f"article of {size:,} characters is over the cap of {options.max_chars:,}")
    if not article.body and not article.title:
        raise UnreadableInput(origin, "no article text found")
    if not article.body:
        raise UnreadableInput(origin, "article has a title but no body text")
    words = count_words(" ".join(article.body), at_most=MIN_WORDS)
    if words < MIN_WORDS:
        raise UnreadableInput(origin, f"too short to be news: {words} word{'' if words == 1 else 's'} of body "
                                      f"text, an article needs at least {MIN_WORDS}")
    article.origin = article.origin or origin
    if not article.source:
        article.source = source_from_url(article.url)
    if not article.language and options.detect_language:
        article.language = detect_language(article.full_text)
    article.id = article.compute_id()
    if not article.title:  # after the id, so an untitled article keeps the id it always had
        article.title = derive_title(article.body[0])
    return article


def derive_title(paragraph: str, max_words: int = 12) -> str:
    """A headline for an untitled article: its first sentence, cut at a word boundary."""
    first = re.split(r"(?<=[.!?])\s+", paragraph.strip(), maxsplit=1)[0].rstrip(".")
    words = first.split()
    return " ".join(words[:max_words]) + ("…" if len(words) > max_words else "")


def safe(origin: str, produce: Iterator[Item]) -> Iterator[Item]:
    """Turn any stray exception of a third-party parser into the named error of its input."""
    try:
        yield from produce
    except UnreadableInput as exc:
        yield exc
    except BrokenInstallation:
        raise
    except ImportError as exc:  # not the input's fault: name the installation, not the file
        raise BrokenInstallation(exc) from exc
    except Exception as exc:  # noqa: BLE001 - third-party parsers raise anything
        yield UnreadableInput(origin, f"cannot parse: {type(exc).__name__}: {exc}".strip()[:300])
