from pathlib import Path

import pytest

from xinchuang.errors import DataError
from xinchuang.plan.instance import Strategy
from xinchuang.plan.settings import read_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "plan.example.yaml"


def test_the_documented_example_is_valid():
    settings = read_settings(EXAMPLE)
    assert settings.strategy is Strategy.PILOT_THEN_BULK
    assert settings.start == "2026-07"
    assert settings.teams[0].capacity_by_period == {"2027-Q1": 150}
    assert settings.budget.yearly[2027] == 9000000


def test_a_bad_value_is_one_line_with_file_line_and_field(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text("horizon: 12\nteams:\n  - id: ops\n    capacity: lots\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_settings(path)
    [issue] = caught.value.issues
    assert issue.code == "PLN002"
    assert issue.line == 4
    assert issue.field == "teams.0.capacity"
    assert str(caught.value).startswith(f"{path}:4: PLN002 teams.0.capacity:")


def test_an_unknown_setting_is_named(tmp_path: Path):
    path = tmp_path / "plan.yaml"
    path.write_text("horizn: 12\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_settings(path)
    assert caught.value.issues[0].field == "horizn"


def test_flags_override_the_file():
    settings = read_settings(EXAMPLE).override(horizon=4, capacity=None)
    assert settings.horizon == 4
    assert settings.capacity == 300
