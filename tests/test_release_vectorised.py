"""The release writer's Arrow paths give what the cell-by-cell code gave: CSV bytes and change lists."""

import datetime as dt
import random

import pyarrow as pa

from pipelines.publish.files import csv_text
from pipelines.publish.history import HISTORY_COLUMNS, TABLES, table_changes
from tests.helpers import reference_csv

_ALPHABET = ["a", "é", ",", '"', "\n", "\r", "\t", ";", " ", "𝄞", ""]


def _text(rng):
    return None if rng.random() < 0.2 else "".join(rng.choice(_ALPHABET) for _ in range(rng.randrange(5)))


def test_csv_text_matches_the_cell_by_cell_writer():
    rng = random.Random(7)
    n = 2000
    table = pa.table(
        {
            "s": pa.array([_text(rng) for _ in range(n)]),
            "i": pa.array([rng.choice([None, 0, -5, 2**62]) for _ in range(n)], pa.int64()),
            "f": pa.array([rng.choice([None, 0.1, 1.0, -0.0, 1e20, float("nan")]) for _ in range(n)], pa.float64()),
            "b": pa.array([rng.choice([None, True, False]) for _ in range(n)]),
            "d": pa.array(
                [rng.choice([None, dt.date(2026, 1, 2), dt.date(9999, 12, 31)]) for _ in range(n)], pa.date32()
            ),
            "l": pa.array(
                [None if rng.random() < 0.2 else [_text(rng) for _ in range(rng.randrange(4))] for _ in range(n)],
                pa.list_(pa.string()),
            ),
        }
    )
    for t in (
        table,
        table.slice(7, 100),
        table.slice(0, 0),
        pa.concat_tables([table.slice(0, 10), table.slice(50, 10)]),
        table.select(["s"]),
        table.select(["l"]),
    ):
        assert csv_text(t) == reference_csv(t)


def _reference_changes(name, current, previous):
    """The row-by-row comparison table_changes replaced."""
    spec = TABLES[name]
    key = list(spec.primary_key)
    compared = [c.name for c in spec.columns if c.name not in HISTORY_COLUMNS]

    def by_key(t):
        rows = t.to_pylist() if t is not None else []
        return {tuple(r[k] for k in key): r for r in rows}

    now, before = by_key(current), by_key(previous)
    out = []
    for k in sorted(set(now) | set(before), key=lambda k: tuple("" if v is None else str(v) for v in k)):
        if k not in before:
            change, changed = "added", []
        elif k not in now:
            change, changed = "removed", []
        else:
            changed = [c for c in compared if now[k].get(c) != before[k].get(c)]
            if not changed:
                continue
            change = "modified"
        values = ["" if v is None else str(v) for v in k]
        out.append(
            {"table": name, "key": "|".join(values), "key_values": values, "change": change, "changed_columns": changed}
        )
    order = {"added": 0, "modified": 1, "removed": 2}
    return sorted(out, key=lambda r: (order[r["change"]], r["key"]))


def test_table_changes_match_the_row_by_row_comparison():
    rng = random.Random(3)
    schema = pa.schema(
        [f for f in TABLES["cluster_advisor_candidates"].arrow_schema() if f.name not in HISTORY_COLUMNS]
    )

    def rows(n):
        return [
            {
                "cluster_id": f"c{rng.randrange(20)}",
                "advisor_id": f"a{i}",
                "rank": rng.randrange(3),
                "score": rng.choice([0.5, 0.25, float("nan")]),
                "territory_match": rng.choice(["x", None]),
                "sector_match": rng.choice([True, False, None]),
                "reasons": rng.choice([None, [], ["r"], ["r", None], ["s", "r"]]),
                "source_url": "u",
            }
            for i in range(n)
        ]

    before = pa.Table.from_pylist(rows(300), schema=schema)
    after = pa.Table.from_pylist(rows(300)[50:] + rows(40), schema=schema)
    for current, previous in ((after, before), (before, before), (after, None), (None, before)):
        assert table_changes("cluster_advisor_candidates", current, previous) == _reference_changes(
            "cluster_advisor_candidates", current, previous
        )
