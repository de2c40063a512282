"""The golden query set (regions/catalog-golden.json): what a resident
types and the ONE service they most plausibly want, chosen by hand as a
person would (usually the hottest service the words point at), never by
running a search engine. The expected service is named by its zh-Hans
name and resolved to its code in that region's generated catalog; a name
that does not exist there fails the build.

Kinds: characters (Chinese characters of the name, in order: 社保 for
社会保障卡), pinyin (full, no
spaces), initials (pinyin initials), everyday (a colloquial word the
synonym table covers), traditional (440106, Traditional characters, for
services that publish no zh-Hant name), uyghur (653101, words from the
Uyghur names), keyword (a word from a service's keywords).
"""

from pypinyin import Style, lazy_pinyin

# (region, lang, query, kind, expected service's zh-Hans name, why)
QUERIES = [
    # ---- 330106 杭州市西湖区 -------------------------------------------------
    ("330106", "zh-Hans", "身份证", "characters", "居民身份证换领", ""),
    ("330106", "zh-Hans", "护照", "characters", "普通护照签发", ""),
    ("330106", "zh-Hans", "户口", "characters", "户口迁移", "the most asked household matter"),
    ("330106", "zh-Hans", "社保", "characters", "社会保障卡申领", "社保 = 社会保障; the card is what most ask for"),
    ("330106", "zh-Hans", "医保", "characters", "城乡居民基本医疗保险参保登记", "joining medical insurance"),
    ("330106", "zh-Hans", "出生", "characters", "出生登记", ""),
    ("330106", "zh-Hans", "居住证", "characters", "居住证", ""),
    ("330106", "zh-Hans", "电动自行车", "characters", "电动自行车登记", ""),
    ("330106", "zh-Hans", "shenfenzheng", "pinyin", "居民身份证换领", ""),
    ("330106", "zh-Hans", "gongjijin", "pinyin", "住房公积金提取", ""),
    ("330106", "zh-Hans", "hukouqianyi", "pinyin", "户口迁移", ""),
    ("330106", "zh-Hans", "changqijuzhu", "pinyin", "异地就医备案（异地长期居住人员）", "长 read chang"),
    ("330106", "zh-Hans", "tiaojie", "pinyin", "人民调解申请", "调 read tiao"),
    ("330106", "zh-Hans", "xingshizheng", "pinyin", "补领机动车行驶证", "行 read xing"),
    ("330106", "zh-Hans", "sfz", "initials", "居民身份证换领", ""),
    ("330106", "zh-Hans", "hkqy", "initials", "户口迁移", ""),
    ("330106", "zh-Hans", "gjjtq", "initials", "住房公积金提取", ""),
    ("330106", "zh-Hans", "csdj", "initials", "出生登记", ""),
    ("330106", "zh-Hans", "ydjy", "initials", "异地就医备案", ""),
    ("330106", "zh-Hans", "低保", "everyday", "最低生活保障", ""),
    ("330106", "zh-Hans", "社保卡", "everyday", "社会保障卡申领", ""),
    ("330106", "zh-Hans", "退伍", "everyday", "退役军人优待证申领", "the veterans' service most ask for"),
    ("330106", "zh-Hans", "驾照", "everyday", "机动车驾驶证换证", ""),
    ("330106", "zh-Hans", "公积金", "everyday", "住房公积金提取", ""),
    ("330106", "zh-Hans", "准生证", "everyday", "生育登记", ""),
    ("330106", "zh-Hans", "户口本", "everyday", "户口簿补换领", "a lost or worn booklet"),
    ("330106", "zh-Hans", "老年证", "everyday", "老年人优待证", ""),
    ("330106", "zh-Hans", "结婚", "everyday", "内地居民结婚登记", ""),
    ("330106", "zh-Hans", "违章", "everyday", "交通违法处理", ""),
    ("330106", "zh-Hans", "个税", "everyday", "个人所得税综合所得汇算清缴", ""),
    ("330106", "zh-Hans", "电瓶车", "everyday", "电动自行车登记", ""),
    ("330106", "zh-Hans", "良民证", "everyday", "无犯罪记录证明开具", ""),
    ("330106", "zh-Hans", "养老金", "everyday", "企业职工基本养老保险待遇申领", "drawing a pension on retirement"),
    ("330106", "zh-Hans", "健康证", "everyday", "从业人员预防性健康检查", ""),
    ("330106", "zh-Hans", "退休", "keyword", "企业职工基本养老保险待遇申领", ""),
    ("330106", "zh-Hans", "上小学", "keyword", "义务教育入学报名", ""),
    ("330106", "zh-Hans", "开饭店", "keyword", "食品经营许可", ""),
    ("330106", "zh-Hans", "身份证丢了", "keyword", "居民身份证补领", ""),
    ("330106", "zh-Hans", "租房备案", "keyword", "房屋租赁登记备案", ""),
    # ---- 440106 广州市天河区 -------------------------------------------------
    ("440106", "zh-Hans", "身份证", "characters", "居民身份证换领", ""),
    ("440106", "zh-Hans", "港澳", "characters", "往来港澳通行证签发", ""),
    ("440106", "zh-Hans", "公积金提取", "characters", "住房公积金提取", ""),
    ("440106", "zh-Hans", "户口", "characters", "户口迁移", ""),
    ("440106", "zh-Hans", "社保", "characters", "社会保障卡申领", ""),
    ("440106", "zh-Hans", "护照", "characters", "普通护照签发", ""),
    ("440106", "zh-Hans", "gangaotongxingzheng", "pinyin", "往来港澳通行证签发", ""),
    ("440106", "zh-Hans", "shenfenzheng", "pinyin", "居民身份证换领", ""),
    ("440106", "zh-Hans", "zhufanggongjijin", "pinyin", "住房公积金提取", ""),
    ("440106", "zh-Hans", "huankuan", "pinyin", "住房公积金贷款提前还款", "还 read huan"),
    ("440106", "zh-Hans", "gatxz", "initials", "往来港澳通行证签发", ""),
    ("440106", "zh-Hans", "sfz", "initials", "居民身份证换领", ""),
    ("440106", "zh-Hans", "jhdj", "initials", "内地居民结婚登记", ""),
    ("440106", "zh-Hans", "港澳通行证", "everyday", "往来港澳通行证签发", ""),
    ("440106", "zh-Hans", "低保", "everyday", "最低生活保障", ""),
    ("440106", "zh-Hans", "驾照", "everyday", "机动车驾驶证换证", ""),
    ("440106", "zh-Hans", "医保卡", "everyday", "社会保障卡申领", ""),
    ("440106", "zh-Hans", "搵工", "everyday", "求职登记", "Cantonese: looking for work"),
    ("440106", "zh-Hans", "公租房", "everyday", "公共租赁住房申请", ""),
    ("440106", "zh-Hans", "网约车", "everyday", "网络预约出租汽车驾驶员证", ""),
    ("440106", "zh-Hant", "身份證", "traditional", "居民身份证换领", ""),
    ("440106", "zh-Hant", "住房公積金", "traditional", "住房公积金提取", ""),
    ("440106", "zh-Hant", "出生登記", "traditional", "出生登记", ""),
    ("440106", "zh-Hant", "結婚登記", "traditional", "内地居民结婚登记", ""),
    ("440106", "zh-Hant", "護照", "traditional", "普通护照签发", ""),
    ("440106", "zh-Hant", "港澳通行證", "traditional", "往来港澳通行证签发", ""),
    ("440106", "zh-Hant", "居住證", "traditional", "居住证", ""),
    ("440106", "zh-Hant", "駕駛證換證", "traditional", "机动车驾驶证换证", ""),
    ("440106", "zh-Hant", "異地就醫", "traditional", "异地就医备案", ""),
    ("440106", "zh-Hant", "臨時身份證", "traditional", "临时居民身份证申领", ""),
    ("440106", "zh-Hant", "無犯罪記錄證明", "traditional", "无犯罪记录证明开具", ""),
    ("440106", "zh-Hant", "死亡註銷", "traditional", "死亡注销户口", ""),
    ("440106", "zh-Hans", "去香港", "keyword", "往来港澳通行证签注", "each trip needs an endorsement"),
    ("440106", "zh-Hans", "开公司", "keyword", "企业设立登记", ""),
    ("440106", "zh-Hans", "异地看病", "keyword", "异地就医备案", ""),
    # ---- 653101 喀什市 ------------------------------------------------------
    ("653101", "ug", "كىملىك", "uyghur", "居民身份证换领", "ID card"),
    ("653101", "ug", "پاسپورت", "uyghur", "普通护照签发", "passport"),
    ("653101", "ug", "نوپۇس يۆتكەش", "uyghur", "户口迁移", "household transfer"),
    ("653101", "ug", "ئىجتىمائىي كاپالەت كارتىسى", "uyghur", "社会保障卡申领", "social security card"),
    ("653101", "ug", "ئەڭ تۆۋەن تۇرمۇش", "uyghur", "最低生活保障", "minimum living allowance"),
    ("653101", "ug", "نىكاھ", "uyghur", "内地居民结婚登记", "marriage"),
    ("653101", "ug", "جۇغلانما فوند", "uyghur", "住房公积金提取", "provident fund"),
    ("653101", "ug", "ماشىنا ھەيدەش", "uyghur", "机动车驾驶证换证", "driving"),
    ("653101", "ug", "تۇغۇلۇش تىزىملىتىش", "uyghur", "出生登记", "birth registration"),
    ("653101", "ug", "مېيىپلار كىنىشكىسى", "uyghur", "残疾人证", "disability certificate"),
    ("653101", "ug", "تۇرالغۇ كىنىشكىسى", "uyghur", "居住证", "residence permit"),
    ("653101", "ug", "ئېتىبار كىنىشكىسى", "uyghur", "老年人优待证", "privilege card: most holders are older people"),
    ("653101", "ug", "چېگرا", "uyghur", "边境管理区通行证", "border"),
    ("653101", "ug", "ئىسسىنىش", "uyghur", "冬季取暖补贴", "heating"),
    ("653101", "ug", "ئىشسىزلىق", "uyghur", "失业保险金申领", "unemployment"),
    ("653101", "ug", "پېنسىيە", "everyday", "企业职工基本养老保险待遇申领", "pension"),
    ("653101", "ug", "سۇغۇرتا كارتىسى", "everyday", "社会保障卡申领", "insurance card"),
    ("653101", "ug", "توي", "everyday", "内地居民结婚登记", "wedding"),
    ("653101", "zh-Hans", "身份证", "characters", "居民身份证换领", ""),
    ("653101", "zh-Hans", "边境", "characters", "边境管理区通行证", ""),
    ("653101", "zh-Hans", "拖拉机", "characters", "拖拉机和联合收割机登记", ""),
    ("653101", "zh-Hans", "shenfenzheng", "pinyin", "居民身份证换领", ""),
    ("653101", "zh-Hans", "sbk", "initials", "社会保障卡申领", "社保卡"),
    ("653101", "zh-Hans", "边防证", "everyday", "边境管理区通行证", ""),
    ("653101", "zh-Hans", "低保", "everyday", "最低生活保障", ""),
    ("653101", "zh-Hans", "种粮补贴", "keyword", "耕地地力保护补贴", ""),
    ("653101", "zh-Hans", "取暖费", "keyword", "冬季取暖补贴", ""),
]


def _in_order(query, text):
    rest = iter(text)
    return all(c in rest for c in query)


def _initials(text):
    return "".join(s[0] for s in lazy_pinyin(text, style=Style.NORMAL) if s and s[0].isalpha())


def resolve(indexes):
    """QUERIES with each expected name turned into the region's code,
    checked against the catalog it points into."""
    out = []
    for region, lang, query, kind, name, why in QUERIES:
        idx = indexes[region]
        hits = [s for s in idx["services"] if s["names"]["zh-Hans"] == name]
        assert len(hits) == 1, f"{region}: no single service named {name!r}"
        s = hits[0]
        words = {w["word"]: w["terms"] for w in idx["synonyms"]}
        zh = s["names"]["zh-Hans"]
        if kind == "characters":
            # typed characters of the name, in order (社保 for 社会保障)
            assert _in_order(query, zh), (region, query, zh)
        elif kind == "pinyin":
            assert query in s["pinyin"].replace(" ", ""), (region, query, s["pinyin"])
        elif kind == "initials":
            ok = query in _initials(zh) or any(_initials(w) == query for w in words)
            assert ok, (region, query, zh)
        elif kind == "everyday":
            assert query in words and any(t in zh or t in s["names"].get("ug", "") for t in words[query]), \
                (region, query, zh)
        elif kind == "traditional":
            assert region == "440106" and "zh-Hant" not in s["names"], (region, query, zh)
            pairs = idx["traditional"]
            table = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}
            simplified = "".join(table.get(c, c) for c in query)
            assert _in_order(simplified, zh) or simplified in words, (region, query, simplified, zh)
        elif kind == "uyghur":
            assert query in s["names"]["ug"], (region, query, s["names"]["ug"])
        elif kind == "keyword":
            assert any(query in k for k in s["keywords"]), (region, query, s["keywords"])
        else:
            raise AssertionError(kind)
        out.append({"region": region, "lang": lang, "query": query, "kind": kind, "expect": s["code"],
                    "why": zh + (f": {why}" if why else "")})
    return out
