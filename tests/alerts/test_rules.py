"""The rules file: the shipped defaults, a data folder's own file, and errors naming the rule and field."""
from __future__ import annotations

from pathlib import Path

import pytest

from liveops_nb.alerts import load_rules, parse_rules
from liveops_nb.errors import AlertRulesError, ConfigError, LiveOpsError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"


def test_defaults_load() -> None:
    r = load_rules(None)
    assert {x.id for x in r.rules} >= {"outage", "sold_out", "audience_below_typical"}
    outage = r.get("outage")
    assert (outage.metric, outage.comparison, outage.min_duration, outage.severity) == ("online", "<", 2, "high")
    assert outage.threshold is not None and (outage.threshold.ratio, outage.threshold.of) == (0.3, "recent_median")
    assert r.webhook is None


def test_a_data_folder_file_replaces_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "alert_rules.yaml").write_text(
        "defaults: {quiet_minutes: 5, severity: low}\n"
        "webhook: {url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K', format: wecom}\n"
        "rules:\n"
        "  - {id: gmv_low, metric: gmv_per_minute, window: 10, aggregate: sum, threshold: 100,\n"
        "     rooms: {R02: {threshold: 50}}}\n", encoding="utf-8")
    r = load_rules(tmp_path)
    (rule,) = r.rules
    assert (rule.quiet_minutes, rule.severity, rule.window, rule.aggregate) == (5, "low", 10, "sum")
    assert rule.for_room("R02").threshold.value == 50.0 and rule.for_room("R01").threshold.value == 100.0
    assert r.webhook is not None and (r.webhook.format, r.webhook.min_severity, r.webhook.retries) == ("wecom", "high", 3)
    assert r.source.endswith("alert_rules.yaml")


@pytest.mark.parametrize(("rule", "rule_name", "field", "words"), [
    ({"id": "a", "metric": "gmvv", "threshold": 1}, "a", "metric", "Did you mean 'gmv'"),
    ({"id": "a", "metric": "online"}, "a", "threshold", "needs a threshold"),
    ({"id": "a", "metric": "online", "threshold": {"ratio": 0.6, "of": "room_mean"}}, "a", "threshold.of", "room_median"),
    ({"id": "a", "metric": "online", "threshold": {"ratio": -1, "of": "room_median"}}, "a", "threshold.ratio", "≥ 0"),
    ({"id": "a", "metric": "online", "threshold": 1, "window": 0}, "a", "window", "whole number ≥ 1"),
    ({"id": "a", "metric": "online", "threshold": 1, "comparison": "lower"}, "a", "comparison", "below"),
    ({"id": "a", "metric": "online", "threshold": 1, "severity": "urgent"}, "a", "severity", "low, medium, high"),
    ({"id": "a", "metric": "online", "threshold": 1, "colour": "red"}, "a", "colour", "unknown field"),
    ({"id": "a", "metric": "online", "kind": "anomaly", "threshold": 1}, "a", "threshold", "takes no threshold"),
    ({"id": "a", "metric": "stock_left", "threshold": {"ratio": 0.1, "of": "room_median"}}, "a", "threshold.of",
     "stock_left"),
    ({"id": "a", "metric": "online", "threshold": 1, "rooms": {"R1": {"metric": "gmv"}}}, "a", "rooms.R1.metric",
     "cannot be overridden"),
    ({"id": "a", "metric": "online", "threshold": 1, "rooms": {"R1": {"window": -2}}}, "a", "window", "≥ 1"),
    ({"metric": "online", "threshold": 1}, "#1", "id", "needs an id"),
])
def test_errors_name_the_rule_and_field(rule: dict, rule_name: str, field: str, words: str) -> None:
    with pytest.raises(AlertRulesError) as err:
        parse_rules({"rules": [rule]}, "my/alert_rules.yaml")
    e = err.value
    assert (e.rule, e.field) == (rule_name, field)
    assert f"rule '{rule_name}'" in str(e) and f"field '{field}'" in str(e) and words in str(e)
    assert str(e).startswith("my/alert_rules.yaml: ")
    assert isinstance(e, LiveOpsError) and isinstance(e, ConfigError) and isinstance(e, ValueError)


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(AlertRulesError, match="two rules have this id"):
        parse_rules({"rules": [{"id": "a", "metric": "online", "threshold": 1}] * 2})
    with pytest.raises(AlertRulesError, match="field 'rules'"):
        parse_rules({"rules": []})
    with pytest.raises(AlertRulesError, match="field 'webhook.url'"):
        parse_rules({"rules": [{"id": "a", "metric": "online", "threshold": 1}], "webhook": {"url": "ftp://x"}})
    with pytest.raises(AlertRulesError, match="field 'webhook.format'"):
        parse_rules({"rules": [{"id": "a", "metric": "online", "threshold": 1}],
                     "webhook": {"url": "https://x", "format": "slack"}})
    with pytest.raises(AlertRulesError, match="field 'baseline.min_sessions'"):
        parse_rules({"rules": [{"id": "a", "metric": "online", "threshold": 1}],
                     "baseline": {"sessions": 2, "min_sessions": 3}})
    (tmp_path / "alert_rules.yaml").write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(AlertRulesError, match="not valid YAML"):
        load_rules(tmp_path)


def test_the_documented_example_is_valid() -> None:
    """docs/alerts.md's commented example parses (the text between the yaml fences after 'Example')."""
    import yaml

    text = DOCS.read_text(encoding="utf-8")
    block = text.split("```yaml", 1)[1].split("```", 1)[0]
    r = parse_rules(yaml.safe_load(block), "docs/alerts.md")
    assert r.webhook is not None and r.webhook.format in ("wecom", "dingtalk")
    assert any(x.rooms for x in r.rules)


def test_every_shipped_rule_has_words_for_the_period_review() -> None:
    import liveops_nb.render.alerts  # noqa: F401 - registers the words
    from liveops_nb.render.i18n import STRINGS

    assert [r.id for r in load_rules(None).rules if f"alerts_code_{r.id}" not in STRINGS] == []
