"""The period review finds the demo's planted period effect (docs/demo-data.md, planted.json ``period_effect``).

The demo pushes one room's traffic in one week (1.7× the viewers, 0.8× the purchase probability): its GMV
bridge against the week before must give GMV up, a positive traffic effect and a negative conversion effect.
"""
from __future__ import annotations

import pytest


def test_bridge_finds_growth_from_traffic_while_conversion_fell(demo_ds, planted):
    from liveops_nb.period import bridge
    from liveops_nb.period.frames import Scope
    from liveops_nb.period.periods import resolve

    effect = planted["phenomena"]["period_effect"]
    period = resolve(demo_ds, effect["current"], effect["granularity"])
    data = bridge.build(demo_ds, Scope(period, rooms=(effect["room_id"],)))
    assert (data.before, data.after) == (effect["previous"], effect["current"])
    row = data.table.set_index("scope").loc[effect["room_id"]]
    assert row["change"] > 0                                        # GMV up …
    assert row["traffic"] > 0 and row["conversion"] < 0             # … from traffic, while conversion fell
    assert row["traffic"] > abs(row["conversion"])
    assert row["traffic"] + row["conversion"] + row["order_value"] == pytest.approx(row["change"], rel=1e-9)
    assert row["uv_after"] > row["uv_before"] and row["view_to_order_rate_after"] < row["view_to_order_rate_before"]
