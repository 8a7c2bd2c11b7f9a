"""The ingest loop: the same articles whatever the number of processes."""
from __future__ import annotations

import json

from storyline.pipeline import ingest
from storyline.store import open_store

_TEXTS = {
    "en": "The harbour council of Port Selby voted on Tuesday to rebuild the old ferry pier before the summer "
          "season, after two years of delays and a long dispute over the cost of the work.",
    "fr": "Le conseil du port de Selby a voté mardi la reconstruction de l'ancienne jetée avant la saison d'été, "
          "après deux années de retard et une longue dispute sur le coût des travaux.",
    "de": "Der Hafenrat von Port Selby hat am Dienstag beschlossen, den alten Fähranleger vor der Sommersaison "
          "neu zu bauen, nach zwei Jahren Verzögerung und einem langen Streit über die Kosten.",
    "es": "El consejo del puerto de Selby votó el martes reconstruir el viejo muelle antes de la temporada de "
          "verano, tras dos años de retrasos y una larga disputa sobre el coste de las obras.",
}


def test_languages_identified_in_another_process_equal_the_readers_own(tmp_path):
    src = tmp_path / "mixed.jsonl"
    with open(src, "w") as f:
        for i in range(700):  # several chunks, so results come back out of a queue in order
            lang = list(_TEXTS)[i % 4]
            row = {"title": f"Report {i}", "text": _TEXTS[lang] + f" Item {i}.", "url": f"https://x.example/{i}"}
            if i % 50 == 7:
                row["language"] = "it"  # given by the feed: kept, not identified
            f.write(json.dumps(row) + "\n")
            if i % 97 == 3:
                f.write("{not json\n")
        f.write(json.dumps({"title": "Short", "text": "Results: 3-1, 2-0, 1-1, 0-2, 4-4, 2-2, 1-0, 0-0, 3-3."}) + "\n")
    got = []
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"w{workers}.db"))
        report = ingest([str(src)], store, workers=workers)
        rows = store.conn.execute("SELECT id, language FROM articles ORDER BY seq").fetchall()
        got.append(([tuple(r) for r in rows], report.failed, report.new))
    assert got[0] == got[1]
    langs = [lang for _, lang in got[0][0]]
    assert {"en", "fr", "de", "es", "it"} <= set(langs) and None in langs
    assert len(got[0][1]) == 8 and got[0][2] == 701


def test_bad_inputs_give_the_same_articles_and_errors_with_a_helper_process(tmp_path):
    """--workers 2 identifies languages in a helper process: the same articles, errors, order and
    input count as one process, bad inputs (junk lines, empty and binary files, an empty glob) included."""
    big = tmp_path / "a.jsonl"
    with open(big, "wb") as f:
        for i in range(400):
            lang = list(_TEXTS)[i % 4]
            f.write(json.dumps({"title": f"Story {i}", "text": _TEXTS[lang] + f" Note {i}.",
                                "url": f"https://y.example/{i}"}).encode() + b"\n")
            if i % 61 == 5:
                f.write(b'{"title": "cut off' if i % 2 else b'{"title": "bad \xff\xfe bytes"}\n')
    (tmp_path / "b.html").write_text("<html><head><title>Ferry pier vote</title></head><body><article><p>"
                                     + _TEXTS["en"] + "</p><p>" + _TEXTS["en"] + "</p></article></body></html>")
    (tmp_path / "c.jsonl").write_bytes(b"")
    (tmp_path / "d.bin").write_bytes(bytes(range(256)) * 40)
    inputs = [str(big), str(tmp_path / "b.html"), str(tmp_path / "c.jsonl"), str(tmp_path / "d.bin"),
              str(tmp_path / "missing-*.jsonl")]
    got = []
    for workers in (1, 2):
        store = open_store(str(tmp_path / f"r{workers}.db"))
        seen: list[tuple[str, int]] = []
        report = ingest(inputs, store, workers=workers, on_input=lambda path, n, seen=seen: seen.append((path, n)))
        rows = store.conn.execute("SELECT id, language, origin, title FROM articles ORDER BY seq").fetchall()
        got.append(([tuple(r) for r in rows], report.failed, report.new, report.inputs, seen))
    assert got[0] == got[1]
    rows, failed, new, inputs_count, _ = got[0]
    assert new == 397 and rows[-1][3] == "Ferry pier vote"  # a cut-off line takes the next one with it
    assert len(failed) >= 7 and inputs_count == 4  # junk lines, the empty and binary files, the empty glob


def test_sure_languages_identified_while_reading_are_those_of_the_stored_new_articles(tmp_path):
    """With `confident`, each stored batch hands on its new articles' sure languages, identified
    in the reading of their text that gave their language: the same as identifying the stored
    article, and nothing for an article already in the store."""
    from storyline.language import sample_digest, sure_language

    src = tmp_path / "mixed.jsonl"
    with open(src, "w") as f:
        for i in range(300):
            lang = list(_TEXTS)[i % 4]
            row = {"title": f"Report {i}", "text": _TEXTS[lang] + f" Item {i}.", "url": f"https://x.example/{i}"}
            if i % 50 == 7:
                row["language"] = "it"  # given by the feed: not identified, but its sure language is
            f.write(json.dumps(row) + "\n")
        f.write(json.dumps({"title": "Short", "text": "Results: 3-1, 2-0, 1-1, 0-2, 4-4, 2-2, 1-0, 0-0, 3-3."}) + "\n")
    store = open_store(str(tmp_path / "s.db"))
    handed: dict = {}
    report = ingest([str(src)], store, workers=2, confident=True, batch_size=40,
                    on_batch=lambda r: handed.update(r.confident))
    assert report.new == 301 and len(handed) == 301
    for a in store.list_articles(limit=None):
        assert handed[a.id] == (sample_digest(a.full_text), sure_language(a.full_text))
    assert {v[1] for v in handed.values()} >= {"en", "fr", "de", "es", None}
    again: dict = {}
    ingest([str(src)], store, workers=2, confident=True, on_batch=lambda r: again.update(r.confident))
    assert again == {}  # nothing new: nothing to hand on


def test_a_known_sure_language_is_taken_only_for_the_text_it_was_identified_on():
    from storyline.features import prepare_ahead, prepared
    from storyline.language import sample_digest, sure_language
    from storyline.model import Article

    arts = [Article(title=f"Pier vote {i}", body=[_TEXTS["en"], f"Item {i}."], language="en") for i in range(6)]
    # a (deliberately wrong) answer given for the same text is taken as it is: it was not identified again
    known = {arts[0].id: (sample_digest(arts[0].full_text), "xx"),
             arts[1].id: (sample_digest("another text"), "xx")}  # given for another text: identified
    for workers in (1, 2):
        got = list(prepare_ahead(arts, workers, chunk=2, known=dict(known)))
        assert got[0].sure == ("xx",)
        if workers > 1:  # the worker identifies every other article it featurises
            assert [f.sure for f in got[1:]] == [(sure_language(arts[1].full_text),)] * 5 == [("en",)] * 5
        else:  # in one process, the engine identifies an article when it needs to
            assert [f.sure for f in got[1:]] == [None] * 5
        assert [f.keys for f in got] == [prepared(a).keys for a in arts]


def test_a_lone_surrogate_does_not_stop_the_ingest_or_the_stories(tmp_path):
    """A JSON escape of a lone surrogate once crashed the store at its line: the articles before it
    were stored but never assigned, and every re-run crashed at the same place."""
    from click.testing import CliRunner

    from storyline.cli import main

    src = tmp_path / "news.jsonl"
    rows = [{"title": f"Report {i}", "text": _TEXTS["en"] + f" Item {i}.", "url": f"https://x.example/{i}"}
            for i in range(400)]
    with open(src, "w") as f:
        for i, row in enumerate(rows):
            line = json.dumps(row)
            if i == 240:
                line = line.replace(f"Report {i}", f"Report {i} \\ud800")  # JSON's escape, not a character
            if i == 300:
                line = line.replace('"url": "https://x.example/300"', '"title2": "\\udfff"')  # no URL
            f.write(line + "\n")
    db = str(tmp_path / "s.db")
    args = ["ingest", str(src), "--db", db, "--cluster-every", "100", "--workers", "1"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output + str(first.exception)
    store = open_store(db)
    assert store.count_articles() == 400
    assert len(store.stories_of([a.id for a in store.list_articles(limit=None)])) == 400  # every one assigned
    assert store.list_articles(search="Report 240")[0].title == "Report 240 \ufffd"
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "0 new" in again.output and "0 updated" in again.output
