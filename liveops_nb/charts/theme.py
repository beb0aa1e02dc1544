"""The workbench's chart theme and offline renderers.

``enable("interactive")`` renders charts as JupyterChart widgets with the Vega
libraries bundled (no CDN: works in Voila without internet);
``enable("static")`` renders SVG through vl-convert with a CJK font, for
papermill/nbconvert HTML that must open with no network. ``enable`` returns a context manager:
``with enable("static"): ...`` puts the previous theme and renderer back afterwards.

In a Jupyter kernel, ``import liveops_nb`` calls :func:`auto_enable`: charts render offline in the
house theme (CJK fonts, 24-hour time axes) with no other call -- unless the user already chose a
renderer or theme, which is left alone.
"""
from __future__ import annotations

import functools
import glob
from types import TracebackType
from typing import Any, Literal

from ..errors import UnknownOptionError

Mode = Literal["interactive", "static"]

FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#2F6BFF", "#FF7A45", "#36B37E", "#9254DE", "#FFC53D", "#13C2C2", "#F759AB", "#8C8C8C"]
GOOD, BAD, NEUTRAL = "#2BA471", "#E5484D", "#8C8C8C"
CJK_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk")
# Time-axis labels in 24-hour time: ticks inside a day show 20:00 (Vega's default would say "08 PM"); ticks at
# midnight keep their label (a date, or the chart's own format).
TIME_LABELS = ("(hours(datum.value) || minutes(datum.value) || seconds(datum.value)) ? "
               "timeFormat(datum.value, seconds(datum.value) ? '%H:%M:%S' : '%H:%M') : datum.label")


STATIC_WIDTH = 1040
"""Chart width (px) in static reports: the page's content width less the axis labels."""


def page_width(less: int = 0) -> Any:
    """The width (px) a full-width chart asks for: :data:`STATIC_WIDTH` − ``less`` (room for axis labels).

    One fixed wide width for static reports and live pages alike: Altair's ``"container"`` width collapses
    to a few pixels inside the JupyterChart widgets of Voila pages (measured in a real browser). Typed
    ``Any``: Altair's ``width`` takes a number or ``"container"``.
    """
    return STATIC_WIDTH - less


def theme() -> dict:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 640, "continuousHeight": 220},
            "range": {"category": PALETTE},
            "axis": {"labelFont": FONT, "titleFont": FONT, "labelColor": "#595959", "titleColor": "#262626",
                     "gridColor": "#F0F0F0", "domainColor": "#D9D9D9", "tickColor": "#D9D9D9",
                     "labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
            "legend": {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 12, "orient": "top"},
            "title": {"font": FONT, "fontSize": 14, "fontWeight": "bold", "anchor": "start", "color": "#262626"},
            "axisTemporal": {"labelExpr": TIME_LABELS},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT},
            "mark": {"font": FONT},
        }
    }


@functools.cache
def _register_fonts() -> None:
    import vl_convert as vlc

    for d in CJK_FONT_DIRS:
        if glob.glob(d):
            vlc.register_font_directory(d)


class ChartSettings:
    """Altair's active theme, renderer and data transformer as they were; a context manager putting them back."""

    def __init__(self) -> None:
        import altair as alt

        self.theme = alt.theme.active
        self.renderer = alt.renderers.active
        self.renderer_options = dict(alt.renderers.options)
        self.transformer = alt.data_transformers.active
        self.transformer_options = dict(alt.data_transformers.options)

    def restore(self) -> None:
        """Enable the remembered theme, renderer and data transformer again."""
        import altair as alt

        alt.theme.enable(self.theme)
        alt.renderers.enable(self.renderer, **self.renderer_options)
        alt.data_transformers.enable(self.transformer, **self.transformer_options)

    def __enter__(self) -> ChartSettings:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.restore()


def register_theme() -> None:
    """Register the house theme as ``"liveops"`` (without enabling it)."""
    import altair as alt

    def _liveops() -> Any:
        return alt.theme.ThemeConfig(**theme())

    if "liveops" not in alt.theme.names():
        alt.theme.register("liveops", enable=False)(_liveops)


def enable(mode: Mode = "interactive") -> ChartSettings:
    """Enable the house theme and an offline renderer; returns the previous settings as a context manager.

    Parameters
    ----------
    mode : ``"interactive"`` (JupyterChart widgets with bundled Vega) or ``"static"`` (SVG via vl-convert).

    Returns
    -------
    ChartSettings
        What was active before; ``with enable("static"): ...`` restores it at the end of the block
        (a plain call keeps the new settings).
    """
    import altair as alt

    if mode not in ("interactive", "static"):
        raise UnknownOptionError("render mode", mode, ("interactive", "static"))
    before = ChartSettings()
    register_theme()
    alt.theme.enable("liveops")
    alt.data_transformers.disable_max_rows()
    if mode == "interactive":
        alt.renderers.enable("jupyter", offline=True)
    else:
        _register_fonts()
        alt.renderers.enable("svg")
    return before


def auto_enable() -> bool:
    """:func:`enable` ("interactive") unless the user already chose a renderer or theme; True if it did.

    Called by ``import liveops_nb`` inside a Jupyter kernel (JupyterLab, Voila, papermill).
    """
    import altair as alt

    if alt.renderers.active not in ("default", "html") or alt.theme.active != "default":
        return False
    enable("interactive")
    return True


def to_svg(chart) -> str:
    """Render a chart to an SVG string with CJK fonts (for static reports and tests)."""
    import vl_convert as vlc

    _register_fonts()
    return vlc.vegalite_to_svg(chart.to_json())
