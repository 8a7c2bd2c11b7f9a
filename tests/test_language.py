"""Language identification (py3langid) and the languages of a story."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storyline.language import detect_language
from storyline.model import Article

# one invented event (a ferry terminal vote in Port Selby), written for these tests in four languages
FERRY = {
    "en": "The council of Port Selby voted on Tuesday to build a new ferry terminal on the north quay, "
          "ending a debate that lasted four years, council leader Rosa Brandt said.",
    "de": "Der Stadtrat von Port Selby hat am Dienstag beschlossen, am Nordkai ein neues Fährterminal zu "
          "bauen, und damit eine vierjährige Debatte beendet, sagte die Ratsvorsitzende Rosa Brandt.",
    "es": "El consejo de Port Selby votó el martes a favor de construir una nueva terminal de transbordadores "
          "en el muelle norte, poniendo fin a un debate de cuatro años, dijo la presidenta Rosa Brandt.",
    "fr": "Le conseil de Port Selby a voté mardi la construction d'un nouveau terminal de ferry sur le quai "
          "nord, mettant fin à un débat de quatre ans, a déclaré la présidente Rosa Brandt.",
}


@pytest.mark.parametrize("lang", sorted(FERRY))
def test_detects_the_language(lang):
    assert detect_language(FERRY[lang]) == lang


def test_too_short_to_tell():
    assert detect_language("Port Selby") is None and detect_language("") is None


def test_a_story_lists_its_languages(tmp_path):
    from storyline.api import story_data
    from storyline.pipeline import ingest_items
    from storyline.store import open_store
    from storyline.stories import cluster_store

    store = open_store(str(tmp_path / "s.db"))
    arts = [Article(title="Port Selby backs ferry terminal", body=[FERRY["en"]], source="Selby Echo",
                    url="https://echo.example/ferry", published_at="2025-02-11T10:00:00Z"),
            Article(title="Selby approves ferry terminal", body=[FERRY["en"].replace("voted", "decided")],
                    source="Harbour News", url="https://harbour.example/ferry", published_at="2025-02-11T11:00:00Z")]
    for a in arts:
        a.language = detect_language(a.full_text)
        a.id = a.compute_id()
    ingest_items(arts, store)
    cluster_store(store)
    sid = store.story_of(arts[0].id)
    assert story_data(store, sid)["languages"] == {"en": 2}


def test_compiled_identifier_answers_as_the_library_to_the_bit():
    """language._identifier compiles py3langid's DFA walk and its float16 rows: every answer (label
    and probability) must be the library's own, on every language and on junk."""
    import random

    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from storyline.kernels_langid import coded_rows
    from storyline.language import CONFIDENCE_SAMPLE, SAMPLE, _identifier, languages_of, sure_language

    ref = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ours = _identifier()
    assert type(ours) is not LanguageIdentifier  # the compiled one is in use with this py3langid
    rng = random.Random(3)
    words = " ".join(FERRY.values()).split() + ["ÿþ", "\x00", "12345", "日本語", "Ελληνικά", "русский"]
    texts = list(FERRY.values()) + ["", "x", "UPPER CASE HEADLINE ABOUT THE FERRY"]
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(1, 400))) for _ in range(300)]
    # cut where normalising changes the head: upper case up to the cut only, a combining accent after it
    texts += ["FERRY " * 100 + "terminal vote " * 50, "e" * 599 + "\u0301" + " quai" * 300]
    for t in texts:
        for n in (SAMPLE, CONFIDENCE_SAMPLE):
            assert ours.classify(t[:n]) == ref.classify(t[:n])
        # one walk for both heads: the same answers
        assert ours.classify_both(t[:SAMPLE], t[:CONFIDENCE_SAMPLE]) == (ref.classify(t[:SAMPLE]),
                                                                        ref.classify(t[:CONFIDENCE_SAMPLE]))
        assert languages_of(t) == (detect_language(t), sure_language(t))
    # the model's rows, as the compiled path converts them, are numpy's conversion bit for bit
    picked = np.array(sorted(rng.sample(range(len(ref.nb_ptc)), 2000)), dtype=np.int64)
    got = coded_rows(ours.nb_ptc.view(np.uint16), picked, ours._halves)
    assert np.array_equal(got.view(np.uint32), ref.nb_ptc[picked].astype(np.float32).view(np.uint32))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab é1_-. \n\tЖ日")), max_size=60))
def test_word_count_stops_early_with_the_same_answer(text):
    """Too short to tell: fewer than MIN_WORDS words, counted up to the MIN_WORDS-th only."""
    from storyline.language import _WORD, MIN_WORDS, _too_short

    assert _too_short(text) == (len(_WORD.findall(text)) < MIN_WORDS)
