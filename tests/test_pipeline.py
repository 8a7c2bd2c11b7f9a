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
        f.write(json.dumps({"title": "Short", "text": "Too short."}) + "\n")
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
