"""liveops_nb.comments.rules: the text rules on hand-made Chinese 弹幕 texts."""
from __future__ import annotations

import pytest

from liveops_nb.comments import is_emoji_only, is_question_text, is_spam_text, normalize_text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("好看！！ ", "好看"),
        ("Ｈｅｌｌｏ　好看！", "hello好看"),
        ("ＶＸ 好看[赞]😂", "vx好看"),
        ("[1号链接]", "1号链接"),
        ("🈶货吗", "货吗"),  # emoji removed before NFKC (🈶 would become 有)
        (None, ""),
    ],
)
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


@pytest.mark.parametrize(
    "text",
    ["😂😂😂", "[赞][赞]", "[微笑]", "[玫瑰][玫瑰]", "［赞］", "👍！", "   ", "", None,
     "？？？", "❤️❤️", "👍🏻", "🇨🇳", "1️⃣", "(*^▽^*)", "～～～"],
)
def test_emoji_only_true(text):
    assert is_emoji_only(text)


@pytest.mark.parametrize("text", ["好看😂", "[1号链接]", "666", "ok👌", "[赞]好看"])
def test_emoji_only_false(text):
    assert not is_emoji_only(text)


@pytest.mark.parametrize(
    "text",
    [
        "加V看主页有优惠", "加微领券", "加 v 有福利", "vx：abc12345", "ＶＸ同号", "威信联系",
        "QQ群进来", "qq 12345678", "有事打13812345678", "138-1234-5678",
        "www.example.com", "点 https://t.cn/abc", "好货 abc.top", "私聊我有好货", "看我主页",
        "在家兼职日结", "刷单返现", "专业代购", "低价出二手",
        # filler
        "111111", "66666666", "哈哈哈哈哈哈", "hahaha", "啊啊啊啊啊啊", "哈哈哈666", "2333333",
    ],
)
def test_spam_true(text):
    assert is_spam_text(text)


@pytest.mark.parametrize(
    "text",
    ["666", "哈哈哈", "11111", "哈哈哈哈哈哈太好笑了", "可以微信支付吗", "QQ糖好吃", "加购了",
     "主页有链接吗", "这个多少钱？", "1号链接", "100块"],
)
def test_spam_false(text):
    assert not is_spam_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "这个多少钱？", "有赠品?", "能便宜点吗", "有货么", "我的呢", "怎么用", "怎样搭配",
        "如何清洗", "几号链接", "什么时候发货", "哪个颜色好看", "有没有黑色", "能不能便宜",
        "可不可以退", "是不是正品", "会不会掉色", "好不好看", "黄皮适合吗", "油皮适合",
        "多大码", "160 110斤穿什么码", "120斤穿M码", "165 110斤", "尺码怎么选", "发货多久",
        "求链接", "链接", "咋买", "啥时候上架", "请问有赠品", "买什么",
    ],
)
def test_question_true(text):
    assert is_question_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "几乎每天都看", "哪怕贵也买", "好看", "这么好看", "没什么", "口红什么的都买了",
        "好几次了", "十几块很便宜", "很适合你", "码数偏小", "不怎么样", "茶几很好看",
        "多少有点贵", "主播辛苦了", "什么都好看", "无论如何都要买",
    ],
)
def test_question_false(text):
    assert not is_question_text(text)
