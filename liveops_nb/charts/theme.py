"""The workbench's chart theme and offline renderers.

``enable("interactive")`` renders charts as JupyterChart widgets with the Vega
libraries bundled (no CDN: works in Voila without internet);
``enable("static")`` renders SVG through vl-convert with a CJK font, for
papermill/nbconvert HTML that must open with no network.
"""
from __future__ import annotations

import functools
import glob
from typing import Literal

from ..errors import UnknownOptionError

Mode = Literal["interactive", "static"]

FONT = "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
PALETTE = ["#2F6BFF", "#FF7A45", "#36B37E", "#9254DE", "#FFC53D", "#13C2C2", "#F759AB", "#8C8C8C"]
GOOD, BAD, NEUTRAL = "#2BA471", "#E5484D", "#8C8C8C"
CJK_FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk")


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


def enable(mode: Mode = "interactive") -> None:
    """Register and enable the theme, and choose an offline renderer."""
    import altair as alt

    @alt.theme.register("liveops", enable=True)
    def _liveops():
        return alt.theme.ThemeConfig(**theme())

    alt.data_transformers.disable_max_rows()
    if mode == "interactive":
        alt.renderers.enable("jupyter", offline=True)
    elif mode == "static":
        _register_fonts()
        alt.renderers.enable("svg")
    else:
        raise UnknownOptionError("render mode", mode, ("interactive", "static"))


def to_svg(chart) -> str:
    """Render a chart to an SVG string with CJK fonts (for static reports and tests)."""
    import vl_convert as vlc

    _register_fonts()
    return vlc.vegalite_to_svg(chart.to_json())
