"""Import and go: in a Jupyter kernel `import liveops_nb` renders Altair offline in the house theme (24-hour
time axes), leaves a renderer or theme the user chose alone, and `enable` restores what was there as a
context manager; pandas plotting and Styler work (matplotlib is a dependency)."""
from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd


def _in_new_interpreter(code: str) -> list[str]:
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, check=True)
    return run.stdout.split()


def test_import_in_a_kernel_enables_the_offline_renderer_and_theme():
    # ipykernel imported = running inside a Jupyter kernel (JupyterLab, Voila, papermill)
    assert _in_new_interpreter("import ipykernel, liveops_nb, altair as alt\n"
                               "print(alt.renderers.active, alt.theme.active, alt.renderers.options.get('offline'))"
                               ) == ["jupyter", "liveops", "True"]


def test_a_users_own_choice_is_kept_and_plain_python_is_untouched():
    assert _in_new_interpreter("import altair as alt\nalt.renderers.enable('svg')\nalt.theme.enable('dark')\n"
                               "import ipykernel, liveops_nb\nprint(alt.renderers.active, alt.theme.active)"
                               ) == ["svg", "dark"]
    assert _in_new_interpreter("import liveops_nb, altair as alt\nprint(alt.renderers.active, alt.theme.active)"
                               ) == ["default", "default"]  # a script or the CLI: no kernel, nothing changed


def _tick_labels(chart) -> list[str]:
    from liveops_nb.charts import to_svg

    return re.findall(r">([^<>]+)</text>", to_svg(chart))


def test_enable_is_a_context_manager_and_time_axes_are_24_hour():
    import altair as alt

    from liveops_nb import charts

    before = (alt.renderers.active, alt.theme.active)
    evening = pd.DataFrame({"t": pd.date_range("2026-09-07 19:30", periods=6, freq="30min"), "y": range(6)})
    chart = alt.Chart(evening).mark_line().encode(x="t:T", y="y:Q")
    with charts.ChartSettings():  # Vega's own labels say "08 PM"
        alt.theme.enable("default")
        assert any("PM" in label for label in _tick_labels(chart))
    assert (alt.renderers.active, alt.theme.active) == before
    with charts.enable("static"):
        assert (alt.renderers.active, alt.theme.active) == ("svg", "liveops")
        labels = _tick_labels(chart)
        assert {"20:00", "21:00", "22:00"} <= set(labels) and not any("PM" in x or "AM" in x for x in labels)
    assert (alt.renderers.active, alt.theme.active) == before


def test_pandas_plotting_and_styler_work():
    import matplotlib

    matplotlib.use("Agg")
    df = pd.DataFrame({"gmv": [500.0, 100.0]}, index=["S1", "S2"])
    assert df.plot.bar().get_figure() is not None
    assert "background-color" in df.style.background_gradient().to_html()
