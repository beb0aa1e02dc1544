"""The canonical data model: tables, columns, types, units and labels.

This module is the single source of truth for the dataset layout. Validation
(:mod:`liveops_nb.validate`), the demo generator (:mod:`liveops_nb.demo`),
the derivation of aggregate tables from viewer-level ones
(:mod:`liveops_nb.derive`) and the documentation (``docs/data-model.md``) all
read it.

Conventions
-----------
* Table and column names are English snake_case; labels in 中文 and English.
* Timestamps are timezone-aware; naive timestamps are read as
  :data:`DEFAULT_TZ` (Asia/Shanghai) and reported as a warning.
* Money is yuan (CNY) as decimal numbers; rates are fractions (0.153).
* IDs are strings.
* Two levels: *aggregate* tables (what platforms export) and optional
  *viewer-level* tables. When viewer-level tables exist the aggregate ones are
  derived from them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .errors import UnknownColumnError

DEFAULT_TZ = "Asia/Shanghai"

Dtype = Literal["string", "int", "float", "timestamp", "bool"]
Level = Literal["aggregate", "viewer", "config"]


@dataclass(frozen=True)
class Column:
    name: str
    dtype: Dtype
    zh: str
    en: str
    unit: str = ""
    required: bool = True  # column must be present in the file
    nullable: bool = False  # values may be missing
    nonnegative: bool = False  # amounts and counts
    allowed: tuple[str, ...] = ()  # closed vocabulary, if any


@dataclass(frozen=True)
class Table:
    name: str
    zh: str
    en: str
    level: Level
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False  # the dataset cannot be opened without it
    refs: dict[str, str] = field(default_factory=dict)  # column -> "table.column"
    # timestamp columns that must fall inside their session's [start, end] window
    in_session_window: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise UnknownColumnError(self.name, name, self.column_names)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, dtype: Dtype, zh: str, en: str, unit: str = "", **kw) -> Column:
    return Column(name, dtype, zh, en, unit, **kw)


def _count(name: str, zh: str, en: str, unit: str = "people", **kw) -> Column:
    kw.setdefault("nonnegative", True)
    return Column(name, "int", zh, en, unit, **kw)


def _money(name: str, zh: str, en: str, **kw) -> Column:
    kw.setdefault("nonnegative", True)
    return Column(name, "float", zh, en, "CNY", **kw)


PLATFORMS = ("douyin", "taobao", "kuaishou", "tiktok", "wechat_channels", "other")
CHANNEL_GROUPS = ("organic", "paid", "private")
PRODUCT_ROLES = ("traffic_driver", "profit", "regular")
EVENT_TYPES = (
    "impression", "enter", "exit", "comment", "like", "share", "follow",
    "product_impression", "product_click", "cart", "order",
)
EXPERIMENT_UNITS = ("viewer", "session")
EXPERIMENT_VARIABLES = ("script", "scene", "lineup", "creative", "coupon", "other")

# Session totals a platform export may carry when no viewer-level data exists.
SESSION_TOTALS: tuple[Column, ...] = (
    _count("impressions", "直播间曝光人数", "Room impressions (people)", required=False, nullable=True),
    _count("views", "观看次数", "Views (PV)", "times", required=False, nullable=True),
    _count("uv", "观看人数", "Viewers (UV)", required=False, nullable=True),
    _count("pcu", "最高在线人数", "Peak concurrent viewers", required=False, nullable=True),
    Column("acu", "float", "平均在线人数", "Average concurrent viewers", "people",
           required=False, nullable=True, nonnegative=True),
    Column("avg_watch_seconds", "float", "人均观看时长", "Average watch time", "seconds",
           required=False, nullable=True, nonnegative=True),
    _money("gmv", "成交金额", "GMV", required=False, nullable=True),
    _count("orders", "成交订单数", "Orders", "orders", required=False, nullable=True),
    _count("buyers", "成交人数", "Buyers", required=False, nullable=True),
    _count("units", "成交件数", "Units sold", "units", required=False, nullable=True),
    _count("product_impression_uv", "商品曝光人数", "Product-impression people", required=False, nullable=True),
    _count("product_click_uv", "商品点击人数", "Product-click people", required=False, nullable=True),
    _count("interaction_uv", "互动人数", "Interacting people", required=False, nullable=True),
    _count("new_followers", "新增粉丝数", "New followers", required=False, nullable=True),
    _count("comments", "评论次数", "Comments", "times", required=False, nullable=True),
    _money("refund_amount", "退款金额", "Refund amount", required=False, nullable=True),
)

TABLES: dict[str, Table] = {}


def _register(t: Table) -> Table:
    TABLES[t.name] = t
    return t


ROOMS = _register(Table(
    "rooms", "直播间", "Rooms", "aggregate", ("room_id",), required=True, columns=(
        _c("room_id", "string", "直播间ID", "Room ID"),
        _c("room_name", "string", "直播间名称", "Room name"),
        _c("platform", "string", "平台", "Platform", allowed=PLATFORMS),
        _c("category", "string", "品类", "Category"),
        _c("host", "string", "主播", "Host"),
    )))

SESSIONS = _register(Table(
    "sessions", "场次", "Sessions", "aggregate", ("session_id",), required=True,
    refs={"room_id": "rooms.room_id"}, columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("room_id", "string", "直播间ID", "Room ID"),
        _c("host", "string", "主播", "Host"),
        _c("title", "string", "直播标题", "Title", required=False, nullable=True),
        _c("start_time", "timestamp", "开播时间", "Start time"),
        _c("end_time", "timestamp", "下播时间", "End time"),
        _money("gmv_target", "GMV目标", "GMV target", required=False, nullable=True),
        *SESSION_TOTALS,
    )))

MINUTE_STATS = _register(Table(
    "minute_stats", "分钟级数据", "Minute-level stats", "aggregate", ("session_id", "minute"),
    refs={"session_id": "sessions.session_id"}, in_session_window=("minute",), columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("minute", "timestamp", "分钟", "Minute"),
        _count("online", "实时在线人数", "Online viewers"),
        _count("entries", "进入人数", "Entries", "times"),
        _count("exits", "离开人数", "Exits", "times"),
        _count("impressions", "曝光人数", "Impressions", required=False, nullable=True),
        _count("comments", "评论次数", "Comments", "times"),
        _count("likes", "点赞次数", "Likes", "times"),
        _count("shares", "分享次数", "Shares", "times"),
        _count("new_followers", "新增粉丝", "New followers"),
        _count("product_impression_uv", "商品曝光人数", "Product-impression people", required=False, nullable=True),
        _count("product_click_uv", "商品点击人数", "Product-click people", required=False, nullable=True),
        _count("orders", "成交订单数", "Orders", "orders"),
        _count("buyers", "成交人数", "Buyers"),
        _money("gmv", "成交金额", "GMV"),
        _money("paid_spend", "投放消耗", "Paid spend", required=False, nullable=True),
    )))

CHANNELS = _register(Table(
    "channels", "流量来源", "Traffic sources", "aggregate", ("session_id", "channel"),
    refs={"session_id": "sessions.session_id"}, columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("channel", "string", "渠道", "Channel"),
        _c("channel_group", "string", "渠道类型", "Channel group", allowed=CHANNEL_GROUPS),
        _count("impressions", "曝光人数", "Impressions", required=False, nullable=True),
        _count("views", "观看次数", "Views (PV)", "times"),
        _count("uv", "观看人数", "Viewers (UV)"),
        _money("gmv", "成交金额", "GMV"),
        _count("orders", "成交订单数", "Orders", "orders"),
        _money("spend", "投放消耗", "Spend", required=False, nullable=True),
    )))

PRODUCTS = _register(Table(
    "products", "商品", "Products", "aggregate", ("product_id",), columns=(
        _c("product_id", "string", "商品ID", "Product ID"),
        _c("name", "string", "商品名称", "Product name"),
        _c("category", "string", "品类", "Category", required=False, nullable=True),
        _money("list_price", "标价", "List price"),
        _c("role", "string", "商品角色", "Role", allowed=PRODUCT_ROLES),
    )))

PRODUCT_STATS = _register(Table(
    "product_stats", "商品明细", "Product stats", "aggregate", ("session_id", "product_id"),
    refs={"session_id": "sessions.session_id", "product_id": "products.product_id"}, columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("product_id", "string", "商品ID", "Product ID"),
        _count("impression_uv", "商品曝光人数", "Product-impression people"),
        _count("click_uv", "商品点击人数", "Product-click people"),
        _count("buyers", "成交人数", "Buyers"),
        _count("orders", "成交订单数", "Orders", "orders"),
        _count("units", "成交件数", "Units", "units"),
        _money("gmv", "成交金额", "GMV"),
        _money("refund_amount", "退款金额", "Refund amount"),
    )))

PITCHES = _register(Table(
    "pitches", "讲解", "Product pitches", "aggregate", ("session_id", "product_id", "start"),
    refs={"session_id": "sessions.session_id", "product_id": "products.product_id"},
    in_session_window=("start", "end"), columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("product_id", "string", "商品ID", "Product ID"),
        _c("start", "timestamp", "讲解开始", "Pitch start"),
        _c("end", "timestamp", "讲解结束", "Pitch end"),
    )))

INCIDENTS = _register(Table(
    "incidents", "事故记录", "Incident log", "aggregate", ("session_id", "start"),
    refs={"session_id": "sessions.session_id"}, in_session_window=("start",), columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("start", "timestamp", "开始", "Start"),
        _c("end", "timestamp", "结束", "End"),
        _c("kind", "string", "类型", "Kind"),
        _c("note", "string", "说明", "Note", required=False, nullable=True),
    )))

RUN_SHEET = _register(Table(
    "run_sheet", "排品计划", "Run sheet (planned pitches)", "aggregate", ("session_id", "product_id", "planned_start"),
    refs={"session_id": "sessions.session_id", "product_id": "products.product_id"},
    in_session_window=("planned_start", "planned_end"), columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("product_id", "string", "商品ID", "Product ID"),
        _c("planned_start", "timestamp", "计划讲解开始", "Planned pitch start"),
        _c("planned_end", "timestamp", "计划讲解结束", "Planned pitch end"),
    )))

INVENTORY = _register(Table(
    "inventory", "库存", "Stock at session start", "aggregate", ("session_id", "product_id"),
    refs={"session_id": "sessions.session_id", "product_id": "products.product_id"}, columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("product_id", "string", "商品ID", "Product ID"),
        # stock left at a minute = stock - units ordered in the session up to that minute
        _count("stock", "开播库存", "Stock at session start", "units"),
    )))

EVENTS = _register(Table(
    "events", "行为事件", "Viewer events", "viewer", ("session_id", "user_id", "ts", "event_type"),
    refs={"session_id": "sessions.session_id", "user_id": "users.user_id", "product_id": "products.product_id"},
    in_session_window=("ts",), columns=(
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("user_id", "string", "用户ID", "User ID"),
        _c("ts", "timestamp", "时间", "Time"),
        _c("event_type", "string", "事件类型", "Event type", allowed=EVENT_TYPES),
        _c("product_id", "string", "商品ID", "Product ID", nullable=True),
        _c("channel", "string", "渠道", "Channel", nullable=True),
    )))

ORDERS = _register(Table(
    "orders", "订单", "Orders", "viewer", ("order_id",),
    refs={"session_id": "sessions.session_id", "user_id": "users.user_id", "product_id": "products.product_id"},
    in_session_window=("ts",), columns=(
        _c("order_id", "string", "订单ID", "Order ID"),
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("user_id", "string", "用户ID", "User ID"),
        _c("product_id", "string", "商品ID", "Product ID"),
        _c("ts", "timestamp", "下单时间", "Order time"),
        _count("quantity", "件数", "Quantity", "units"),
        _money("amount", "实付金额", "Amount paid"),
        _money("refund_amount", "退款金额", "Refund amount"),
        _c("refunded_at", "timestamp", "退款时间", "Refunded at", nullable=True),
        _c("status", "string", "状态", "Status", allowed=("paid", "refunded", "partially_refunded")),
        _c("channel", "string", "渠道", "Channel", required=False, nullable=True),
    )))

COMMENTS = _register(Table(
    "comments", "弹幕", "Comments", "viewer", ("comment_id",),
    refs={"session_id": "sessions.session_id"}, in_session_window=("ts",), columns=(
        _c("comment_id", "string", "评论ID", "Comment ID"),
        _c("session_id", "string", "场次ID", "Session ID"),
        _c("user_id", "string", "用户ID", "User ID"),
        _c("ts", "timestamp", "时间", "Time"),
        _c("text", "string", "内容", "Text"),
        _c("reply_to", "string", "回复的评论", "Replies to (host reply)", nullable=True),
    )))

USERS = _register(Table(
    "users", "用户", "Users", "viewer", ("user_id",), columns=(
        _c("user_id", "string", "用户ID", "User ID"),
        _c("first_seen", "timestamp", "首次访问", "First seen"),
        _c("region", "string", "地域", "Region", nullable=True),
        _c("gender", "string", "性别", "Gender", nullable=True),
        _c("age_band", "string", "年龄段", "Age band", nullable=True),
        _c("member_tier", "string", "会员等级", "Member tier", nullable=True),
        _c("is_follower", "bool", "是否粉丝", "Is follower"),
        _c("in_private_domain", "bool", "是否私域", "In private domain"),
    )))

EXPERIMENTS = _register(Table(
    "experiments", "实验", "Experiments", "viewer", ("experiment_id",), columns=(
        _c("experiment_id", "string", "实验ID", "Experiment ID"),
        _c("name", "string", "实验名称", "Name"),
        _c("hypothesis", "string", "假设", "Hypothesis"),
        _c("unit", "string", "随机化单位", "Unit", allowed=EXPERIMENT_UNITS),
        _c("variable", "string", "实验变量", "Variable", allowed=EXPERIMENT_VARIABLES),
        _c("start", "timestamp", "开始", "Start"),
        _c("end", "timestamp", "结束", "End"),
        _c("primary_metric", "string", "主指标", "Primary metric"),
        _c("status", "string", "状态", "Status", allowed=("planned", "running", "finished")),
        _c("control_variant", "string", "对照组", "Control variant"),
        # "A:0.5,B:0.5" — planned share of units per variant
        _c("planned_split", "string", "计划分流", "Planned split"),
        _c("room_ids", "string", "直播间", "Rooms", required=False, nullable=True),
    )))

ASSIGNMENTS = _register(Table(
    "assignments", "实验分组", "Experiment assignments", "viewer", ("experiment_id", "unit_id"),
    refs={"experiment_id": "experiments.experiment_id"}, columns=(
        _c("experiment_id", "string", "实验ID", "Experiment ID"),
        _c("unit_id", "string", "单位ID", "Unit ID (user or session)"),
        _c("variant", "string", "组别", "Variant"),
    )))

AGGREGATE_TABLES = tuple(n for n, t in TABLES.items() if t.level == "aggregate")
VIEWER_TABLES = tuple(n for n, t in TABLES.items() if t.level == "viewer")
