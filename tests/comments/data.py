"""Hand-made Chinese 弹幕 frames shared by the comments tests (every expected value written by hand)."""
from __future__ import annotations

import pandas as pd

T0 = pd.Timestamp("2024-06-18 20:00:00", tz="Asia/Shanghai")
COLUMNS = ["comment_id", "session_id", "user_id", "ts", "text", "reply_to"]


def make_frame(rows, index=None) -> pd.DataFrame:
    """rows: (comment_id, session_id, user_id, seconds after T0, text, reply_to)."""
    records = [
        {
            "comment_id": cid,
            "session_id": sid,
            "user_id": uid,
            "ts": T0 + pd.Timedelta(seconds=sec),
            "text": text,
            "reply_to": reply,
        }
        for cid, sid, uid, sec, text, reply in rows
    ]
    return pd.DataFrame(records, columns=COLUMNS, index=index)


# (row, expected kind, expected is_question, expected answered)
# fmt: off
MAIN_ROWS = [
    # --- session s1 ---------------------------------------------------------
    (("c01", "s1", "u01",   0, "这个多少钱？",         None),  "valid",      True,  True),
    (("c02", "s1", "u02",   5, "加V看主页有优惠",      None),  "spam",       False, False),
    (("c03", "s1", "u03",   8, "[赞][赞][赞]",         None),  "emoji_only", False, False),
    (("c04", "s1", "u04",  10, "好看",                 None),  "valid",      False, False),
    (("c05", "s1", "u05",  12, "几乎每天都看",         None),  "valid",      False, False),
    (("c06", "s1", "u06",  15, "😂😂😂",               None),  "emoji_only", False, False),
    (("c07", "s1", "u07",  20, "66666666",             None),  "spam",       False, False),
    (("c08", "s1", "u08",  25, "160 110斤穿什么码",    None),  "valid",      True,  False),
    (("c09", "s1", "u09",  30, "有没有黑色",           None),  "valid",      True,  True),
    # second reply to c01 listed first but sent later: first reply is h01
    (("h03", "s1", "host", 130, "有货的",              "c01"), "host_reply", False, False),
    (("h01", "s1", "host",  35, "99元，今天有券",      "c01"), "host_reply", False, False),
    (("c10", "s1", "u04",  40, "好看！",               None),  "repeat",     False, False),  # u04 again, 30 s
    (("h02", "s1", "host",  50, "黑色有的",            "c09"), "host_reply", False, False),
    # flood: 5 distinct users send 扣1 within 10 s -> the 5th completes it
    (("c11", "s1", "u10",  60, "扣1",                  None),  "valid",      False, False),
    (("c12", "s1", "u11",  62, "扣1",                  None),  "valid",      False, False),
    (("c13", "s1", "u12",  64, "扣 1",                 None),  "valid",      False, False),
    (("c14", "s1", "u13",  66, "扣1",                  None),  "valid",      False, False),
    (("c15", "s1", "u14",  68, "扣1！",                None),  "repeat",     False, False),
    (("c16", "s1", "u15",  80, "扣1",                  None),  "valid",      False, False),  # window 70-80: 1 user
    (("c17", "s1", "u10", 100, "扣1",                  None),  "repeat",     False, False),  # u10 again, 40 s
    (("c18", "s1", "u16", 110, "哪怕贵也买",           None),  "valid",      False, False),
    (("c19", "s1", "u17", 120, "有货么",               None),  "valid",      True,  False),
    (("c20", "s1", "u08", 140, "160 110斤穿什么码？",  None),  "valid",      True,  False),  # 115 s later
    # --- session s2 ---------------------------------------------------------
    (("d01", "s2", "u04",  20, "好看",                 None),  "valid",      False, False),  # other session
    (("d02", "s2", "u20",  25, "这个多少钱？",         None),  "valid",      True,  False),
    (("h04", "s2", "host", 40, "看上面",               "c08"), "host_reply", False, False),  # s1 id: no effect
    (("d03", "s2", "u21",  45, "😂",                   None),  "emoji_only", False, False),
]
# fmt: on
