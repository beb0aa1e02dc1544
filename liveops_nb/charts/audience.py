"""Charts for the audience section (观众): new vs returning (the portrait's charts: :mod:`liveops_nb.charts.portrait`)."""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..render.i18n import Lang, register, t
from .theme import PALETTE, page_width

register({
    "audience_chart_nr": ("新老观众 / 买家", "New vs returning viewers and buyers"),
    "audience_chart_group": ("人群", "Group"),
    "audience_chart_people": ("人数", "People"),
    "audience_chart_kind": ("新/老", "New / returning"),
    "audience_chart_kind_new": ("新", "New"),
    "audience_chart_kind_returning": ("老", "Returning"),
    "audience_chart_group_viewers": ("观众", "Viewers"),
    "audience_chart_group_buyers": ("买家", "Buyers"),
})


def new_vs_returning(new_returning: pd.DataFrame, lang: Lang = "zh") -> alt.Chart:
    """Stacked horizontal bars (viewers, buyers) split into new / returning; columns ``group, new, returning``."""
    long = new_returning.melt(id_vars="group", value_vars=["new", "returning"], var_name="kind", value_name="people")
    long["group_label"] = [t(f"audience_chart_group_{g}", lang) for g in long["group"]]
    long["kind_label"] = [t(f"audience_chart_kind_{k}", lang) for k in long["kind"]]
    kinds = [t("audience_chart_kind_new", lang), t("audience_chart_kind_returning", lang)]
    return alt.Chart(long, title=t("audience_chart_nr", lang), width=page_width(160), height=90).mark_bar().encode(
        x=alt.X("people:Q", title=t("audience_chart_people", lang), stack="normalize", axis=alt.Axis(format="%")),
        y=alt.Y("group_label:N", title=t("audience_chart_group", lang)),
        color=alt.Color("kind_label:N", title=t("audience_chart_kind", lang),
                        scale=alt.Scale(domain=kinds, range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("group_label:N", title=t("audience_chart_group", lang)),
                 alt.Tooltip("kind_label:N", title=t("audience_chart_kind", lang)),
                 alt.Tooltip("people:Q", title=t("audience_chart_people", lang))])
