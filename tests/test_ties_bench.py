"""bench/ties.py at a tiny size: it runs, and the matcher looks at a small share of the pairs."""

from bench.ties import child, inputs


def test_inputs_are_deterministic():
    a, b = inputs(50)[0], inputs(50)[0]
    assert a["person_name"].tolist() == b["person_name"].tolist()


def test_tiny_run_blocks_by_family_name():
    r = child(300)
    assert r["seats"] == r["advisors"] == 300
    assert r["comparisons"] < r["pairwise"] / 100
    assert r["confirmed_precision"] is None or r["confirmed_precision"] >= 0.9
