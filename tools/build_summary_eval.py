"""A small labelled summarisation set from the demo corpus: each cluster is one demo story's
articles, with two reference summaries written by hand for storyline (not from any other source).
Output: benchmarks/data/demo_summaries.jsonl (fields: documents [{title, text}], references)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from build_demo import expand  # noqa: E402
from demo_stories import ARTICLES  # noqa: E402

REFERENCES = {
    "bridge": [
        "A section of the Tessaly Bridge in Carrow collapsed into the Varn River during the Tuesday morning rush hour, sending cars and a bus into the water. The emergency office first reported 12 dead and 31 injured; later reports put the toll at 15. Engineers had found corrosion in the steel supports a year earlier. Transport Minister Oskar Lindqvist ordered an inquiry and closed two bridges of the same design.",
        "At least 12 people died, and possibly 15, when part of Carrow's Tessaly Bridge fell into the Varn River on Tuesday. Rescuers searched the river for the missing. An inspection last year had flagged corroded supports but repairs were postponed. The transport minister has opened an inquiry.",
    ],
    "phone": [
        "Quillon unveiled the Arc, its first foldable phone, in Lumen City on Wednesday. The phone opens into an 8-inch screen and its hinge is rated for 300,000 folds. Reports differ on the price and date: $999 from April 18, or $1,099 from April 25. Chief executive Priya Anand called it the most ambitious device the company has built.",
        "The Quillon Arc, an 8-inch foldable phone, was launched on Wednesday. Quillon says the hinge survives 300,000 folds. Most reports give a price of $999 and an April 18 release. Analysts say the phone must sell well to revive Quillon's falling phone sales.",
    ],
    "storm": [
        "Storm Hestia hit Marlow Bay overnight, bringing down power lines and flooding coastal roads. Estel Power said about 40,000 homes lost electricity, though one outlet reported 60,000. Gusts of up to 130 km/h were recorded at the Marlow lighthouse. Schools closed and ferries to the Serin Islands were cancelled while crews worked to restore power.",
        "Tens of thousands of homes around Marlow Bay were left without power after Storm Hestia, with strong gusts at the Marlow lighthouse. Coastal roads flooded, schools shut and ferries were cancelled. Estel Power crews are working through the weekend.",
    ],
    "rates": [
        "The National Bank of Estovia raised its main interest rate to 4.5% on Thursday, its third rise this year. Most reports describe a quarter-point increase; one says half a point. Governor Ilse Varga said inflation, at about 6.1% in February, was too high and the bank would do what is necessary to control prices. Borrowers face higher mortgage costs.",
        "Estovia's central bank lifted its key rate to 4.5% on Thursday to fight inflation of about 6% . Governor Ilse Varga promised to do what is necessary to bring prices under control. The crown rose after the decision, and mortgage payments are set to increase.",
    ],
    "final": [
        "Port Alder FC beat Redmarsh United 2-1 in the Continental Cup final at Selwyn Arena on Saturday, the club's first major trophy in 24 years. Jonas Ekdahl put Redmarsh ahead before half-time. The 87th-minute winner is credited to Tomas Reyes in most reports and to Andre Kallio in one.",
        "Port Alder won the Continental Cup, coming from behind to beat Redmarsh United 2-1 in Selwyn with a late goal in the 87th minute. It ends a 24-year wait for a major trophy. Redmarsh's manager said his team had missed their chances.",
    ],
    "wildfire": [
        "A wildfire near Dunmore forced about 3,000 residents from their homes after it broke out on Monday and spread east on strong winds. It has burned 2,400 hectares. More than 400 firefighters and six aircraft are fighting it, and regional governor Hanna Solberg declared a state of emergency. Reports differ on whether it started near Dunmore or near Kessling.",
        "About 3,000 people were evacuated as a forest fire spread near Dunmore. Hundreds of firefighters and water-bombing aircraft were deployed and a state of emergency was declared in the district. The fire commander said the next 24 hours would be decisive.",
    ],
}


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "demo_summaries.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for story, refs in REFERENCES.items():
            docs = [expand(a) for a in ARTICLES if a["story"] == story]
            f.write(json.dumps({"story": story, "documents": [{"title": d["title"], "text": "\n".join(d["body"])} for d in docs],
                                "references": refs}, ensure_ascii=False) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
