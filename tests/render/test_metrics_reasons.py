"""Why a number is missing, in words: quantities and grains by their labels, never a raw key."""
from __future__ import annotations

from liveops_nb.engine.reasons import Reason
from liveops_nb.render.metrics import reason_text


def test_reasons_name_quantities_and_grains_by_label():
    spend = Reason(code="not_reported", quantity="paid_spend")
    assert reason_text(spend, "zh") == "此数据源无法提供: 本场未提供 投放消耗"
    assert reason_text(spend, "en") == "not available from this source: Paid spend is not reported for this session"
    pcu = Reason(code="not_at_grain", quantity="pcu", dim="channel")
    assert reason_text(pcu, "zh") == "此数据源无法提供: 最高在线人数 无法按 流量渠道 拆分"
    assert reason_text(pcu, "en").endswith("cannot be split by traffic channel")
    base = Reason(code="zero_denominator", quantity="product_impression_uv")
    assert reason_text(base, "zh") == "分母为 0 (商品曝光人数)"
    assert reason_text(base, "en") == "the denominator is 0 (product impression viewers)"
