"""Write officials.json: a small, hand-written sample in the format of Wikidata's JSON dumps.

The demo imports it (`copydesk kb import-wikidata examples/knowledge/officials.json`) so that the
knowledge-base checks run without a 100 GB dump. The ids are made up (Q9000xx), the terms are
public record. Rerun after editing: python examples/knowledge/make_sample.py
"""

import json
from pathlib import Path

OFFICES = {
    "Q900001": ("United States Secretary of State", ["Secretary of State", "US Secretary of State"]),
    "Q900002": ("President of the United States", ["US President", "President"]),
    "Q900003": ("United States senator", ["Senator", "US Senator", "U.S. Senator"]),
    "Q900004": ("President of Mexico", ["Mexican President"]),
    "Q900005": ("President of Ecuador", ["Ecuadorian President"]),
}
PEOPLE = [
    (
        "Q900101",
        "Mike Pompeo",
        ["Michael Richard Pompeo"],
        "American politician",
        [("Q900001", "2018-04-26", "2021-01-20")],
    ),
    (
        "Q900102",
        "Antony Blinken",
        ["Antony John Blinken", "Tony Blinken"],
        "American diplomat",
        [("Q900001", "2021-01-26", "2025-01-20")],
    ),
    (
        "Q900103",
        "Marco Rubio",
        ["Marco Antonio Rubio"],
        "American politician",
        [("Q900003", "2011-01-03", "2025-01-20"), ("Q900001", "2025-01-21", None)],
    ),
    ("Q900104", "Rex Tillerson", [], "American businessman", [("Q900001", "2017-02-01", "2018-03-31")]),
    (
        "Q900105",
        "Joe Biden",
        ["Joseph Robinette Biden Jr."],
        "American politician",
        [("Q900002", "2021-01-20", "2025-01-20")],
    ),
    (
        "Q900106",
        "Donald Trump",
        ["Donald John Trump"],
        "American politician",
        [("Q900002", "2017-01-20", "2021-01-20"), ("Q900002", "2025-01-20", None)],
    ),
    (
        "Q900107",
        "Andrés Manuel López Obrador",
        ["AMLO"],
        "Mexican politician",
        [("Q900004", "2018-12-01", "2024-09-30")],
    ),
    (
        "Q900108",
        "Claudia Sheinbaum",
        ["Claudia Sheinbaum Pardo"],
        "Mexican politician",
        [("Q900004", "2024-10-01", None)],
    ),
    ("Q900109", "Guillermo Lasso", [], "Ecuadorian politician", [("Q900005", "2021-05-24", "2023-11-23")]),
    (
        "Q900110",
        "Daniel Noboa",
        ["Daniel Noboa Azín"],
        "Ecuadorian politician",
        [("Q900005", "2023-11-23", None)],
    ),
]


def text(value: str) -> dict:
    return {"language": "en", "value": value}


def item(qid: str) -> dict:
    return {"entity-type": "item", "numeric-id": int(qid[1:]), "id": qid}


def time(day: str) -> dict:
    return {
        "datavalue": {
            "value": {
                "time": f"+{day}T00:00:00Z",
                "precision": 11,
                "calendarmodel": "http://www.wikidata.org/entity/Q1985727",
            },
            "type": "time",
        },
        "snaktype": "value",
    }


def position(office: str, start: str, end: str | None) -> dict:
    qualifiers = {"P580": [{"property": "P580", **time(start)}]}
    if end:
        qualifiers["P582"] = [{"property": "P582", **time(end)}]
    return {
        "mainsnak": {
            "snaktype": "value",
            "property": "P39",
            "datavalue": {"value": item(office), "type": "wikibase-entityid"},
        },
        "type": "statement",
        "rank": "normal",
        "qualifiers": qualifiers,
    }


def main() -> None:
    entities = []
    for qid, (label, aliases) in OFFICES.items():
        entities.append(
            {
                "type": "item",
                "id": qid,
                "labels": {"en": text(label)},
                "aliases": {"en": [text(a) for a in aliases]},
                "claims": {},
            }
        )
    for qid, label, aliases, description, terms in PEOPLE:
        claims = {
            "P31": [
                {
                    "mainsnak": {
                        "snaktype": "value",
                        "property": "P31",
                        "datavalue": {"value": item("Q5"), "type": "wikibase-entityid"},
                    },
                    "type": "statement",
                    "rank": "normal",
                }
            ],
            "P39": [position(*term) for term in terms],
        }
        entities.append(
            {
                "type": "item",
                "id": qid,
                "labels": {"en": text(label)},
                "descriptions": {"en": text(description)},
                "aliases": {"en": [text(a) for a in aliases]},
                "claims": claims,
            }
        )
    lines = ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities)
    Path(__file__).with_name("officials.json").write_text(f"[\n{lines}\n]\n", encoding="utf-8")


if __name__ == "__main__":
    main()
