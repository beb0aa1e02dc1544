"""Chinese text resources for the synthetic demo dataset (:mod:`liveops_nb.demo`).

Everything here is plain data — tuples of strings and numbers, in a fixed
order — so that the generator stays deterministic (it never iterates a set or
depends on dict ordering other than insertion order).

Contents
--------
ROOMS
    The three demo rooms (id, name, platform, category, host, usual audience).
PRODUCTS
    Per room, a catalogue of (product name, list price in yuan). The generator
    takes a seeded subset of 15–25 of them; roles (traffic driver / profit /
    regular) follow the price rank.
TITLES
    Per room, broadcast title templates; ``{md}`` is replaced by ``9.7`` style
    month.day and ``{theme}`` by one of :data:`THEMES`.
REGIONS, GENDERS, AGE_BANDS, MEMBER_TIERS
    Viewer attributes with sampling weights.
QUESTIONS, REMARKS, SPAM, EMOJI_ONLY, FLOOD
    Comment (弹幕) templates by kind. Questions and remarks have a generic part
    and a room-specific part.
HOST_REPLIES
    Host answers to questions; ``{n}`` is the link number (position of the
    product in the line-up), ``{name}`` the product name, ``{price}`` the
    live price.
"""
from __future__ import annotations

# --------------------------------------------------------------------- rooms
# (room_id, room_name, platform, category, host, audience) — audience decides
# the default gender / age mix of the room's viewer pool.
ROOMS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("R01", "暖暖母婴优选直播间", "douyin", "母婴", "小鹿妈妈", "mothers"),
    ("R02", "花漾美妆研究所", "douyin", "彩妆", "安琪", "young_women"),
    ("R03", "极客数码官方直播间", "kuaishou", "数码", "阿杰", "young_men"),
)

# -------------------------------------------------------------- products
# (name, list price in yuan). Price ranges per category: 母婴 39–399,
# 彩妆 59–459, 数码 29.9–1299 (accessories, a few big-ticket items).
PRODUCTS: dict[str, tuple[tuple[str, float], ...]] = {
    "R01": (
        ("婴儿棉柔巾 80抽×6包", 39.0),
        ("宝宝洗衣液 1L 温和配方", 39.9),
        ("婴儿湿巾 手口专用 80抽×5包", 45.0),
        ("儿童牙膏牙刷套装", 49.0),
        ("宝宝护臀膏 50g", 59.0),
        ("婴儿润肤乳 200ml", 69.0),
        ("宝宝洗发沐浴二合一 400ml", 79.0),
        ("新生儿纯棉连体衣 3件装", 99.0),
        ("婴儿纱布浴巾 6层", 109.0),
        ("宝宝辅食米粉 高铁 3罐", 119.0),
        ("学饮杯 防呛吸管杯", 129.0),
        ("婴儿纸尿裤 L码 52片×2包", 139.0),
        ("拉拉裤 XL码 38片×3包", 159.0),
        ("儿童益生菌 30袋", 169.0),
        ("婴儿爬行垫 XPE 加厚", 179.0),
        ("宝宝睡袋 四季款", 199.0),
        ("硅胶奶瓶 宽口径 2只装", 219.0),
        ("婴儿配方奶粉 3段 800g", 249.0),
        ("儿童安全座椅 便携款", 299.0),
        ("温奶器 智能恒温", 329.0),
        ("婴儿推车 轻便可登机", 369.0),
        ("有机奶粉 1段 800g×2罐", 389.0),
        ("吸奶器 电动双边", 399.0),
        ("婴儿床围 全棉防撞", 149.0),
        ("宝宝学步鞋 软底", 89.0),
    ),
    "R02": (
        ("卸妆湿巾 便携装", 59.0),
        ("睫毛夹 宽幅不夹肉", 59.9),
        ("美妆蛋 3只装", 69.0),
        ("眉笔 极细防水", 69.9),
        ("唇釉 丝绒雾面", 79.0),
        ("定妆喷雾 100ml", 89.0),
        ("睫毛膏 纤长卷翘", 99.0),
        ("眼线笔 持久不晕染", 99.9),
        ("腮红 单色 柔雾", 119.0),
        ("高光修容盘", 129.0),
        ("口红 经典正红", 139.0),
        ("遮瑕盘 三色", 149.0),
        ("散粉 控油定妆", 159.0),
        ("卸妆油 200ml", 169.0),
        ("九色眼影盘", 189.0),
        ("气垫BB霜 双芯装", 219.0),
        ("妆前乳 隐形毛孔", 239.0),
        ("化妆刷套装 12支", 259.0),
        ("粉底液 持妆 30ml", 299.0),
        ("口红礼盒 5支装", 329.0),
        ("精华粉底 轻薄", 369.0),
        ("彩妆礼盒 限定版", 399.0),
        ("面部精华 修护 30ml", 429.0),
        ("眼霜 淡纹 15g", 459.0),
        ("素颜霜 50g", 109.0),
    ),
    "R03": (
        ("手机数据线 快充 3条装", 39.0),
        ("钢化膜 防窥 2片装", 29.9),
        ("磁吸手机支架", 49.0),
        ("磁吸手机壳 透明", 59.0),
        ("无线鼠标 静音", 69.0),
        ("氮化镓充电器 65W", 129.0),
        ("充电宝 20000mAh", 119.0),
        ("USB-C 扩展坞 6合1", 139.0),
        ("蓝牙音箱 便携防水", 159.0),
        ("游戏手柄 蓝牙", 169.0),
        ("智能台灯 护眼", 159.0),
        ("电动牙刷 声波", 189.0),
        ("网络摄像头 2K", 199.0),
        ("智能手环 血氧心率", 199.0),
        ("机械键盘 青轴", 229.0),
        ("真无线蓝牙耳机 降噪", 259.0),
        ("电竞耳机 7.1声道", 269.0),
        ("路由器 WiFi6 AX3000", 299.0),
        ("移动固态硬盘 1TB", 459.0),
        ("头戴式降噪耳机", 499.0),
        ("智能手表 运动版", 599.0),
        ("电子阅读器 7英寸", 699.0),
        ("运动相机 4K", 899.0),
        ("投影仪 家用1080P", 999.0),
        ("扫地机器人", 1299.0),
    ),
}

# ---------------------------------------------------------------- titles
THEMES: dict[str, tuple[str, ...]] = {
    "R01": ("宝宝辅食节", "新手妈妈必囤", "纸尿裤囤货日", "秋冬宝宝护肤", "育儿好物分享", "会员专属福利",
            "开学季亲子好物"),
    "R02": ("秋冬底妆专场", "新品口红试色", "干皮亲妈粉底", "素颜感妆容教学", "宠粉福利夜", "大牌平替", "约会妆容"),
    "R03": ("开学数码装备", "耳机横评", "充电全家桶", "打工人桌搭", "新品开箱", "以旧换新", "游戏外设专场"),
}
TITLES: dict[str, tuple[str, ...]] = {
    "R01": ("【{md}】{theme}｜小鹿妈妈陪你挑", "{theme}·母婴好物限时秒杀", "{md} {theme} 宝妈福利直播"),
    "R02": ("【{md}】{theme}｜安琪在线试色", "{theme}·美妆直播间宠粉价", "{md} {theme} 限时福利"),
    "R03": ("【{md}】{theme}｜阿杰实测", "{theme}·数码好物直降", "{md} {theme} 工厂价直播"),
}

# --------------------------------------------------------- viewer attributes
# Provinces, weights roughly proportional to e-commerce population.
REGIONS: tuple[tuple[str, float], ...] = (
    ("广东", 12.0), ("浙江", 7.0), ("江苏", 8.0), ("山东", 7.0), ("河南", 6.5),
    ("四川", 5.5), ("湖北", 4.5), ("湖南", 4.5), ("河北", 4.5), ("福建", 4.0),
    ("上海", 4.0), ("北京", 3.5), ("安徽", 3.5), ("辽宁", 3.0), ("陕西", 3.0),
    ("江西", 2.8), ("重庆", 2.8), ("广西", 2.8), ("云南", 2.5), ("山西", 2.0),
    ("天津", 1.8), ("黑龙江", 1.8), ("吉林", 1.4), ("贵州", 1.8), ("内蒙古", 1.2),
    ("新疆", 1.0), ("甘肃", 1.0), ("海南", 0.8), ("宁夏", 0.4), ("青海", 0.3),
    ("西藏", 0.1),
)
GENDERS: tuple[str, ...] = ("女", "男")
AGE_BANDS: tuple[str, ...] = ("18-23", "24-30", "31-40", "41-50", "50+")
# audience -> (share female, age-band weights)
AUDIENCES: dict[str, tuple[float, tuple[float, ...]]] = {
    "mothers": (0.88, (0.06, 0.42, 0.40, 0.09, 0.03)),
    "young_women": (0.90, (0.34, 0.40, 0.18, 0.06, 0.02)),
    "young_men": (0.22, (0.30, 0.36, 0.23, 0.08, 0.03)),
}
MEMBER_TIERS: tuple[tuple[str, float], ...] = (("普通", 0.60), ("银卡", 0.25), ("金卡", 0.11), ("黑金", 0.04))

# -------------------------------------------------------------- comments
QUESTIONS_COMMON: tuple[str, ...] = (
    "这个多少钱？", "几号链接？", "什么时候发货？", "有优惠券吗？", "包邮吗？",
    "还有库存吗？", "怎么拍不了？", "能开发票吗？", "是正品吗？", "七天无理由吗？",
    "今天有赠品吗？", "链接在哪里？", "主播能再讲一下吗？", "可以叠加满减吗？",
)
QUESTIONS_ROOM: dict[str, tuple[str, ...]] = {
    "R01": ("宝宝几个月能用？", "新生儿能用吗？", "敏感肌宝宝能用吗？", "L码适合多重？", "奶粉是国行吗？",
            "保质期到什么时候？"),
    "R02": ("敏感肌能用吗？", "干皮适合吗？", "黄黑皮选哪个色号？", "持妆多久？", "油皮会斑驳吗？", "孕妇能用吗？"),
    "R03": ("支持以旧换新吗？", "保修多久？", "苹果手机能用吗？", "支持快充吗？", "续航多久？", "有现货吗？"),
}
REMARKS_COMMON: tuple[str, ...] = (
    "主播讲得好清楚", "已下单", "已拍，期待", "上次买的很好用", "来了来了", "好划算",
    "回购第三次了", "姐妹们冲", "物流很快", "刚下班赶上了", "讲解很专业", "支持支持",
    "包装很好看", "性价比很高", "等了好久终于上了", "给家人也买一份",
)
REMARKS_ROOM: dict[str, tuple[str, ...]] = {
    "R01": ("宝宝用了不红屁屁", "奶粉宝宝爱喝", "纸尿裤很薄很透气", "囤了两箱", "推车很轻好收"),
    "R02": ("这个色号好显白", "上脸很服帖", "不拔干", "持妆一整天", "试色好好看"),
    "R03": ("音质不错", "充电很快", "手感很好", "做工挺精致", "比官网便宜"),
}
SPAM: tuple[str, ...] = (
    "加V领福利 看我主页", "看我主页有惊喜", "私信我低价拿货", "兼职日结 加微信",
    "关注我带你赚钱", "主页有更便宜的", "代购正品 加V详聊", "点我头像领红包",
)
EMOJI_ONLY: tuple[str, ...] = (
    "😂😂", "👍👍👍", "[赞][赞]", "❤️❤️❤️", "🔥🔥", "[玫瑰][玫瑰]", "😍", "[比心]", "👏👏", "🌹",
)
# Short reactions the host asks for ("想要的扣1") — many users at once.
FLOOD: tuple[str, ...] = ("扣1", "1", "111", "想要", "要要要")

HOST_REPLIES: tuple[str, ...] = (
    "{n}号链接哦，{name}，今天直播间到手价{price}元",
    "宝子们，{name}在{n}号链接，拍下就是{price}元",
    "有的有的，{n}号链接，{name}，现在拍{price}元还有赠品",
    "今天下单48小时内发货，{n}号链接{name}",
    "放心拍，正品保障，七天无理由，{n}号链接",
)
HOST_REPLIES_GENERIC: tuple[str, ...] = (
    "正品保障，支持七天无理由退换哦",
    "今天下单48小时内发货",
    "可以的宝子，放心拍",
    "库存还有，抓紧哦",
    "优惠券在左上角，先领券再拍",
)

# -------------------------------------------------------------- incidents
INCIDENT_NOTES: tuple[str, ...] = (
    "画面卡顿：推流码率波动，切换备用线路后恢复",
    "卡顿：现场网络抖动，约两分钟后恢复",
    "画面卡顿，音画不同步，重启推流后恢复",
)

# ------------------------------------------------------------ experiments
EXPERIMENT_TEXT: dict[str, tuple[str, str]] = {
    "EXP-SCRIPT": ("话术A/B：福利话术 vs 痛点场景话术",
                   "话术B（先讲使用场景与痛点，再报价）能提高商品点击后的成交转化率"),
    "EXP-COUPON": ("优惠券展示：列表 vs 宫格",
                   "宫格式优惠券更醒目，能提高观看用户的下单率"),
    "EXP-CREATIVE": ("引流素材时长：15秒 vs 30秒 vs 60秒",
                     "30秒素材信息更完整，能提高直播间曝光后的进入率"),
    "EXP-SCENE": ("直播场景：实景仓库 vs 绿幕虚拟场景",
                  "实景仓库场景能延长人均观看时长"),
}
