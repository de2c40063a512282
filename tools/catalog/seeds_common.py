"""Seed lists shared by every region: regions and their service points,
departments, categories, materials and the action sets that make variants.

Every text is given as "zh-Hans|en|ug". zh-Hant is never written by hand:
the generator converts zh-Hans with OpenCC (s2t). The Uyghur (ug, Arabic
script, UEY) is this catalog's own glossary; see README.md.
"""

# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------
# Service points below district level: (zh, en, ug, kind, township code).
# kind: "street" 街道 (code 001-099), "town" 镇 (1xx), "township" 乡 (2xx),
# as the statistical division codes number them.

REGIONS = {
    "330106": {
        "languages": ["zh-Hans", "en"],
        "province": "33",
        "target": 5100,
        "seed": "palmgov-catalog-330106",
        "district": "杭州市西湖区|Xihu District, Hangzhou|خاڭجۇ شەھىرى شىخۇ رايونى",
        "short": "西湖区|Xihu District|شىخۇ رايونى",
        "center": "西湖区行政服务中心|Xihu District Administrative Service Centre|شىخۇ رايونلۇق مەمۇرىي مۇلازىمەت مەركىزى",
        "points": [
            ("北山街道", "Beishan Subdistrict", "بېيشەن كوچا باشقارمىسى", "street", 1),
            ("西溪街道", "Xixi Subdistrict", "شىشى كوچا باشقارمىسى", "street", 2),
            ("灵隐街道", "Lingyin Subdistrict", "لىڭيىن كوچا باشقارمىسى", "street", 3),
            ("翠苑街道", "Cuiyuan Subdistrict", "سۈيۈەن كوچا باشقارمىسى", "street", 4),
            ("文新街道", "Wenxin Subdistrict", "ۋېنشىن كوچا باشقارمىسى", "street", 5),
            ("古荡街道", "Gudang Subdistrict", "گۇداڭ كوچا باشقارمىسى", "street", 6),
            ("西湖街道", "Xihu Subdistrict", "شىخۇ كوچا باشقارمىسى", "street", 7),
            ("留下街道", "Liuxia Subdistrict", "لىيۇشيا كوچا باشقارمىسى", "street", 8),
            ("转塘街道", "Zhuantang Subdistrict", "جۇەنتاڭ كوچا باشقارمىسى", "street", 9),
            ("蒋村街道", "Jiangcun Subdistrict", "جياڭسۈن كوچا باشقارمىسى", "street", 10),
            ("三墩镇", "Sandun Town", "سەندۇن بازىرى", "town", 101),
            ("双浦镇", "Shuangpu Town", "شۇاڭپۇ بازىرى", "town", 102),
        ],
    },
    "440106": {
        "languages": ["zh-Hans", "zh-Hant", "en"],
        "province": "44",
        "target": 5318,
        "seed": "palmgov-catalog-440106",
        "district": "广州市天河区|Tianhe District, Guangzhou|گۇاڭجۇ شەھىرى تيەنخې رايونى",
        "short": "天河区|Tianhe District|تيەنخې رايونى",
        "center": "天河区政务服务中心|Tianhe District Government Service Centre|تيەنخې رايونلۇق ھۆكۈمەت ئىشلىرى مۇلازىمەت مەركىزى",
        "points": [
            ("五山街道", "Wushan Subdistrict", "ۋۇشەن كوچا باشقارمىسى", "street", 1),
            ("员村街道", "Yuancun Subdistrict", "يۈەنسۈن كوچا باشقارمىسى", "street", 2),
            ("车陂街道", "Chebei Subdistrict", "چېبېي كوچا باشقارمىسى", "street", 3),
            ("沙河街道", "Shahe Subdistrict", "شاخې كوچا باشقارمىسى", "street", 4),
            ("石牌街道", "Shipai Subdistrict", "شىپەي كوچا باشقارمىسى", "street", 5),
            ("沙东街道", "Shadong Subdistrict", "شادۇڭ كوچا باشقارمىسى", "street", 6),
            ("天河南街道", "Tianhenan Subdistrict", "تيەنخېنەن كوچا باشقارمىسى", "street", 7),
            ("林和街道", "Linhe Subdistrict", "لىنخې كوچا باشقارمىسى", "street", 8),
            ("兴华街道", "Xinghua Subdistrict", "شىڭخۇا كوچا باشقارمىسى", "street", 9),
            ("棠下街道", "Tangxia Subdistrict", "تاڭشيا كوچا باشقارمىسى", "street", 10),
            ("天园街道", "Tianyuan Subdistrict", "تيەنيۈەن كوچا باشقارمىسى", "street", 11),
            ("猎德街道", "Liede Subdistrict", "لىيېدې كوچا باشقارمىسى", "street", 12),
            ("冼村街道", "Xiancun Subdistrict", "شيەنسۈن كوچا باشقارمىسى", "street", 13),
            ("元岗街道", "Yuangang Subdistrict", "يۈەنگاڭ كوچا باشقارمىسى", "street", 14),
            ("黄村街道", "Huangcun Subdistrict", "خۇاڭسۈن كوچا باشقارمىسى", "street", 15),
            ("长兴街道", "Changxing Subdistrict", "چاڭشىڭ كوچا باشقارمىسى", "street", 16),
            ("龙洞街道", "Longdong Subdistrict", "لۇڭدۇڭ كوچا باشقارمىسى", "street", 17),
            ("凤凰街道", "Fenghuang Subdistrict", "فېڭخۇاڭ كوچا باشقارمىسى", "street", 18),
            ("前进街道", "Qianjin Subdistrict", "چيەنجىن كوچا باشقارمىسى", "street", 19),
            ("珠吉街道", "Zhuji Subdistrict", "جۇجى كوچا باشقارمىسى", "street", 20),
            ("新塘街道", "Xintang Subdistrict", "شىنتاڭ كوچا باشقارمىسى", "street", 21),
        ],
    },
    "653101": {
        "languages": ["ug", "zh-Hans"],
        "province": "65",
        "target": 5080,
        "seed": "palmgov-catalog-653101",
        "district": "喀什市|Kashgar City|قەشقەر شەھىرى",
        "short": "喀什市|Kashgar City|قەشقەر شەھىرى",
        "center": "喀什市政务服务中心|Kashgar City Government Service Centre|قەشقەر شەھەرلىك ھۆكۈمەت ئىشلىرى مۇلازىمەت مەركىزى",
        "points": [
            ("恰萨街道", "Chasa Subdistrict", "چاسا كوچا باشقارمىسى", "street", 1),
            ("亚瓦格街道", "Yawagh Subdistrict", "ياۋاغ كوچا باشقارمىسى", "street", 2),
            ("库木代尔瓦扎街道", "Qumderwaza Subdistrict", "قۇمدەرۋازا كوچا باشقارمىسى", "street", 3),
            ("吾斯塘博依街道", "Östengboyi Subdistrict", "ئۆستەڭبويى كوچا باشقارمىسى", "street", 4),
            ("乃则尔巴格镇", "Nezerbagh Town", "نەزەرباغ بازىرى", "town", 101),
            ("夏马勒巴格镇", "Shamalbagh Town", "شامالباغ بازىرى", "town", 102),
            ("浩罕乡", "Xoqan Township", "خوقان يېزىسى", "township", 201),
            ("色满乡", "Seman Township", "سەمەن يېزىسى", "township", 202),
            ("多来特巴格乡", "Döletbagh Township", "دۆلەتباغ يېزىسى", "township", 203),
            ("伯什克然木乡", "Beshkerem Township", "بەشكېرەم يېزىسى", "township", 204),
            ("帕哈太克里乡", "Paxtekli Township", "پاختەكلى يېزىسى", "township", 205),
            ("英吾斯坦乡", "Yéngiösteng Township", "يېڭىئۆستەڭ يېزىسى", "township", 206),
        ],
    },
}

# The office that runs a service point, by the point's kind.
POINT_OFFICE = {
    "street": "{d}{p}办事处|{p} Office, {de}|{pu}",
    "town": "{d}{p}人民政府|{p} People's Government, {de}|{pu} خەلق ھۆكۈمىتى",
    "township": "{d}{p}人民政府|{p} People's Government, {de}|{pu} خەلق ھۆكۈمىتى",
}
# The counter of a service point.
POINT_COUNTER = "{p}便民服务中心|{p} Community Service Centre|{pu} قولايلىق مۇلازىمەت مەركىزى"

# ---------------------------------------------------------------------------
# Departments
# ---------------------------------------------------------------------------
# key: (letter in the basic code, organ class in the credit code:
# "11" government organ, "12" public institution, "13" people's
# organisation; counter floor; names by region as "zh|en|ug").

DEPARTMENTS = {
    "police": ("A", "11", 1, {
        "330106": "杭州市公安局西湖区分局|Xihu Branch, Hangzhou Public Security Bureau|خاڭجۇ شەھەرلىك جامائەت خەۋپسىزلىك ئىدارىسى شىخۇ شۆبە ئىدارىسى",
        "440106": "广州市公安局天河区分局|Tianhe Branch, Guangzhou Public Security Bureau|گۇاڭجۇ شەھەرلىك جامائەت خەۋپسىزلىك ئىدارىسى تيەنخې شۆبە ئىدارىسى",
        "653101": "喀什市公安局|Kashgar City Public Security Bureau|قەشقەر شەھەرلىك جامائەت خەۋپسىزلىك ئىدارىسى",
    }),
    "traffic": ("A", "11", 1, {
        "330106": "杭州市公安局交通警察支队西湖大队|Xihu Brigade, Hangzhou Traffic Police|خاڭجۇ شەھەرلىك قاتناش ساقچى ئەترىتى شىخۇ چوڭ ئەترىتى",
        "440106": "广州市公安局交通警察支队天河大队|Tianhe Brigade, Guangzhou Traffic Police|گۇاڭجۇ شەھەرلىك قاتناش ساقچى ئەترىتى تيەنخې چوڭ ئەترىتى",
        "653101": "喀什市公安局交通警察大队|Kashgar City Traffic Police Brigade|قەشقەر شەھەرلىك جامائەت خەۋپسىزلىك ئىدارىسى قاتناش ساقچى چوڭ ئەترىتى",
    }),
    "hrss": ("B", "11", 2, {
        "330106": "杭州市西湖区人力资源和社会保障局|Xihu District Human Resources and Social Security Bureau|شىخۇ رايونلۇق كادىرلار بايلىقى ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
        "440106": "广州市天河区人力资源和社会保障局|Tianhe District Human Resources and Social Security Bureau|تيەنخې رايونلۇق كادىرلار بايلىقى ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
        "653101": "喀什市人力资源和社会保障局|Kashgar City Human Resources and Social Security Bureau|قەشقەر شەھەرلىك كادىرلار بايلىقى ۋە ئىجتىمائىي كاپالەت ئىدارىسى",
    }),
    "medins": ("C", "11", 2, {
        "330106": "杭州市医疗保障局西湖分局|Xihu Branch, Hangzhou Healthcare Security Administration|خاڭجۇ شەھەرلىك داۋالاش كاپالىتى ئىدارىسى شىخۇ شۆبە ئىدارىسى",
        "440106": "广州市天河区医疗保障局|Tianhe District Healthcare Security Administration|تيەنخې رايونلۇق داۋالاش كاپالىتى ئىدارىسى",
        "653101": "喀什市医疗保障局|Kashgar City Healthcare Security Administration|قەشقەر شەھەرلىك داۋالاش كاپالىتى ئىدارىسى",
    }),
    "civil": ("D", "11", 2, {
        "330106": "杭州市西湖区民政局|Xihu District Civil Affairs Bureau|شىخۇ رايونلۇق خەلق ئىشلىرى ئىدارىسى",
        "440106": "广州市天河区民政局|Tianhe District Civil Affairs Bureau|تيەنخې رايونلۇق خەلق ئىشلىرى ئىدارىسى",
        "653101": "喀什市民政局|Kashgar City Civil Affairs Bureau|قەشقەر شەھەرلىك خەلق ئىشلىرى ئىدارىسى",
    }),
    "health": ("E", "11", 3, {
        "330106": "杭州市西湖区卫生健康局|Xihu District Health Bureau|شىخۇ رايونلۇق سەھىيە ۋە ساغلاملىق ئىدارىسى",
        "440106": "广州市天河区卫生健康局|Tianhe District Health Bureau|تيەنخې رايونلۇق سەھىيە ۋە ساغلاملىق ئىدارىسى",
        "653101": "喀什市卫生健康委员会|Kashgar City Health Commission|قەشقەر شەھەرلىك سەھىيە ۋە ساغلاملىق كومىتېتى",
    }),
    "market": ("F", "11", 3, {
        "330106": "杭州市西湖区市场监督管理局|Xihu District Market Regulation Bureau|شىخۇ رايونلۇق بازار نازارەت باشقۇرۇش ئىدارىسى",
        "440106": "广州市天河区市场监督管理局|Tianhe District Market Regulation Bureau|تيەنخې رايونلۇق بازار نازارەت باشقۇرۇش ئىدارىسى",
        "653101": "喀什市市场监督管理局|Kashgar City Market Regulation Bureau|قەشقەر شەھەرلىك بازار نازارەت باشقۇرۇش ئىدارىسى",
    }),
    "tax": ("G", "11", 3, {
        "330106": "国家税务总局杭州市西湖区税务局|Xihu District Tax Bureau, State Taxation Administration|دۆلەت باج باش ئىدارىسى شىخۇ رايونلۇق باج ئىدارىسى",
        "440106": "国家税务总局广州市天河区税务局|Tianhe District Tax Bureau, State Taxation Administration|دۆلەت باج باش ئىدارىسى تيەنخې رايونلۇق باج ئىدارىسى",
        "653101": "国家税务总局喀什市税务局|Kashgar City Tax Bureau, State Taxation Administration|دۆلەت باج باش ئىدارىسى قەشقەر شەھەرلىك باج ئىدارىسى",
    }),
    "housing": ("H", "11", 4, {
        "330106": "杭州市西湖区住房和城乡建设局|Xihu District Housing and Urban-Rural Development Bureau|شىخۇ رايونلۇق تۇرالغۇ ۋە شەھەر-يېزا قۇرۇلۇش ئىدارىسى",
        "440106": "广州市天河区住房和城乡建设局|Tianhe District Housing and Urban-Rural Development Bureau|تيەنخې رايونلۇق تۇرالغۇ ۋە شەھەر-يېزا قۇرۇلۇش ئىدارىسى",
        "653101": "喀什市住房和城乡建设局|Kashgar City Housing and Urban-Rural Development Bureau|قەشقەر شەھەرلىك تۇرالغۇ ۋە شەھەر-يېزا قۇرۇلۇش ئىدارىسى",
    }),
    "hpf": ("J", "12", 4, {
        "330106": "杭州住房公积金管理中心西湖分中心|Xihu Office, Hangzhou Housing Provident Fund Centre|خاڭجۇ تۇرالغۇ جۇغلانما فوندى باشقۇرۇش مەركىزى شىخۇ شۆبە مەركىزى",
        "440106": "广州住房公积金管理中心天河管理部|Tianhe Office, Guangzhou Housing Provident Fund Centre|گۇاڭجۇ تۇرالغۇ جۇغلانما فوندى باشقۇرۇش مەركىزى تيەنخې باشقۇرۇش بۆلۈمى",
        "653101": "喀什地区住房公积金管理中心喀什市管理部|Kashgar City Office, Kashgar Prefecture Housing Provident Fund Centre|قەشقەر ۋىلايەتلىك تۇرالغۇ جۇغلانما فوندى باشقۇرۇش مەركىزى قەشقەر شەھەرلىك باشقۇرۇش بۆلۈمى",
    }),
    "realestate": ("K", "12", 4, {
        "330106": "杭州市不动产登记服务中心西湖分中心|Xihu Office, Hangzhou Real Estate Registration Centre|خاڭجۇ شەھەرلىك كۆچمەس مۈلۈك تىزىملاش مۇلازىمەت مەركىزى شىخۇ شۆبە مەركىزى",
        "440106": "广州市不动产登记中心天河区登记所|Tianhe Office, Guangzhou Real Estate Registration Centre|گۇاڭجۇ شەھەرلىك كۆچمەس مۈلۈك تىزىملاش مەركىزى تيەنخې رايونلۇق تىزىملاش ئورنى",
        "653101": "喀什市不动产登记中心|Kashgar City Real Estate Registration Centre|قەشقەر شەھەرلىك كۆچمەس مۈلۈك تىزىملاش مەركىزى",
    }),
    "nr": ("L", "11", 4, {
        "330106": "杭州市规划和自然资源局西湖分局|Xihu Branch, Hangzhou Planning and Natural Resources Bureau|خاڭجۇ شەھەرلىك پىلانلاش ۋە تەبىئىي بايلىق ئىدارىسى شىخۇ شۆبە ئىدارىسى",
        "440106": "广州市规划和自然资源局天河区分局|Tianhe Branch, Guangzhou Planning and Natural Resources Bureau|گۇاڭجۇ شەھەرلىك پىلانلاش ۋە تەبىئىي بايلىق ئىدارىسى تيەنخې شۆبە ئىدارىسى",
        "653101": "喀什市自然资源局|Kashgar City Natural Resources Bureau|قەشقەر شەھەرلىك تەبىئىي بايلىق ئىدارىسى",
    }),
    "edu": ("M", "11", 5, {
        "330106": "杭州市西湖区教育局|Xihu District Education Bureau|شىخۇ رايونلۇق مائارىپ ئىدارىسى",
        "440106": "广州市天河区教育局|Tianhe District Education Bureau|تيەنخې رايونلۇق مائارىپ ئىدارىسى",
        "653101": "喀什市教育局|Kashgar City Education Bureau|قەشقەر شەھەرلىك مائارىپ ئىدارىسى",
    }),
    "veterans": ("N", "11", 5, {
        "330106": "杭州市西湖区退役军人事务局|Xihu District Veterans Affairs Bureau|شىخۇ رايونلۇق ئەسكەرلىكتىن قايتقان ھەربىيلەر ئىشلىرى ئىدارىسى",
        "440106": "广州市天河区退役军人事务局|Tianhe District Veterans Affairs Bureau|تيەنخې رايونلۇق ئەسكەرلىكتىن قايتقان ھەربىيلەر ئىشلىرى ئىدارىسى",
        "653101": "喀什市退役军人事务局|Kashgar City Veterans Affairs Bureau|قەشقەر شەھەرلىك ئەسكەرلىكتىن قايتقان ھەربىيلەر ئىشلىرى ئىدارىسى",
    }),
    "dpf": ("P", "13", 5, {
        "330106": "杭州市西湖区残疾人联合会|Xihu District Disabled Persons' Federation|شىخۇ رايونلۇق مېيىپلار بىرلەشمىسى",
        "440106": "广州市天河区残疾人联合会|Tianhe District Disabled Persons' Federation|تيەنخې رايونلۇق مېيىپلار بىرلەشمىسى",
        "653101": "喀什市残疾人联合会|Kashgar City Disabled Persons' Federation|قەشقەر شەھەرلىك مېيىپلار بىرلەشمىسى",
    }),
    "agri": ("Q", "11", 6, {
        "330106": "杭州市西湖区农业农村局|Xihu District Agriculture and Rural Affairs Bureau|شىخۇ رايونلۇق يېزا ئىگىلىك ۋە يېزا ئىدارىسى",
        "440106": "广州市天河区农业农村局|Tianhe District Agriculture and Rural Affairs Bureau|تيەنخې رايونلۇق يېزا ئىگىلىك ۋە يېزا ئىدارىسى",
        "653101": "喀什市农业农村局|Kashgar City Agriculture and Rural Affairs Bureau|قەشقەر شەھەرلىك يېزا ئىگىلىك ۋە يېزا ئىدارىسى",
    }),
    "env": ("R", "11", 6, {
        "330106": "杭州市生态环境局西湖分局|Xihu Branch, Hangzhou Ecology and Environment Bureau|خاڭجۇ شەھەرلىك ئېكولوگىيە ۋە مۇھىت ئىدارىسى شىخۇ شۆبە ئىدارىسى",
        "440106": "广州市生态环境局天河分局|Tianhe Branch, Guangzhou Ecology and Environment Bureau|گۇاڭجۇ شەھەرلىك ئېكولوگىيە ۋە مۇھىت ئىدارىسى تيەنخې شۆبە ئىدارىسى",
        "653101": "喀什地区生态环境局喀什市分局|Kashgar City Branch, Kashgar Prefecture Ecology and Environment Bureau|قەشقەر ۋىلايەتلىك ئېكولوگىيە ۋە مۇھىت ئىدارىسى قەشقەر شەھەرلىك شۆبە ئىدارىسى",
    }),
    "culture": ("S", "11", 6, {
        "330106": "杭州市西湖区文化和广电旅游体育局|Xihu District Culture, Radio, Television, Tourism and Sports Bureau|شىخۇ رايونلۇق مەدەنىيەت، رادىيو-تېلېۋىزىيە، ساياھەت ۋە تەنتەربىيە ئىدارىسى",
        "440106": "广州市天河区文化广电旅游体育局|Tianhe District Culture, Radio, Television, Tourism and Sports Bureau|تيەنخې رايونلۇق مەدەنىيەت، رادىيو-تېلېۋىزىيە، ساياھەت ۋە تەنتەربىيە ئىدارىسى",
        "653101": "喀什市文化体育广播电视和旅游局|Kashgar City Culture, Sports, Radio, Television and Tourism Bureau|قەشقەر شەھەرلىك مەدەنىيەت، تەنتەربىيە، رادىيو-تېلېۋىزىيە ۋە ساياھەت ئىدارىسى",
    }),
    "justice": ("T", "11", 7, {
        "330106": "杭州市西湖区司法局|Xihu District Justice Bureau|شىخۇ رايونلۇق ئەدلىيە ئىدارىسى",
        "440106": "广州市天河区司法局|Tianhe District Justice Bureau|تيەنخې رايونلۇق ئەدلىيە ئىدارىسى",
        "653101": "喀什市司法局|Kashgar City Justice Bureau|قەشقەر شەھەرلىك ئەدلىيە ئىدارىسى",
    }),
    "emergency": ("U", "11", 7, {
        "330106": "杭州市西湖区应急管理局|Xihu District Emergency Management Bureau|شىخۇ رايونلۇق جىددىي ئىشلارنى باشقۇرۇش ئىدارىسى",
        "440106": "广州市天河区应急管理局|Tianhe District Emergency Management Bureau|تيەنخې رايونلۇق جىددىي ئىشلارنى باشقۇرۇش ئىدارىسى",
        "653101": "喀什市应急管理局|Kashgar City Emergency Management Bureau|قەشقەر شەھەرلىك جىددىي ئىشلارنى باشقۇرۇش ئىدارىسى",
    }),
    "transport": ("W", "11", 7, {
        "330106": "杭州市西湖区交通运输局|Xihu District Transport Bureau|شىخۇ رايونلۇق قاتناش-تىرانسپورت ئىدارىسى",
        "440106": "广州市天河区交通运输局|Tianhe District Transport Bureau|تيەنخې رايونلۇق قاتناش-تىرانسپورت ئىدارىسى",
        "653101": "喀什市交通运输局|Kashgar City Transport Bureau|قەشقەر شەھەرلىك قاتناش-تىرانسپورت ئىدارىسى",
    }),
    "water": ("X", "11", 7, {
        "330106": "杭州市西湖区林业水利局|Xihu District Forestry and Water Resources Bureau|شىخۇ رايونلۇق ئورمانچىلىق ۋە سۇ ئىشلىرى ئىدارىسى",
        "440106": "广州市天河区水务局|Tianhe District Water Affairs Bureau|تيەنخې رايونلۇق سۇ ئىشلىرى ئىدارىسى",
        "653101": "喀什市水利局|Kashgar City Water Resources Bureau|قەشقەر شەھەرلىك سۇ ئىشلىرى ئىدارىسى",
    }),
    "urban": ("Y", "11", 7, {
        "330106": "杭州市西湖区城市管理局|Xihu District Urban Management Bureau|شىخۇ رايونلۇق شەھەر باشقۇرۇش ئىدارىسى",
        "440106": "广州市天河区城市管理和综合执法局|Tianhe District Urban Management and Law Enforcement Bureau|تيەنخې رايونلۇق شەھەر باشقۇرۇش ۋە ئۇنىۋېرسال قانۇن ئىجرا قىلىش ئىدارىسى",
        "653101": "喀什市城市管理局|Kashgar City Urban Management Bureau|قەشقەر شەھەرلىك شەھەر باشقۇرۇش ئىدارىسى",
    }),
    "commerce": ("Z", "11", 8, {
        "330106": "杭州市西湖区商务局|Xihu District Commerce Bureau|شىخۇ رايونلۇق سودا ئىدارىسى",
        "440106": "广州市天河区商务局|Tianhe District Commerce Bureau|تيەنخې رايونلۇق سودا ئىدارىسى",
        "653101": "喀什市商务局|Kashgar City Commerce Bureau|قەشقەر شەھەرلىك سودا ئىدارىسى",
    }),
    "tobacco": ("Z", "11", 8, {
        "330106": "杭州市西湖区烟草专卖局|Xihu District Tobacco Monopoly Bureau|شىخۇ رايونلۇق تاماكا مونوپول ئىدارىسى",
        "440106": "广州市天河区烟草专卖局|Tianhe District Tobacco Monopoly Bureau|تيەنخې رايونلۇق تاماكا مونوپول ئىدارىسى",
        "653101": "喀什市烟草专卖局|Kashgar City Tobacco Monopoly Bureau|قەشقەر شەھەرلىك تاماكا مونوپول ئىدارىسى",
    }),
    "fire": ("U", "11", 8, {
        "330106": "杭州市西湖区消防救援大队|Xihu District Fire and Rescue Brigade|شىخۇ رايونلۇق ئوت ئۆچۈرۈش-قۇتقۇزۇش چوڭ ئەترىتى",
        "440106": "广州市天河区消防救援大队|Tianhe District Fire and Rescue Brigade|تيەنخې رايونلۇق ئوت ئۆچۈرۈش-قۇتقۇزۇش چوڭ ئەترىتى",
        "653101": "喀什市消防救援大队|Kashgar City Fire and Rescue Brigade|قەشقەر شەھەرلىك ئوت ئۆچۈرۈش-قۇتقۇزۇش چوڭ ئەترىتى",
    }),
    "archives": ("V", "12", 8, {
        "330106": "杭州市西湖区档案馆|Xihu District Archives|شىخۇ رايونلۇق ئارخىپخانا",
        "440106": "广州市天河区档案馆|Tianhe District Archives|تيەنخې رايونلۇق ئارخىپخانا",
        "653101": "喀什市档案馆|Kashgar City Archives|قەشقەر شەھەرلىك ئارخىپخانا",
    }),
    "water_supply": ("X", "91", 1, {
        "330106": "杭州市水务集团有限公司|Hangzhou Water Group|خاڭجۇ شەھەرلىك سۇ ئىشلىرى گۇرۇھى",
        "440106": "广州市自来水有限公司|Guangzhou Water Supply Company|گۇاڭجۇ شەھەرلىك ئۆي سۈيى شىركىتى",
        "653101": "喀什市供排水有限责任公司|Kashgar City Water Supply and Drainage Company|قەشقەر شەھەرلىك سۇ تەمىنلەش ۋە سۇ چىقىرىش شىركىتى",
    }),
    "power": ("Y", "91", 1, {
        "330106": "国网浙江省电力有限公司杭州供电公司|State Grid Hangzhou Power Supply Company|دۆلەت ئېلېكتر تورى خاڭجۇ توك بىلەن تەمىنلەش شىركىتى",
        "440106": "广东电网有限责任公司广州供电局|Guangzhou Power Supply Bureau, Guangdong Power Grid|گۇاڭدۇڭ ئېلېكتر تورى گۇاڭجۇ توك بىلەن تەمىنلەش ئىدارىسى",
        "653101": "国网新疆电力有限公司喀什供电公司|State Grid Kashgar Power Supply Company|دۆلەت ئېلېكتر تورى قەشقەر توك بىلەن تەمىنلەش شىركىتى",
    }),
    "gas": ("Y", "91", 1, {
        "330106": "杭州市燃气集团有限公司|Hangzhou Gas Group|خاڭجۇ شەھەرلىك تەبىئىي گاز گۇرۇھى",
        "440106": "广州燃气集团有限公司|Guangzhou Gas Group|گۇاڭجۇ تەبىئىي گاز گۇرۇھى",
        "653101": "喀什市燃气有限公司|Kashgar City Gas Company|قەشقەر شەھەرلىك تەبىئىي گاز شىركىتى",
    }),
}

# Where a department's counters are, by department: "zh|en|ug" added to
# the region's service centre, or a hall of its own.
COUNTERS = {
    "police": "公安综合窗口|public security counters|جامائەت خەۋپسىزلىكى ئۇنىۋېرسال كۆزنىكى",
    "traffic": "车驾管窗口|vehicle and driver counters|ماشىنا ۋە شوپۇر باشقۇرۇش كۆزنىكى",
    "hrss": "人力社保窗口|human resources and social security counters|كادىرلار بايلىقى ۋە ئىجتىمائىي كاپالەت كۆزنىكى",
    "medins": "医保窗口|medical insurance counters|داۋالاش كاپالىتى كۆزنىكى",
    "civil": "民政窗口|civil affairs counters|خەلق ئىشلىرى كۆزنىكى",
    "health": "卫生健康窗口|health counters|سەھىيە كۆزنىكى",
    "market": "商事登记窗口|business registration counters|سودا تىزىملىتىش كۆزنىكى",
    "tax": "税务窗口|tax counters|باج كۆزنىكى",
    "housing": "住房建设窗口|housing and construction counters|تۇرالغۇ ۋە قۇرۇلۇش كۆزنىكى",
    "hpf": "公积金窗口|provident fund counters|جۇغلانما فوند كۆزنىكى",
    "realestate": "不动产登记窗口|real estate registration counters|كۆچمەس مۈلۈك تىزىملاش كۆزنىكى",
    "nr": "规划资源窗口|planning and land counters|پىلانلاش ۋە بايلىق كۆزنىكى",
    "edu": "教育窗口|education counters|مائارىپ كۆزنىكى",
    "veterans": "退役军人服务窗口|veterans' counters|ئەسكەرلىكتىن قايتقانلار مۇلازىمەت كۆزنىكى",
    "dpf": "残联窗口|disability counters|مېيىپلار بىرلەشمىسى كۆزنىكى",
    "agri": "农业农村窗口|agriculture counters|يېزا ئىگىلىك كۆزنىكى",
    "env": "生态环境窗口|environment counters|ئېكولوگىيە ۋە مۇھىت كۆزنىكى",
    "culture": "文旅体育窗口|culture and tourism counters|مەدەنىيەت ۋە ساياھەت كۆزنىكى",
    "justice": "公共法律服务窗口|public legal service counters|ئاممىۋى قانۇن مۇلازىمىتى كۆزنىكى",
    "emergency": "应急管理窗口|emergency management counters|جىددىي ئىشلار كۆزنىكى",
    "transport": "交通运输窗口|transport counters|قاتناش-تىرانسپورت كۆزنىكى",
    "water": "水务窗口|water counters|سۇ ئىشلىرى كۆزنىكى",
    "urban": "城市管理窗口|urban management counters|شەھەر باشقۇرۇش كۆزنىكى",
    "commerce": "商务窗口|commerce counters|سودا كۆزنىكى",
    "tobacco": "烟草专卖窗口|tobacco licence counters|تاماكا مونوپول كۆزنىكى",
    "fire": "消防窗口|fire safety counters|ئوت ئۆچۈرۈش كۆزنىكى",
    "archives": "档案查询窗口|archive counters|ئارخىپ سۈرۈشتۈرۈش كۆزنىكى",
    "water_supply": "供水服务窗口|water supply counter|سۇ تەمىنلەش مۇلازىمەت كۆزنىكى",
    "power": "供电服务窗口|electricity counter|توك تەمىنلەش مۇلازىمەت كۆزنىكى",
    "gas": "燃气服务窗口|gas counter|تەبىئىي گاز مۇلازىمەت كۆزنىكى",
}

# ---------------------------------------------------------------------------
# Categories
# ---------------------------------------------------------------------------

CATEGORIES = [
    ("household", "户籍办理|Household registration|نوپۇس ئىشلىرى"),
    ("identity", "身份证件|Identity cards|كىملىك ئىشلىرى"),
    ("exit_entry", "出入境|Exit and entry|چېگرىدىن چىقىش-كىرىش"),
    ("traffic", "驾驶与车辆|Driving and vehicles|ماشىنا ھەيدەش ۋە قاتناش ۋاسىتىلىرى"),
    ("public_order", "治安管理|Public order|جەمئىيەت ئامانلىقى باشقۇرۇش"),
    ("social_security", "社会保险|Social insurance|ئىجتىمائىي سۇغۇرتا"),
    ("employment", "就业创业|Jobs and start-ups|ئىشقا ئورۇنلىشىش ۋە ئىگىلىك تىكلەش"),
    ("labour", "劳动维权|Labour rights|ئەمگەك ھوقۇقىنى قوغداش"),
    ("medical_insurance", "医疗保障|Medical insurance|داۋالاش كاپالىتى"),
    ("social_assistance", "社会救助|Social assistance|ئىجتىمائىي قۇتقۇزۇش"),
    ("marriage", "婚姻收养|Marriage and adoption|نىكاھ ۋە بالا بېقىۋېلىش"),
    ("elderly", "养老服务|Elderly care|ياشانغانلارغا مۇلازىمەت"),
    ("funeral", "殡葬服务|Funeral services|دەپنە مۇلازىمىتى"),
    ("social_org", "社会组织|Social organisations|ئىجتىمائىي تەشكىلاتلار"),
    ("health", "医疗卫生|Health|سەھىيە ۋە ساغلاملىق"),
    ("family", "生育服务|Childbirth and family|تۇغۇت مۇلازىمىتى"),
    ("business", "市场主体|Businesses|بازار گەۋدىلىرى"),
    ("food_drug", "食品药品|Food and medicine|يېمەكلىك ۋە دورا"),
    ("tax", "税费服务|Taxes and fees|باج-ھەق مۇلازىمىتى"),
    ("housing", "住房保障|Housing|تۇرالغۇ كاپالىتى"),
    ("housing_fund", "住房公积金|Housing provident fund|تۇرالغۇ جۇغلانما فوندى"),
    ("real_estate", "不动产登记|Real estate registration|كۆچمەس مۈلۈك تىزىملىتىش"),
    ("planning", "规划建设|Planning and construction|پىلانلاش ۋە قۇرۇلۇش"),
    ("education", "教育服务|Education|مائارىپ مۇلازىمىتى"),
    ("veterans", "退役军人|Veterans|ئەسكەرلىكتىن قايتقان ھەربىيلەر"),
    ("disability", "残疾人服务|Disability services|مېيىپلارغا مۇلازىمەت"),
    ("agriculture", "农业农村|Agriculture and villages|يېزا ئىگىلىك ۋە يېزا"),
    ("environment", "生态环境|Environment|ئېكولوگىيىلىك مۇھىت"),
    ("culture", "文化旅游体育|Culture, tourism and sport|مەدەنىيەت، ساياھەت ۋە تەنتەربىيە"),
    ("justice", "法律服务|Legal services|قانۇن مۇلازىمىتى"),
    ("safety", "应急安全|Emergency and safety|جىددىي ئىشلار ۋە بىخەتەرلىك"),
    ("transport", "交通运输|Transport|قاتناش-تىرانسپورت"),
    ("urban", "城市管理|City management|شەھەر باشقۇرۇش"),
    ("archives", "档案查询|Archives|ئارخىپ سۈرۈشتۈرۈش"),
]

# ---------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------
# key: ("zh|en|ug", flags, licence). flags: f = an online form answers it,
# p = a photo or scan is accepted, o = the original must be shown; a digit
# is the number of copies (1 when absent).

MATERIALS = {
    "id_card": ("居民身份证|Resident identity card|ئاھالىلەر كىملىكى", "po", "id_card"),
    "hukou": ("户口簿|Household register|نوپۇس دەپتىرى", "po", "household_register"),
    "drv": ("机动车驾驶证|Driving licence|ماشىنا ھەيدەش كىنىشكىسى", "po", "driving_licence"),
    "res_permit": ("居住证|Residence permit|تۇرالغۇ كىنىشكىسى", "po", "residence_permit"),
    "ss_card": ("社会保障卡|Social security card|ئىجتىمائىي كاپالەت كارتىسى", "po", "social_security_card"),
    "biz_lic": ("营业执照|Business licence|تىجارەت كىنىشكىسى", "po", "business_licence"),
    "guardian_id": ("监护人居民身份证|Guardian's resident identity card|ۋەسىينىڭ ئاھالىلەر كىملىكى", "po", "id_card"),
    "parent_hukou": ("父母户口簿|Parents' household register|ئاتا-ئانىنىڭ نوپۇس دەپتىرى", "po", "household_register"),
    "legal_rep_id": ("法定代表人居民身份证|Legal representative's resident identity card|قانۇنىي ۋەكىلنىڭ ئاھالىلەر كىملىكى", "po", "id_card"),
    "agent_id": ("代理人居民身份证|Agent's resident identity card|ۋاكالەتچىنىڭ ئاھالىلەر كىملىكى", "po", None),
    "photo": ("近期免冠照片|Recent bareheaded photo|يېقىندا تارتقان باش كىيىمسىز سۈرەت", "p2", None),
    "couple_photo": ("双方近期半身免冠合影照片|Recent joint photo of the couple|ئىككى تەرەپنىڭ يېقىندا بىرلىكتە چۈشكەن باش كىيىمسىز سۈرىتى", "p3", None),
    "app_form": ("申请表|Application form|ئىلتىماس جەدۋىلى", "f", None),
    "reg_form": ("登记表|Registration form|تىزىملاش جەدۋىلى", "f", None),
    "change_form": ("变更登记表|Change registration form|ئۆزگەرتىش تىزىملاش جەدۋىلى", "f", None),
    "cancel_form": ("注销申请表|Cancellation application form|ئەمەلدىن قالدۇرۇش ئىلتىماس جەدۋىلى", "f", None),
    "commit_letter": ("告知承诺书|Signed commitment letter|ۋەدە خېتى", "f", None),
    "loss_statement": ("遗失声明|Declaration of loss|يوقاتقانلىق باياناتى", "f", None),
    "household_income": ("家庭经济状况申报表|Household finances declaration|ئائىلە ئىقتىسادىي ئەھۋالىنى مەلۇم قىلىش جەدۋىلى", "f", None),
    "marriage_statement": ("申请结婚登记声明书|Declaration for marriage registration|نىكاھ تىزىملىتىش ئىلتىماس باياناتى", "f", None),
    "marriage_cert": ("结婚证|Marriage certificate|نىكاھ گۇۋاھنامىسى", "po", None),
    "divorce_cert": ("离婚证|Divorce certificate|ئاجرىشىش گۇۋاھنامىسى", "po", None),
    "divorce_agreement": ("离婚协议书|Divorce agreement|ئاجرىشىش كېلىشىمنامىسى", "o3", None),
    "birth_med": ("出生医学证明|Medical birth certificate|تۇغۇلۇش تېببىي ئىسپاتى", "po", None),
    "death_med": ("死亡医学证明|Medical death certificate|ۋاپات تېببىي ئىسپاتى", "po", None),
    "mig_cert": ("户口迁移证明|Household transfer certificate|نوپۇس يۆتكەش ئىسپاتى", "o", None),
    "kin_proof": ("亲属关系证明|Proof of kinship|تۇغقانچىلىق مۇناسىۋىتى ئىسپاتى", "p", None),
    "adoption_cert": ("收养登记证|Adoption registration certificate|بالا بېقىۋېلىش تىزىملىتىش گۇۋاھنامىسى", "po", None),
    "property": ("不动产权证书|Real estate title certificate|كۆچمەس مۈلۈك ھوقۇق گۇۋاھنامىسى", "po", None),
    "house_proof": ("房屋产权证明|Proof of home ownership|ئۆي مۈلۈك ھوقۇقى ئىسپاتى", "p", None),
    "lease": ("房屋租赁合同|Housing lease contract|ئۆي ئىجارە توختامى", "p", None),
    "purchase": ("商品房买卖合同|Home purchase contract|تاۋار ئۆي سېتىۋېلىش توختامى", "p", None),
    "deed_tax": ("契税完税凭证|Deed tax receipt|ھۆججەت بېجى تاپشۇرغانلىق ئىسپاتى", "p", None),
    "income": ("收入证明|Proof of income|كىرىم ئىسپاتى", "p", None),
    "bank_card": ("本人银行卡|Own bank card|ئۆزىنىڭ بانكا كارتىسى", "p", None),
    "bank_stmt": ("银行流水|Bank statement|بانكا ھېسابات تالونى", "p", None),
    "labour_contract": ("劳动合同|Employment contract|ئەمگەك توختامى", "p", None),
    "termination": ("解除劳动关系证明|Proof of terminated employment|ئەمگەك مۇناسىۋىتىنى بىكار قىلىش ئىسپاتى", "p", None),
    "graduation": ("毕业证书|Graduation certificate|ئوقۇش پۈتتۈرۈش گۇۋاھنامىسى", "po", None),
    "degree": ("学位证书|Degree certificate|ئۇنۋان گۇۋاھنامىسى", "po", None),
    "enroll_notice": ("录取通知书|Admission letter|قوبۇل قىلىش ئۇقتۇرۇشى", "po", None),
    "school_proof": ("学籍证明|Proof of student status|ئوقۇغۇچىلىق سالاھىيىتى ئىسپاتى", "p", None),
    "talent_proof": ("人才认定证明|Talent certification|ئىختىساسلىقلارنى بېكىتىش ئىسپاتى", "p", None),
    "title_cert": ("专业技术资格证书|Professional title certificate|كەسپىي تېخنىكا سالاھىيەت گۇۋاھنامىسى", "po", None),
    "discharge": ("退出现役证|Discharge certificate|ھەربىي سەپتىن چېكىنىش گۇۋاھنامىسى", "po", None),
    "army_notice": ("入伍通知书|Enlistment notice|ئەسكەرلىككە ئېلىنىش ئۇقتۇرۇشى", "po", None),
    "veteran_card": ("退役军人优待证|Veteran privilege card|ئەسكەرلىكتىن قايتقان ھەربىيلەر ئېتىبار كىنىشكىسى", "po", None),
    "disab_cert": ("残疾人证|Disability certificate|مېيىپلار كىنىشكىسى", "po", None),
    "disab_assess": ("残疾评定表|Disability assessment form|مېيىپلىق دەرىجىسىنى باھالاش جەدۋىلى", "p", None),
    "elder_card": ("老年人优待证|Senior citizens' privilege card|ياشانغانلار ئېتىبار كىنىشكىسى", "po", None),
    "med_record": ("病历资料|Medical records|كېسەللىك تارىخى ماتېرىيالى", "p", None),
    "med_invoice": ("医疗费用票据|Medical expense receipts|داۋالىنىش خىراجىتى تالونى", "o", None),
    "med_list": ("费用明细清单|Itemised bill|خىراجەت تەپسىلىي تىزىملىكى", "p", None),
    "diagnosis": ("诊断证明|Diagnosis certificate|دىئاگنوز ئىسپاتى", "p", None),
    "hosp_summary": ("出院小结|Discharge summary|دوختۇرخانىدىن چىقىش خۇلاسىسى", "p", None),
    "vaccination": ("预防接种证|Vaccination record|ئالدىنى ئېلىش ئەملەش كىنىشكىسى", "po", None),
    "health_cert": ("健康证明|Health certificate|سالامەتلىك ئىسپاتى", "p", None),
    "body_check": ("身体条件证明|Medical fitness certificate|بەدەن ئەھۋالى ئىسپاتى", "p", None),
    "authorization": ("授权委托书|Power of attorney|ھوقۇق بېرىش ۋەكالەتنامىسى", "o", None),
    "court_doc": ("人民法院法律文书|Court judgment or ruling|خەلق سوت مەھكىمىسىنىڭ قانۇنىي ھۆججىتى", "po", None),
    "death_proof": ("死亡证明|Death certificate|ۋاپات ئىسپاتى", "po", None),
    "cremation": ("火化证明|Cremation certificate|جەسەت كۆيدۈرۈش ئىسپاتى", "p", None),
    "inheritance": ("继承权公证书|Notarised inheritance certificate|مىراس ھوقۇقى نوتارىئال گۇۋاھنامىسى", "po", None),
    "release_cert": ("释放证明书|Certificate of release|قويۇپ بېرىلگەنلىك ئىسپاتى", "po", None),
    "passport": ("护照|Passport|پاسپورت", "po", None),
    "hkmo_permit": ("往来港澳通行证|Exit-entry permit for Hong Kong and Macao|شياڭگاڭ ۋە ئاۋمېنغا بېرىپ-كېلىش يول خېتى", "po", None),
    "tw_permit": ("往来台湾通行证|Exit-entry permit for Taiwan|تەيۋەنگە بېرىپ-كېلىش يول خېتى", "po", None),
    "vehicle_cert": ("机动车登记证书|Vehicle registration certificate|موتورلۇق قاتناش ۋاسىتىسى تىزىملىتىش گۇۋاھنامىسى", "o", None),
    "vehicle_lic": ("机动车行驶证|Vehicle licence|موتورلۇق قاتناش ۋاسىتىسى يۈرۈش كىنىشكىسى", "po", None),
    "vehicle_invoice": ("购车发票|Vehicle purchase invoice|ماشىنا سېتىۋېلىش فاكتۇراسى", "po", None),
    "vehicle_insurance": ("交强险保单|Compulsory traffic insurance policy|مەجبۇرىي قاتناش سۇغۇرتىسى ھۆججىتى", "p", None),
    "vehicle_inspection": ("安全技术检验合格证明|Vehicle safety inspection certificate|بىخەتەرلىك تېخنىكىسى تەكشۈرۈشتىن ئۆتكەنلىك ئىسپاتى", "p", None),
    "ebike_cert": ("电动自行车产品合格证|E-bike product certificate|ئېلېكتر ۋېلىسىپىت مەھسۇلات سالاھىيەت گۇۋاھنامىسى", "po", None),
    "articles": ("公司章程|Articles of association|شىركەت نىزامنامىسى", "p", None),
    "shareholder_id": ("股东主体资格证明|Shareholders' identity documents|پاي ئىگىلىرىنىڭ سالاھىيەت ئىسپاتى", "p", None),
    "premises": ("经营场所证明|Proof of business premises|تىجارەت ئورنى ئىسپاتى", "p", None),
    "resolution": ("股东会决议|Shareholders' resolution|پاي ئىگىلىرى يىغىنىنىڭ قارارى", "p", None),
    "food_rules": ("食品安全管理制度|Food safety management rules|يېمەكلىك بىخەتەرلىكىنى باشقۇرۇش تۈزۈمى", "p", None),
    "layout": ("经营设施布局图|Floor plan of the premises|تىجارەت ئەسلىھەلىرىنىڭ ئورۇنلاشتۇرۇش سىزمىسى", "p", None),
    "staff_health": ("从业人员健康证明|Staff health certificates|خىزمەتچىلەرنىڭ سالامەتلىك ئىسپاتى", "p", None),
    "licence_orig": ("许可证正副本|Licence, original and duplicate|ئىجازەتنامىنىڭ ئەسلى ۋە قوشۇمچە نۇسخىسى", "o", None),
    "safety_rules": ("安全管理制度|Safety management rules|بىخەتەرلىك باشقۇرۇش تۈزۈمى", "p", None),
    "qualification": ("资格证书|Qualification certificate|سالاھىيەت گۇۋاھنامىسى", "po", None),
    "practice_cert": ("执业证书|Practising certificate|كەسپىي ئىجازەت گۇۋاھنامىسى", "po", None),
    "training": ("培训合格证明|Training certificate|تەربىيەلىنىشتىن ئۆتكەنلىك ئىسپاتى", "p", None),
    "health_check": ("体检报告|Medical examination report|بەدەن تەكشۈرۈش دوكلاتى", "p", None),
    "tax_return": ("纳税申报表|Tax return|باج مەلۇم قىلىش جەدۋىلى", "f", None),
    "invoice": ("发票|Invoice|فاكتۇرا", "p", None),
    "contract": ("合同协议|Contract|توختام", "p", None),
    "loan_contract": ("借款合同|Loan contract|قەرز توختامى", "p", None),
    "repay_proof": ("还款凭证|Repayment records|قەرز قايتۇرۇش ئىسپاتى", "p", None),
    "ss_record": ("社会保险缴费证明|Social insurance contribution record|ئىجتىمائىي سۇغۇرتا پۇلى تاپشۇرۇش ئىسپاتى", "p", None),
    "residence_proof": ("居住证明|Residence certificate|تۇرالغۇ ئىسپاتى", "p", None),
    "land_doc": ("土地权属证明|Proof of land rights|يەر ھوقۇقى ئىسپاتى", "p", None),
    "design_plan": ("建设工程设计方案|Construction design plan|قۇرۇلۇش لايىھە پىلانى", "p", None),
    "site_map": ("项目位置图|Site location map|تۈر ئورنى خەرىتىسى", "p", None),
    "env_report": ("环境影响报告|Environmental impact report|مۇھىتقا كۆرسىتىدىغان تەسىر دوكلاتى", "p", None),
    "farm_contract": ("土地承包合同|Land contract|يەر ھۆددە توختامى", "p", None),
    "animal_proof": ("动物免疫证明|Animal vaccination certificate|ھايۋان ئەملەش ئىسپاتى", "p", None),
    "vehicle_photo": ("车辆照片|Photos of the vehicle|قاتناش ۋاسىتىسىنىڭ سۈرىتى", "p", None),
    "machine_invoice": ("农机购置发票|Farm machinery purchase invoice|يېزا ئىگىلىك ماشىنىسى سېتىۋېلىش فاكتۇراسى", "po", None),
    "school_notice": ("入学登记表|School enrolment form|مەكتەپكە كىرىش تىزىملاش جەدۋىلى", "f", None),
    "title_form": ("职称评审表|Title assessment form|كەسپىي ئۇنۋان باھالاش جەدۋىلى", "f", None),
    "work_proof": ("工作证明|Employment certificate|خىزمەت ئىسپاتى", "p", None),
    "injury_proof": ("受伤害经过说明|Account of the injury|يارىلىنىش جەريانى چۈشەندۈرۈشى", "p", None),
    "arbitration_form": ("仲裁申请书|Arbitration application|كېسىم ئىلتىماسنامىسى", "f2", None),
    "evidence": ("证据材料|Evidence|ئىسپات ماتېرىياللىرى", "p", None),
    "complaint_form": ("投诉书|Written complaint|ئەرز خېتى", "f", None),
    "pension_form": ("待遇申领表|Benefit claim form|تەمىنات ئىلتىماس جەدۋىلى", "f", None),
    "archive_form": ("档案查阅申请表|Archive request form|ئارخىپ كۆرۈش ئىلتىماس جەدۋىلى", "f", None),
    "hk_id": ("港澳台居民身份证明|Hong Kong, Macao or Taiwan identity document|شياڭگاڭ، ئاۋمېن، تەيۋەن ئاھالىلىرىنىڭ سالاھىيەت ئىسپاتى", "po", None),
    "foreign_passport": ("外国人护照|Foreign passport|چەت ئەللىكنىڭ پاسپورتى", "po", None),
    "invitation": ("邀请函|Letter of invitation|تەكلىپنامە", "p", None),
    "dog_proof": ("犬只免疫证明|Dog vaccination certificate|ئىت ئەملەش ئىسپاتى", "p", None),
    "dog_photo": ("犬只照片|Photo of the dog|ئىتنىڭ سۈرىتى", "p", None),
    "seal_sample": ("印章印模|Seal impression|تامغا نۇسخىسى", "p", None),
    "notary_form": ("公证申请表|Notarisation application form|نوتارىئال ئىسپاتلاش ئىلتىماس جەدۋىلى", "f", None),
    "original_doc": ("需公证的文书原件|Original of the document to notarise|نوتارىئال ئىسپاتلىنىدىغان ھۆججەتنىڭ ئەسلى نۇسخىسى", "o", None),
    "vehicle_tax": ("车辆购置税完税证明|Vehicle purchase tax receipt|قاتناش ۋاسىتىسى سېتىۋېلىش بېجى تاپشۇرغانلىق ئىسپاتى", "p", None),
}

# ---------------------------------------------------------------------------
# Action sets: each variant "zh|en|ug" of a base service.
# ---------------------------------------------------------------------------

ACTIONS = {
    "LIC": [
        "新办|new|يېڭىدىن بېجىرىش",
        "变更|change|ئۆزگەرتىش",
        "延续|renewal|مۇددىتىنى ئۇزارتىش",
        "注销|cancellation|ئەمەلدىن قالدۇرۇش",
        "补办|reissue|قايتا بېجىرىش",
    ],
    "REG": [
        "设立|establishment|تەسىس قىلىش",
        "变更|change|ئۆزگەرتىش",
        "注销|cancellation|ئەمەلدىن قالدۇرۇش",
    ],
    "FIL": [
        "备案|filing|ئەنگە ئالدۇرۇش",
        "变更备案|change filing|ئۆزگەرتىشنى ئەنگە ئالدۇرۇش",
        "注销备案|cancellation filing|ئەمەلدىن قالدۇرۇشنى ئەنگە ئالدۇرۇش",
    ],
    "CARD": [
        "申领|application|ئىلتىماس قىلىش",
        "换领|renewal|ئالماشتۇرۇش",
        "补领|replacement|تولۇقلاپ ئېلىش",
    ],
    "CERT": [
        "申领|application|ئىلتىماس قىلىش",
        "换证|renewal|كىنىشكە ئالماشتۇرۇش",
        "补证|replacement|كىنىشكىنى قايتا بېجىرىش",
        "注销|cancellation|ئەمەلدىن قالدۇرۇش",
    ],
    "PRAC": [
        "首次注册|first registration|تۇنجى قېتىم تىزىملىتىش",
        "变更注册|change of registration|تىزىملىتىشنى ئۆزگەرتىش",
        "延续注册|renewed registration|تىزىملىتىش مۇددىتىنى ئۇزارتىش",
        "注销注册|cancelled registration|تىزىملىتىشنى ئەمەلدىن قالدۇرۇش",
    ],
    "BEN": [
        "申请|application|ئىلتىماس قىلىش",
        "变更|change|ئۆزگەرتىش",
        "终止|termination|ئاخىرلاشتۇرۇش",
    ],
    "TAX": [
        "更正申报|corrected filing|تۈزىتىپ مەلۇم قىلىش",
        "延期申报|deferred filing|كېچىكتۈرۈپ مەلۇم قىلىش",
    ],
    "UTIL": [
        "新装|new connection|يېڭىدىن ئۇلاش",
        "过户|change of account holder|ئىگىسىنى ئۆزگەرتىش",
        "增容|more capacity|سىغىمىنى ئاشۇرۇش",
        "更名|change of name|نامىنى ئۆزگەرتىش",
        "销户|closing the account|ھېساباتنى ئەمەلدىن قالدۇرۇش",
    ],
}
# How much demand each action of a set draws, relative to the base.
ACTION_WEIGHTS = [0.55, 0.35, 0.3, 0.2, 0.15, 0.12]
