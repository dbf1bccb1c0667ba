"""sources/<source>.yml: every file loads; a bad file fails with an error naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from dagster._utils.schedules import is_valid_cron_string

from common.paths import SOURCES_DIR
from common.sources import SourceConfigError, load_source_file

SOURCE_FILES = sorted(SOURCES_DIR.glob("*.yml"))


def test_there_are_sources():
    assert {p.stem for p in SOURCE_FILES} >= {"poles", "cce_committees", "cce_appointments", "company_register"}


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda p: p.stem)
def test_every_source_file_loads(path: Path):
    source = load_source_file(path)
    assert source.name == path.stem
    assert is_valid_cron_string(source.schedule), "Dagster must accept the schedule"
    assert source.assertions.min_items > 0
    assert source.assertions.max_items is None or source.assertions.max_items >= source.assertions.min_items
    assert source.snapshot_path.is_dir()
    assert 1 <= source.politeness.concurrency_per_domain <= 16


def _bad_file(tmp_path: Path, change, name: str = "poles") -> Path:
    raw = yaml.safe_load((SOURCES_DIR / "poles.yml").read_text(encoding="utf-8"))
    change(raw)
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(SourceConfigError) as info:
        load_source_file(path)
    message = str(info.value)
    assert str(path) in message  # every error names the file
    return message


@pytest.mark.parametrize(
    "cron, field",
    [
        ("0 4 * * 1 2026", "5-field"),
        ("every monday", "5-field"),
        ("99 4 * * 1", "minute"),
        ("0 24 * * 1", "hour"),
        ("0 4 32 * *", "day-of-month"),
        ("0 4 * 13 *", "month"),
        ("0 4 * * funday", "day-of-week"),
        ("*/0 4 * * 1", "minute"),
    ],
)
def test_bad_cron(tmp_path, cron, field):
    message = _error(_bad_file(tmp_path, lambda raw: raw.update(schedule=cron)))
    assert "schedule" in message and field in message and repr(cron) in message


def test_good_cron_variants_are_accepted(tmp_path):
    for cron in ("*/30 2-5 * * mon-fri", "0 6 1,15 jan,jul *", "0 0 * * 7"):
        assert load_source_file(_bad_file(tmp_path, lambda raw: raw.update(schedule=cron))).schedule == cron
        assert is_valid_cron_string(cron)


def test_unknown_key(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: raw["politeness"].update(download_dealy=2.0)))
    assert "politeness.download_dealy" in message and "Extra inputs are not permitted" in message


def test_unknown_top_level_key(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: raw.update(cron="0 4 * * 1")))
    assert "  - cron:" in message


def test_fill_rate_out_of_range(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: raw["assertions"]["fill_rates"].update(website=1.5)))
    assert "assertions.fill_rates" in message and "'website'" in message and "[0, 1]" in message and "1.5" in message


def test_politeness_out_of_range(tmp_path):
    message = _error(
        _bad_file(tmp_path, lambda raw: raw["politeness"].update(concurrency_per_domain=64, download_delay=-1))
    )
    assert "politeness.concurrency_per_domain" in message and "less than or equal to 16" in message
    assert "politeness.download_delay" in message  # every error is listed, not just the first


def test_name_mismatch(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: None, name="pole"))
    assert "name 'poles' must match the file name 'pole'" in message


def test_missing_required_field(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: raw.pop("assertions")))
    assert "  - assertions: Field required" in message


def test_bad_url(tmp_path):
    message = _error(_bad_file(tmp_path, lambda raw: raw.update(start_urls=["not a url"])))
    assert "start_urls.0" in message


def test_not_yaml(tmp_path):
    path = tmp_path / "poles.yml"
    path.write_text("name: poles\n  title: [unclosed\n", encoding="utf-8")
    assert "not valid YAML" in _error(path)
