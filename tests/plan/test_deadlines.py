import datetime as dt

from xinchuang.catalog.loader import load_catalog
from xinchuang.plan.deadlines import shifted, system_deadline

POLICY = load_catalog([]).policies["default"]


def test_state_owned_finance_is_held_to_2027():
    applied = system_deadline(
        POLICY, tier="8", sector="finance", state_owned=True, layers={"database-centralized"}
    )
    assert applied.date == dt.date(2027, 12, 31)
    assert "state-owned-finance-2027" in applied.ids


def test_procurement_deadlines_do_not_bind_a_migration_by_default():
    applied = system_deadline(
        POLICY, tier="2", sector="government", state_owned=False, layers={"os"}
    )
    assert applied.date == dt.date(2027, 12, 31)
    with_procurement = system_deadline(
        POLICY,
        tier="2",
        sector="government",
        state_owned=False,
        layers={"os"},
        kinds=("procurement", "replacement"),
    )
    assert with_procurement.date == dt.date(2023, 12, 26)


def test_tier_n_private_is_advisory_2030_and_shifts_keep_the_month_end():
    applied = system_deadline(POLICY, tier="N", sector=None, state_owned=False, layers=set())
    assert applied.date == dt.date(2030, 12, 31)
    assert shifted(dt.date(2027, 12, 31), 6) == dt.date(2028, 6, 30)
    assert shifted(dt.date(2027, 1, 15), -2) == dt.date(2026, 11, 15)
