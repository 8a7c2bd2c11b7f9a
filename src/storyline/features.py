"""The cheap per-article features the story engine and similarity use.

Everything here runs on every article, so it is regex and dict work only: word terms,
capitalised phrases (entity candidates), numbers and years, and word shingles.
"""
from __future__ import annotations

import itertools
import json
import math
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .model import Article

if TYPE_CHECKING:
    import numpy as np

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours ourselves out over own same she should so some such than
that the their theirs them themselves then there these they this those through to too under until up very
was we were what when where which while who whom why will with would you your yours yourself yourselves
said says say told according one two three new also would could may might must us mr mrs ms last first
year years week day days time people like get got make made many much well even still back since yet
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow per cent percent
""".split())

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]", re.UNICODE)
# _NUM and _CAP begin with the character class of their first character, so the regex engine
# skips to candidates instead of trying every position; the checks on the character before (not a
# word character or a point; a word boundary) are lookbehinds taken after that first character.
# They match as (?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w]) and \b(?:[A-Z]...|[A-Z]{2,})...
# do, at a third of the time (tests/test_features.py compares them on random text)
_NUM = re.compile(r"(\d(?<![\w.]\d)(?:\d{0,2}(?:,\d{3})+|\d*(?:\.\d+)?))(?!\w)")
_CAP = re.compile(r"[A-Z](?<!\w[A-Z])(?:[\w'’-]*[a-z][\w'’-]*|[A-Z]+)(?:\s+(?:(?:of|de|al|van|von|the|and)\s+)?(?:[A-Z][\w'’-]*[a-z][\w'’-]*|[A-Z]{2,}))*")
_SENT_START = re.compile(r"(?:^|[.!?]\s+|\n)$")


def term_id(term: str) -> int:
    """A stable 32-bit id of a term (stable across runs, unlike hash())."""
    return zlib.crc32(term.encode("utf-8"))


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("’", "'"))


_TERM: dict[str, str | None] = {}


def _term(w: str) -> str | None:
    """The content term of a lowercased word (its stem), or None for stop words; memoised."""
    t = _TERM.get(w, "")
    if t == "":
        base = w[:-2] if w.endswith("'s") else w
        t = stem(base) if len(base) > 2 and base not in STOPWORDS else None
        if len(_TERM) > 500_000:
            _TERM.clear()
        _TERM[w] = t
    return t


_IDS: dict[str, int] = {}


def _ids(ws: list[str]) -> list[int]:
    """Term ids of lowercased words, stop words left out (memoised: one dict lookup a word)."""
    out = []
    get = _IDS.get
    for w in ws:
        i = get(w)
        if i is None:
            t = _term(w)
            i = _IDS[w] = term_id(t) if t is not None else -1
            if len(_IDS) > 500_000:
                _IDS.clear()
        if i >= 0:
            out.append(i)
    return out


_STEMS: dict[str, str] = {}


def stem(word: str) -> str:
    """Snowball (Porter 2) stem, memoised: the vocabulary of news repeats, so this is a dict lookup."""
    s = _STEMS.get(word)
    if s is None:
        if len(_STEMS) > 500_000:
            _STEMS.clear()
        s = _STEMS[word] = _stemmer().stemWord(word)
    return s


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def term_ids(text: str) -> list[int]:
    """The content terms of a text as term ids (memoised per word, as featurize does)."""
    return _ids(words(text))


def content_terms(text: str) -> list[str]:
    return [t for t in map(_term, words(text)) if t is not None]


def entity_candidates(text: str) -> list[str]:
    """Capitalised phrases, minus lone sentence-initial common words."""
    out = []
    for m in _CAP.finditer(text):
        phrase = m.group(0)
        if " " not in phrase:
            start = m.start()
            if _SENT_START.search(text[max(0, start - 3):start]) or start == 0:
                if phrase.lower() in STOPWORDS or len(phrase) < 3:
                    continue
        out.append(phrase.lower())
    return out


def with_surnames(phrases: list[str]) -> list[str]:
    """Entity candidates plus the last word of each multi-word one ("vincent jackson" also counts
    as "jackson"), so a later mention by surname alone matches the full name."""
    out = list(phrases)
    for p in phrases:
        if " " in p:
            last = p.rsplit(" ", 1)[1]
            if len(last) > 2 and last not in STOPWORDS:
                out.append(last)
    return out


def numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUM.findall(text)}


@dataclass
class ArticleFeatures:
    """Term counts, entity counts and numbers of one article, with title/lead weighted up."""

    terms: Counter[int] = field(default_factory=Counter)
    lead: Counter[int] = field(default_factory=Counter)
    entities: Counter[int] = field(default_factory=Counter)
    nums: set[str] = field(default_factory=set)
    lead_nums: set[str] = field(default_factory=set)
    title_entities: list[int] = field(default_factory=list)
    shingles: list[str] = field(default_factory=list)
    timestamp: float | None = None
    language: str | None = None
    year: str | None = None
    signature: Any = None  # the MinHash signature, when computed ahead (then `shingles` is dropped)
    #: terms, title+lead and entities as one sorted array of ids, their counts and section offsets
    #: (kernels.py), made by `packed` the first time the engine asks
    packed: Any = None
    credit: tuple[str | None] | None = None  # (the wire credit of the body,), when computed ahead
    keys: tuple[list[int], list[int]] | None = None  # stories.index_keys, when computed ahead
    #: (language.sure_language of the text,) when computed ahead in a worker process (then the
    #: engine neither identifies it nor keeps a sample of the text to identify it later)
    sure: tuple[str | None] | None = None


def featurize(article: Article, shingle_size: int = 3) -> ArticleFeatures:
    from .dates import to_timestamp

    body = article.text
    f = ArticleFeatures(timestamp=to_timestamp(article.published_at), language=article.language)
    top = words(article.title + "\n" + (article.standfirst or ""))
    lead_body = words("\n".join(article.body[:2]))
    rest = words("\n".join(article.body[2:]))
    f.lead.update(_ids(top + lead_body))
    f.terms.update(f.lead)
    f.terms.update(_ids(rest))
    f.entities.update(term_id(e) for e in entity_candidates(article.title + ".\n" + body))
    f.title_entities = [term_id(e) for e in with_surnames(entity_candidates(article.title))]
    f.nums = {n for n in numbers(body) if len(n) > 1}
    head = article.title + "\n" + (article.standfirst or "") + "\n" + "\n".join(article.body[:2])
    f.lead_nums = {n for n in numbers(head) if len(n) > 1 and not _YEAR.fullmatch(n)}
    f.shingles = _shingles_of(lead_body + rest, shingle_size) if shingle_size else []  # 0: no shingles
    f.year = (article.published_at or "")[:4] or event_year(article)
    return f


def prepared(article: Article) -> ArticleFeatures:
    """Features and MinHash signature of one article, without the shingles: all the per-article
    work the story engine needs, a pure function of the article (so it can run in another process).
    A worker process also adds the language the engine asks for when it looks across languages
    (prepared_chunk: the engine does for some articles only, worth computing for all elsewhere)."""
    from .dedup import signature, wire_credit

    f = featurize(article)
    f.signature = signature(f.shingles)
    f.credit = (wire_credit(article.body),)
    f.shingles = []
    f.keys = index_keys(f)
    # the bags now live packed (f.packed, computed by index_keys): the dicts are dropped, so the
    # features cross from the worker process in a third of the bytes and unpickle in a third of the time
    f.terms, f.lead, f.entities = Counter(), Counter(), Counter()
    return f


def packed(f: ArticleFeatures) -> tuple[Any, Any, Any, Any]:
    """The article's bags (terms, title+lead, entities) as the kernels take them: ids sorted within
    each section, their counts, their ranks (the order of first appearance in the article) and the
    section offsets; computed once and kept on the features."""
    if f.packed is None:
        import numpy as np

        bags = (f.terms, f.lead, f.entities)
        sizes = [len(b) for b in bags]
        total = sum(sizes)
        # term ids are crc32 values: 4 bytes each
        ids = np.fromiter(itertools.chain(*bags), dtype=np.uint32, count=total)
        counts = np.fromiter(itertools.chain(*(b.values() for b in bags)), dtype=np.float64, count=total)
        ranks = np.empty(total, dtype=np.int32)
        off = np.zeros(4, dtype=np.int64)
        off[1:] = np.cumsum(sizes)
        for k in range(3):  # within each section: ids sorted, rank = position in the bag
            lo, hi = off[k], off[k + 1]
            order = np.argsort(ids[lo:hi])
            ids[lo:hi], counts[lo:hi], ranks[lo:hi] = ids[lo:hi][order], counts[lo:hi][order], order
        f.packed = (ids, counts, ranks, off)
    return f.packed


#: the heaviest terms of an article it is posted under in the story engine's index (index_keys)
TOP_INDEX_TERMS = 20

_PRIOR: dict[int, tuple[dict[int, int], tuple[np.ndarray, np.ndarray, float]]] = {}  # id(df) -> (df, table)
_NO_PRIOR: dict[int, int] = {}


def _prior_table(df: dict[int, int], n: int) -> tuple[np.ndarray, np.ndarray, float]:
    """A prior's document frequencies as a kernels.frequency_table, built once per prior."""
    import numpy as np

    from .kernels import frequency_table

    df = df or _NO_PRIOR
    got = _PRIOR.get(id(df))
    if got is None or got[0] is not df:
        ids = np.fromiter(df.keys(), dtype=np.int64, count=len(df))
        counts = np.fromiter(df.values(), dtype=np.int64, count=len(df))
        got = _PRIOR[id(df)] = (df, (*frequency_table(ids, counts), float(n)))
    return got[1]


def index_keys(f: ArticleFeatures, prior: tuple[dict[int, int], int] | None = None) -> tuple[list[int], list[int]]:
    """The keys an article is posted and looked up under: its TOP_INDEX_TERMS heaviest terms and 10
    heaviest entities, heaviest first (ties by first mention), weighed by sublinear TF times the prior's IDF
    (the shipped one by default), not the stream's: a function of the article alone, so a story
    rebuilt later is posted exactly where it was, and it can be computed ahead in a worker."""
    from .kernels import keyed_top

    df, n = prior if prior is not None else load_df_prior()
    table = _prior_table(df, n)
    ids, counts, ranks, off = packed(f)
    return (keyed_top(ids, counts, ranks, off[0], off[1], *table, TOP_INDEX_TERMS).tolist(),
            keyed_top(ids, counts, ranks, off[2], off[3], *table, 10).tolist())


@lru_cache(maxsize=1)
def load_df_prior() -> tuple[dict[int, int], int]:
    """Document frequencies shipped with the model (term ids only, no text), and their corpus size."""
    path = resources.files("storyline") / "models" / "df_prior.json"
    if not path.is_file():
        return {}, 0
    data = json.loads(path.read_text())
    return {int(k): v for k, v in data["df"].items()}, int(data["n"])


#: a sure language identified before (IngestReport.confident): (language.sample_digest of the text
#: it was identified on, the language or None)
Known = tuple[bytes, "str | None"]


def _with_known(f: ArticleFeatures, article: Article, known: Known | None) -> bool:
    """Give f the article's sure language from `known` when that was identified on the same text;
    whether it did."""
    if known is None or not article.language:
        return False
    from .language import sample_digest

    if sample_digest(article.full_text) != known[0]:
        return False
    f.sure = (known[1],)
    return True


def prepared_chunk(articles: list[Article], known: list[Known | None] | None = None) -> list[ArticleFeatures]:
    """What a worker process computes for a chunk of articles (local or Dask); `known`, per article,
    its sure language when identified already (then it is not identified again)."""
    out = []
    for a, k in zip(articles, known or itertools.repeat(None)):
        f = prepared(a)
        if not _with_known(f, a, k) and a.language:
            from .language import sure_language

            f.sure = (sure_language(a.full_text),)
        out.append(f)
    return out


def _prepared_known(job: tuple[list[Article], list[Known | None]]) -> list[ArticleFeatures]:
    return prepared_chunk(*job)


def prepare_ahead(articles: Iterable[Article], workers: int = 1, chunk: int = 256,
                  depth: int = 4, pool: Any = None, known: dict[str, Known] | None = None) -> Iterator[ArticleFeatures]:
    """`prepared(a)` for each article, in order. With workers > 1 the work runs in workers - 1
    other processes (those of `pool` when given), at most `depth` chunks ahead of the consumer (a
    bounded queue), so the caller's sequential work overlaps it; the results are the same whatever
    the number of workers. `known`: sure languages identified while the articles were read
    ({article id: Known}, IngestReport.confident), taken out of it as their articles come."""
    known = known if known is not None else {}
    if workers <= 1:
        for a in articles:
            f = prepared(a)
            _with_known(f, a, known.pop(a.id, None))
            yield f
        return
    jobs = ((c, [known.pop(a.id, None) for a in c]) for c in _chunks(articles, chunk))
    for done in map_ahead(_prepared_known, jobs, workers - 1, depth, pool):
        yield from done


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := [x for _, x in zip(range(size), it)]:
        yield batch


def _die_with_parent(parent: int) -> None:
    """A worker ends when the process that started it dies, even by SIGKILL: a forked worker holds
    copies of the parent's open files and sockets (a PostgreSQL connection in mid-transaction
    among them), and an orphan would keep them open, and the transaction's locks held, forever."""
    import signal

    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def process_context() -> Any:
    """How helper processes start: fork where there is one (they run functions of their input only,
    and a fork does not re-run the caller's main module as spawn would), else spawn."""
    import multiprocessing

    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def worker_pool(processes: int) -> Any:
    """A pool of `processes` worker processes that die with this one."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=processes, mp_context=process_context(),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def map_ahead(fn: Any, batches: Iterable[Any], processes: int, depth: int = 4, pool: Any = None) -> Iterator[Any]:
    """fn(batch) for each batch, in order, computed in `processes` other processes at most `depth`
    batches ahead of the consumer. `fn` must be a pure, picklable function. With `pool` (from
    worker_pool), its processes do the work and stay for the next call."""
    import contextlib
    from collections import deque

    it = iter(batches)
    with (contextlib.nullcontext(pool) if pool is not None else worker_pool(processes)) as workers:
        queue: deque[Any] = deque()

        def submit() -> bool:
            batch = next(it, None)
            if batch is not None:
                queue.append(workers.submit(fn, batch))
            return batch is not None

        while len(queue) < depth and submit():
            pass
        while queue:
            done = queue.popleft().result()
            submit()
            yield done


_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


def event_year(article: Article) -> str | None:
    """The year an undated article is about: the first year in its opening lines, else the most frequent."""
    head = " ".join([article.title] + article.body[:3])
    m = _YEAR.search(head)
    if m:
        return m.group(1)
    years = Counter(_YEAR.findall(article.text))
    return years.most_common(1)[0][0] if years else None


def shingles(text: str, k: int = 3) -> list[str]:
    return _shingles_of(words(text), k)


def _shingles_of(w: list[str], k: int) -> list[str]:
    if len(w) < k:
        return [" ".join(w)] if w else []
    return [" ".join(w[i:i + k]) for i in range(len(w) - k + 1)]


class DocumentFrequencies:
    """Incrementally updated document frequencies: IDF that follows the stream in snapshots.

    A prior (document frequencies fitted with the story model and shipped with it) keeps the
    IDF of the first articles of a stream from being noise.
    """

    def __init__(self, prior: dict[int, int] | None = None, prior_n: int = 0) -> None:
        self.df: Counter[int] = Counter(prior or {})
        self.n = prior_n
        self.epoch = 0
        self._snapshot()

    def _snapshot(self) -> None:
        # IDF is read from a snapshot taken at fixed corpus sizes (every 25% of growth), so every
        # weight is a pure function of the articles seen so far: a resumed run weighs exactly
        # as an uninterrupted one, whatever was cached when. The snapshot is kept as two sorted
        # arrays (what the kernels read), not as a second dict of the whole vocabulary.
        import numpy as np

        from .kernels import frequency_table, idf_table

        ids = np.fromiter(self.df.keys(), dtype=np.int64, count=len(self.df))
        dfs = np.fromiter(self.df.values(), dtype=np.int64, count=len(self.df))
        keys, vals = frequency_table(ids, dfs)
        # the IDF of every term computed once per snapshot, not at every weighing
        self._table = (keys, idf_table(vals, float(self.n)))
        self._next = int(self.n * 1.25) + 10
        self._idf: dict[int, float] = {}

    def add(self, terms: Counter[int] | list[int]) -> None:
        """One more document with these distinct terms (a bag's keys, or a list of distinct ids)."""
        self.n += 1
        self.df.update(terms.keys() if isinstance(terms, dict) else terms)
        if self.n >= self._next:
            self.epoch += 1
            self._snapshot()

    def arrays(self) -> tuple[Any, Any]:
        """The snapshot as the kernels read it: a hash table of term id -> IDF (keys, values;
        kernels.frequency_table turned by kernels.idf_table)."""
        return self._table

    def idf(self, term: int) -> float:
        v = self._idf.get(term)
        if v is None:
            import numpy as np

            from .kernels import idf_lookup

            keys, idfs = self.arrays()
            v = self._idf[term] = float(idf_lookup(np.array([term], dtype=np.int64), keys, idfs)[0])
        return v


def weighted(counts: Counter[int] | dict[int, float], dfs: DocumentFrequencies, sublinear: bool = True) -> dict[int, float]:
    cache, idf, log = dfs._idf, dfs.idf, math.log
    if sublinear:
        return {t: (1.0 + log(c)) * (cache.get(t) or idf(t)) for t, c in counts.items() if c > 0}
    return {t: c * (cache.get(t) or idf(t)) for t, c in counts.items() if c > 0}


Vec = tuple[dict[int, float], float]


def vector(counts: Counter[int] | dict[int, float], dfs: DocumentFrequencies) -> Vec:
    """TF-IDF weights with their norm, so cosines need only a dot product."""
    w = weighted(counts, dfs)
    return w, math.sqrt(sum(v * v for v in w.values()))


def cos(a: Vec, b: Vec) -> float:
    (wa, na), (wb, nb) = a, b
    if not na or not nb:
        return 0.0
    shared = wa.keys() & wb.keys()
    if not shared:
        return 0.0
    return sum([wa[t] * wb[t] for t in shared]) / (na * nb)

