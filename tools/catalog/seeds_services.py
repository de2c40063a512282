"""The base services (事项) every region's catalog is built from.

Each entry is one item of the basic catalog with its sub-cases (业务办理项
or 情形) and actions; the generator expands them into the listed services
(see README.md). Texts are "zh-Hans|en|ug"; a sub-case may add
"|keyword|material,material".

Item types (the third character of the basic code):
1 行政许可, 2 行政给付, 3 行政确认, 4 行政奖励, 5 行政裁决,
6 其他行政权力, 7 公共服务.
"""

XK, JF, QR, JL, CJ, QT, GG = 1, 2, 3, 4, 5, 6, 7

SERVICES = []


def S(name, dept, cat, typ, pop, kw, mats, fee=0, days=0, ch="oc", subs=(),
      acts=None, street=None, only=None, skip=None, pop_r=None, form=False,
      key=None, local=False):
    SERVICES.append({
        "name": name, "dept": dept, "cat": cat, "type": typ, "pop": pop,
        "kw": kw, "mats": mats, "fee": fee, "days": days, "ch": ch,
        "subs": list(subs), "acts": acts, "street": street, "only": only,
        "skip": skip, "pop_r": pop_r or {}, "form": form,
        "key": key or name.split("|")[0], "local": local,
    })


# ===========================================================================
# 公安 户籍 household registration
# ===========================================================================
S("出生登记|Birth registration|تۇغۇلۇش تىزىملىتىش", "police", "household", QR, 940,
  ["上户口", "新生儿落户", "报户口"], ["birth_med", "hukou", "id_card", "marriage_cert", "app_form"],
  ch="ocg", street="police", subs=[
    "婚生子女|child born in wedlock|نىكاھلىق پەرزەنت",
    "非婚生子女|child born out of wedlock|نىكاھسىز تۇغۇلغان پەرزەنت",
    "收养子女|adopted child|بېقىۋالغان پەرزەنت||adoption_cert",
    "国外出生子女|child born abroad|چەت ئەلدە تۇغۇلغان پەرزەنت||passport",
    "超过一年未申报出生登记|birth not registered within a year|بىر يىلدىن ئاشقۇچە تۇغۇلۇش تىزىملاتمىغان",
    "随父随母自主选择落户|registering with either parent|ئاتا ياكى ئانىسىنىڭ نوپۇسىغا ئۆزى تاللاپ تىزىملىتىش",
  ])
S("户口迁移|Household registration transfer|نوپۇس يۆتكەش", "police", "household", QR, 950,
  ["迁户口", "落户", "户口迁入"], ["id_card", "hukou", "app_form", "photo"],
  street="police", subs=[
    "夫妻投靠|joining a spouse|ئەر-ئايالنىڭ بىرىگە تايىنىپ يۆتكىلىش|投靠|marriage_cert",
    "子女投靠父母|children joining parents|پەرزەنتلەرنىڭ ئاتا-ئانىسىغا تايىنىپ يۆتكىلىشى|投靠|kin_proof",
    "父母投靠子女|parents joining children|ئاتا-ئانىنىڭ پەرزەنتلىرىگە تايىنىپ يۆتكىلىشى|投靠|kin_proof",
    "人才引进|recruited talent|ئىختىساسلىقلارنى جەلپ قىلىش|人才落户|talent_proof,graduation",
    "购房落户|settling after buying a home|ئۆي سېتىۋېلىپ نوپۇسقا ئالدۇرۇش|买房落户|property",
    "大中专院校毕业生|college graduates|ئالىي ۋە ئوتتۇرا تېخنىكومنى پۈتتۈرگەنلەر|毕业生落户|graduation",
    "大中专院校录取新生|newly admitted students|ئالىي ۋە ئوتتۇرا تېخنىكومغا قوبۇل قىلىنغان يېڭى ئوقۇغۇچىلار||enroll_notice",
    "退役士兵|discharged soldiers|ئەسكەرلىكتىن قايتقان لەشكەرلەر||discharge",
    "投资创业|investors and founders|مەبلەغ سېلىپ ئىگىلىك تىكلىگۈچىلەر||biz_lic",
    "租赁住房落户|settling in rented housing|ئىجارە ئۆيدە نوپۇسقا ئالدۇرۇش|租房落户|lease",
    "集体户口迁入|moving into a collective household|كوللېكتىپ نوپۇسقا يۆتكىلىش",
    "刑满释放人员|released prisoners|جازا مۇددىتى توشۇپ قويۇپ بېرىلگەنلەر||release_cert",
    "跨省迁移一站式办理|one-stop cross-province transfer|ئۆلكىلەر ئارا يۆتكەشنى بىر بېكەتتە بېجىرىش|跨省通办",
    "省内迁移|transfer within the province|ئۆلكە ئىچىدە يۆتكەش",
    "军人随军家属|family members joining servicemen|ھەربىيلەرگە ئەگىشىپ يۆتكىلىدىغان ئائىلە تەۋەلىرى||marriage_cert",
    "港澳台居民回内地定居|Hong Kong, Macao and Taiwan residents settling on the mainland|شياڭگاڭ، ئاۋمېن، تەيۋەن ئاھالىلىرىنىڭ ئىچكىرىدە ئولتۇراقلىشىشى||hk_id",
    "华侨回国定居|overseas Chinese returning to settle|چەت ئەلدىكى جۇڭگولۇقلارنىڭ ۋەتەنگە قايتىپ ئولتۇراقلىشىشى||passport",
  ])
S("户口迁出|Moving household registration out|نوپۇسنى كۆچۈرۈپ چىقىش", "police", "household", QR, 600,
  ["迁出户口", "户口外迁"], ["id_card", "hukou", "app_form"],
  street="police", subs=[
    "省内迁出|within the province|ئۆلكە ئىچىگە كۆچۈرۈپ چىقىش",
    "跨省迁出|to another province|باشقا ئۆلكىگە كۆچۈرۈپ چىقىش",
    "升学迁出|for university admission|ئالىي مەكتەپكە كىرىش ئۈچۈن كۆچۈرۈپ چىقىش||enroll_notice",
  ])
S("死亡注销户口|Cancelling household registration after a death|ۋاپات بولغانلارنىڭ نوپۇسىنى ئەمەلدىن قالدۇرۇش",
  "police", "household", QR, 700, ["销户", "人去世", "身后事"], ["death_med", "hukou", "id_card", "agent_id"],
  ch="ocg", street="police", subs=[
    "正常死亡|natural death|تەبىئىي ۋاپات",
    "非正常死亡|unnatural death|نورمالسىز ۋاپات||death_proof",
    "宣告死亡|declared dead by a court|سوت تەرىپىدىن ۋاپات بولدى دەپ جاكارلانغان||court_doc",
  ])
S("出国（境）定居注销户口|Cancelling registration when settling abroad|چەت ئەلدە ئولتۇراقلاشقاندا نوپۇسنى ئەمەلدىن قالدۇرۇش",
  "police", "household", QR, 150, ["定居国外", "销户"], ["hukou", "id_card", "passport", "app_form"])
S("参军入伍注销户口|Cancelling registration on enlistment|ئەسكەرلىككە ئېلىنغاندا نوپۇسنى ئەمەلدىن قالدۇرۇش",
  "police", "household", QR, 110, ["当兵", "参军"], ["hukou", "id_card", "army_notice"])
S("分户|Splitting a household|ئائىلە ئايرىش", "police", "household", QR, 420,
  ["分户口", "单独立户"], ["hukou", "id_card", "house_proof", "app_form"],
  street="police", subs=[
    "婚后分户|after marriage|توي قىلغاندىن كېيىن ئايرىلىش||marriage_cert",
    "成年子女分户|adult children|قۇرامىغا يەتكەن پەرزەنتلەرنىڭ ئايرىلىشى",
    "购房分户|after buying a home|ئۆي سېتىۋالغاندىن كېيىن ئايرىلىش||property",
  ])
S("立户|Setting up a new household|يېڭى ئائىلە قۇرۇش", "police", "household", QR, 260,
  ["新立户", "户主"], ["id_card", "house_proof", "app_form"], street="police")
S("户籍信息变更更正|Changing or correcting household registration details|نوپۇس ئۇچۇرىنى ئۆزگەرتىش ۋە تۈزىتىش",
  "police", "household", QR, 450, ["改名字", "户口本信息更正"], ["hukou", "id_card", "app_form"],
  street="police", subs=[
    "姓名变更|change of name|ئىسىمنى ئۆزگەرتىش|改名",
    "出生日期更正|correcting date of birth|تۇغۇلغان ۋاقىتنى تۈزىتىش|改年龄",
    "民族成份变更|change of ethnic group|مىللىي تەركىبنى ئۆزگەرتىش",
    "性别变更|change of sex|جىنسنى ئۆزگەرتىش",
    "文化程度变更|change of education level|مەدەنىيەت سەۋىيىسىنى ئۆزگەرتىش||graduation",
    "婚姻状况变更|change of marital status|نىكاھ ئەھۋالىنى ئۆزگەرتىش||marriage_cert",
    "服务处所变更|change of employer|خىزمەت ئورنىنى ئۆزگەرتىش",
    "公民身份号码更正|correcting the citizen ID number|پۇقرالىق كىملىك نومۇرىنى تۈزىتىش",
    "曾用名登记|recording a former name|ئىلگىرىكى ئىسىمنى تىزىملىتىش",
    "出生地更正|correcting place of birth|تۇغۇلغان جاينى تۈزىتىش",
  ])
S("户籍证明开具|Household registration certificate|نوپۇس ئىسپاتى بېرىش", "police", "household", QR, 520,
  ["户籍证明", "开证明", "户口证明"], ["id_card", "hukou", "app_form"], ch="ocg", street="police", form=True,
  subs=[
    "亲属关系证明|proof of kinship|تۇغقانچىلىق مۇناسىۋىتى ئىسپاتى",
    "注销户口证明|proof of cancelled registration|نوپۇس ئەمەلدىن قالدۇرۇلغانلىق ئىسپاتى",
    "户籍信息证明|proof of household details|نوپۇس ئۇچۇرى ئىسپاتى",
    "曾用名证明|proof of a former name|ئىلگىرىكى ئىسىم ئىسپاتى",
    "同一人证明|proof of being the same person|بىر ئادەم ئىكەنلىك ئىسپاتى",
  ])
S("恢复户口|Restoring household registration|نوپۇسنى ئەسلىگە كەلتۈرۈش", "police", "household", QR, 130,
  ["恢复户籍"], ["id_card", "app_form", "hukou"],
  street="police", subs=[
    "刑满释放恢复户口|after release from prison|جازا مۇددىتى توشقاندىن كېيىن||release_cert",
    "回国恢复户口|after returning from abroad|ۋەتەنگە قايتقاندىن كېيىن||passport",
    "退役恢复户口|after military service|ھەربىي سەپتىن چېكىنگەندىن كېيىن||discharge",
  ])
S("户口簿补换领|Replacing the household register booklet|نوپۇس دەپتىرىنى ئالماشتۇرۇش ۋە تولۇقلاش",
  "police", "household", QR, 330, ["户口本丢了", "户口本补办"], ["id_card", "app_form"],
  street="police", subs=["补领|lost booklet|يوقاتقاندا تولۇقلاپ ئېلىش||loss_statement", "换领|worn booklet|كونىراپ كەتكەندە ئالماشتۇرۇش||hukou"])
S("居住登记|Residence registration|تۇرالغۇ تىزىملىتىش", "police", "household", QR, 560,
  ["暂住登记", "流动人口登记", "外地人登记"], ["id_card", "lease", "reg_form"], ch="ocg", street="all")
S("居住证|Residence permit|تۇرالغۇ كىنىشكىسى", "police", "household", QR, 800,
  ["居住证办理", "暂住证", "新居民"], ["id_card", "lease", "photo", "app_form"], days=15, ch="ocg",
  street="all", form=True, subs=[
    "申领|application|ئىلتىماس قىلىش",
    "签注|annual endorsement|يىللىق ئىزاھات||res_permit",
    "换领|renewal|ئالماشتۇرۇش||res_permit",
    "补领|replacement|تولۇقلاپ ئېلىش||loss_statement",
    "信息变更|change of details|ئۇچۇرنى ئۆزگەرتىش||res_permit",
  ])
S("居住证明开具|Residence certificate|تۇرالغۇ ئىسپاتى بېرىش", "police", "household", QR, 470,
  ["居住证明", "开证明", "住址证明"], ["id_card", "lease", "app_form"], ch="ocg", street="all", form=True,
  subs=[
    "子女入学|for a child's school place|پەرزەنتنىڭ مەكتەپكە كىرىشى ئۈچۈن|入学证明",
    "就业|for employment|ئىشقا ئورۇنلىشىش ئۈچۈن",
    "社保办理|for social security|ئىجتىمائىي كاپالەت بېجىرىش ئۈچۈن",
  ])
S("集体户口挂靠|Registering in a collective household|كوللېكتىپ نوپۇسقا تىزىملىتىش", "police", "household", QR, 160,
  ["集体户", "人才市场户口"], ["id_card", "labour_contract", "app_form"])

# ===========================================================================
# 公安 居民身份证 identity cards
# ===========================================================================
S("居民身份证首次申领|First application for a resident identity card|ئاھالىلەر كىملىكىنى تۇنجى قېتىم ئىلتىماس قىلىش",
  "police", "identity", QR, 800, ["身份证办理", "第一次办身份证", "小孩身份证"], ["hukou", "guardian_id", "app_form"],
  fee=2000, days=15, ch="c", street="police", subs=[
    "未满十六周岁|under sixteen|16 ياشقا توشمىغانلار",
    "年满十六周岁|sixteen and over|16 ياشقا توشقانلار",
  ])
S("居民身份证换领|Renewing a resident identity card|ئاھالىلەر كىملىكىنى ئالماشتۇرۇش", "police", "identity", QR, 990,
  ["身份证到期", "身份证换证", "换身份证"], ["id_card", "hukou", "app_form"], fee=2000, days=15, ch="oc",
  street="police", subs=[
    "有效期满换领|on expiry|ئىناۋەتلىك مۇددىتى توشقاندا",
    "损坏换领|damaged card|بۇزۇلۇپ كەتكەندە",
    "登记项目变更换领|changed details|تىزىملىتىلغان ئۇچۇر ئۆزگەرگەندە",
    "异地换领|outside the place of registration|نوپۇس جايىدىن باشقا جايدا|跨省通办",
  ])
S("居民身份证补领|Replacing a lost resident identity card|ئاھالىلەر كىملىكىنى تولۇقلاپ ئېلىش", "police", "identity", QR, 880,
  ["身份证丢了", "身份证补办", "补身份证"], ["hukou", "app_form"], fee=2000, days=15, ch="oc",
  street="police", subs=[
    "遗失补领|lost card|يوقاتقاندا",
    "被盗补领|stolen card|ئوغرىلانغاندا",
    "异地补领|outside the place of registration|نوپۇس جايىدىن باشقا جايدا|跨省通办",
  ])
S("临时居民身份证申领|Temporary resident identity card|ۋاقىتلىق ئاھالىلەر كىملىكى ئىلتىماس قىلىش", "police", "identity", QR, 620,
  ["临时身份证", "坐飞机身份证"], ["hukou", "photo", "app_form"], fee=1000, days=1, ch="c", street="police")
S("居民身份证挂失申报|Reporting a lost identity card|ئاھالىلەر كىملىكىنى يوقاتقانلىقىنى مەلۇم قىلىش", "police", "identity", QR, 360,
  ["身份证挂失", "身份证被偷"], ["hukou", "loss_statement"], ch="oc", street="police")
S("居民身份证领取|Collecting a resident identity card|ئاھالىلەر كىملىكىنى تاپشۇرۇۋېلىش", "police", "identity", GG, 420,
  ["领身份证", "身份证邮寄"], ["id_card"], ch="oc", subs=[
    "窗口领取|at the counter|كۆزنەكتىن ئېلىش", "邮寄送达|by post|پوچتا ئارقىلىق يەتكۈزۈش"], street="police")

# ===========================================================================
# 公安 出入境 exit and entry
# ===========================================================================
S("普通护照签发|Ordinary passport|ئادەتتىكى پاسپورت بېرىش", "police", "exit_entry", XK, 850,
  ["办护照", "出国护照"], ["id_card", "photo", "app_form"], fee=12000, days=7, ch="oc",
  pop_r={"653101": 380}, subs=[
    "首次申请|first application|تۇنجى قېتىم ئىلتىماس قىلىش",
    "换发|renewal|ئالماشتۇرۇپ بېرىش||passport",
    "补发|replacement|قايتا بېرىش||loss_statement",
    "加注|amendment|قوشۇمچە ئىزاھات||passport",
  ])
S("往来港澳通行证签发|Exit-entry permit for Hong Kong and Macao|شياڭگاڭ ۋە ئاۋمېنغا بېرىپ-كېلىش يول خېتى بېرىش",
  "police", "exit_entry", XK, 820, ["港澳通行证", "去香港", "去澳门"], ["id_card", "photo", "app_form"],
  fee=6000, days=7, pop_r={"653101": 300, "440106": 880}, subs=[
    "首次申请|first application|تۇنجى قېتىم ئىلتىماس قىلىش",
    "换发|renewal|ئالماشتۇرۇپ بېرىش||hkmo_permit",
    "补发|replacement|قايتا بېرىش||loss_statement",
  ])
S("往来港澳通行证签注|Hong Kong and Macao travel endorsement|شياڭگاڭ ۋە ئاۋمېنغا بېرىش ئىزاھاتى",
  "police", "exit_entry", XK, 760, ["港澳签注", "续签", "去香港"], ["id_card", "hkmo_permit"],
  fee=1500, days=7, pop_r={"653101": 250, "440106": 860}, subs=[
    "团队旅游签注|group tour|گۇرۇپپا بولۇپ ساياھەت قىلىش",
    "个人旅游签注|individual travel|يالغۇز ساياھەت قىلىش",
    "探亲签注|family visit|تۇغقان يوقلاش||kin_proof",
    "商务签注|business|سودا ئىشى||work_proof",
    "逗留签注|stay|تۇرۇپ قېلىش",
    "其他签注|other|باشقا",
  ])
S("往来台湾通行证签发|Exit-entry permit for Taiwan|تەيۋەنگە بېرىپ-كېلىش يول خېتى بېرىش", "police", "exit_entry", XK, 400,
  ["台湾通行证", "去台湾"], ["id_card", "photo", "app_form"], fee=6000, days=7, pop_r={"653101": 120}, subs=[
    "首次申请|first application|تۇنجى قېتىم ئىلتىماس قىلىش",
    "换发|renewal|ئالماشتۇرۇپ بېرىش||tw_permit",
    "补发|replacement|قايتا بېرىش||loss_statement",
  ])
S("往来台湾通行证签注|Taiwan travel endorsement|تەيۋەنگە بېرىش ئىزاھاتى", "police", "exit_entry", XK, 300,
  ["台湾签注"], ["id_card", "tw_permit"], fee=1500, days=7, pop_r={"653101": 90}, subs=[
    "团队旅游签注|group tour|گۇرۇپپا بولۇپ ساياھەت قىلىش",
    "个人旅游签注|individual travel|يالغۇز ساياھەت قىلىش",
    "探亲签注|family visit|تۇغقان يوقلاش||kin_proof",
    "商务签注|business|سودا ئىشى||work_proof",
    "学习签注|study|ئوقۇش||enroll_notice",
  ])
S("出入境记录查询|Exit and entry record enquiry|چېگرىدىن چىقىش-كىرىش خاتىرىسىنى سۈرۈشتۈرۈش", "police", "exit_entry", GG, 220,
  ["出入境记录", "出国记录"], ["id_card", "app_form"], ch="oc")
S("外国人住宿登记|Accommodation registration for foreigners|چەت ئەللىكلەرنىڭ تۇرۇشىنى تىزىملىتىش", "police", "exit_entry", QR, 160,
  ["外国人登记", "老外住宿"], ["foreign_passport", "lease", "reg_form"], ch="oc", pop_r={"653101": 60})
S("港澳台居民居住证申领|Residence permit for Hong Kong, Macao and Taiwan residents|شياڭگاڭ، ئاۋمېن، تەيۋەن ئاھالىلىرىنىڭ تۇرالغۇ كىنىشكىسى ئىلتىماسى",
  "police", "exit_entry", QR, 210, ["港澳台居住证", "港澳居民"], ["hk_id", "photo", "residence_proof", "app_form"],
  days=20, pop_r={"440106": 420, "653101": 30})
S("边境管理区通行证|Border area pass|چېگرا رايونى يول خېتى", "police", "exit_entry", XK, 420,
  ["边境证", "边防证"], ["id_card", "hukou", "app_form"], days=1, only=["653101"], local=True, subs=[
    "申领|application|ئىلتىماس قىلىش", "补领|replacement|تولۇقلاپ ئېلىش||loss_statement"])

# ===========================================================================
# 公安 交管 traffic
# ===========================================================================
S("机动车驾驶证换证|Renewing a driving licence|ماشىنا ھەيدەش كىنىشكىسىنى ئالماشتۇرۇش", "traffic", "traffic", XK, 780,
  ["驾照到期", "换驾照", "驾驶证到期"], ["id_card", "drv", "body_check", "photo"], fee=1000, days=1, ch="oc",
  subs=[
    "有效期满换证|on expiry|ئىناۋەتلىك مۇددىتى توشقاندا",
    "达到规定年龄换证|on reaching the age limit|بەلگىلەنگەن ياشقا يەتكەندە",
    "转入换证|licence moved in from elsewhere|باشقا جايدىن يۆتكىلىپ كەلگەندە",
    "损毁换证|damaged licence|بۇزۇلۇپ كەتكەندە",
    "信息变化换证|changed details|ئۇچۇر ئۆزگەرگەندە",
  ])
S("机动车驾驶证补证|Replacing a lost driving licence|ماشىنا ھەيدەش كىنىشكىسىنى قايتا بېجىرىش", "traffic", "traffic", XK, 520,
  ["驾照丢了", "补驾照"], ["id_card", "photo"], fee=1000, days=1, ch="oc")
S("机动车驾驶证申领|Driving licence application|ماشىنا ھەيدەش كىنىشكىسى ئىلتىماس قىلىش", "traffic", "traffic", XK, 420,
  ["考驾照", "学车"], ["id_card", "body_check", "photo", "app_form"], fee=1000, days=10, subs=[
    "初次申领|first licence|تۇنجى قېتىم ئىلتىماس قىلىش",
    "增加准驾车型|adding a vehicle class|ھەيدەشكە بولىدىغان ماشىنا تۈرىنى كۆپەيتىش||drv",
    "持境外驾驶证申领|holders of a foreign licence|چەت ئەل ھەيدەش كىنىشكىسى بارلار||passport",
    "持军队驾驶证申领|holders of a military licence|ھەربىي ھەيدەش كىنىشكىسى بارلار",
  ])
S("机动车驾驶证审验|Driving licence review|ماشىنا ھەيدەش كىنىشكىسىنى تەكشۈرۈش", "traffic", "traffic", XK, 260,
  ["驾照审验", "驾照年审"], ["id_card", "drv", "body_check"], days=1)
S("提交驾驶人身体条件证明|Submitting a driver's medical certificate|شوپۇرنىڭ بەدەن ئەھۋالى ئىسپاتىنى تاپشۇرۇش", "traffic", "traffic", QT, 300,
  ["驾照体检", "三力测试"], ["id_card", "drv", "body_check"], ch="oc")
S("机动车驾驶证注销|Cancelling a driving licence|ماشىنا ھەيدەش كىنىشكىسىنى ئەمەلدىن قالدۇرۇش", "traffic", "traffic", XK, 90,
  ["驾照注销"], ["id_card", "drv", "cancel_form"], ch="oc")
S("恢复驾驶资格|Restoring driving entitlement|ماشىنا ھەيدەش سالاھىيىتىنى ئەسلىگە كەلتۈرۈش", "traffic", "traffic", XK, 70,
  ["驾照恢复"], ["id_card", "body_check", "photo"], days=1)
S("机动车注册登记|Motor vehicle registration|موتورلۇق قاتناش ۋاسىتىسىنى تىزىملىتىش", "traffic", "traffic", QR, 620,
  ["新车上牌", "上牌照", "选号"], ["id_card", "vehicle_invoice", "vehicle_insurance", "vehicle_tax", "vehicle_inspection"],
  fee=12000, days=1, subs=[
    "新车注册登记|new vehicle|يېڭى ماشىنا",
    "进口车注册登记|imported vehicle|ئىمپورت قىلىنغان ماشىنا",
    "新能源汽车注册登记|new-energy vehicle|يېڭى ئېنېرگىيىلىك ماشىنا",
  ])
S("机动车转移登记|Vehicle transfer registration|موتورلۇق قاتناش ۋاسىتىسىنى يۆتكەش تىزىملىتىش", "traffic", "traffic", QR, 460,
  ["二手车过户", "过户"], ["id_card", "vehicle_cert", "vehicle_lic", "invoice"], fee=1500, days=1, subs=[
    "本市转移|within the city|شەھەر ئىچىدە يۆتكەش",
    "转出本市|out of the city|شەھەر سىرتىغا يۆتكەش",
    "外地转入|in from elsewhere|باشقا جايدىن يۆتكەپ كىرگۈزۈش",
  ])
S("机动车变更登记|Vehicle change registration|موتورلۇق قاتناش ۋاسىتىسىنى ئۆزگەرتىش تىزىملىتىش", "traffic", "traffic", QR, 210,
  ["车辆变更"], ["id_card", "vehicle_cert", "vehicle_lic", "change_form"], days=1, subs=[
    "改变车身颜色|new body colour|ماشىنا رەڭگىنى ئۆزگەرتىش||vehicle_photo",
    "更换发动机|new engine|ماتورنى ئالماشتۇرۇش",
    "更换车身或者车架|new body or frame|ماشىنا گەۋدىسى ياكى رامكىسىنى ئالماشتۇرۇش",
    "共同所有人变更|change of co-owner|ئورتاق ئىگىسىنى ئۆزگەرتىش",
    "住所迁出|owner moving away|ئىگىسىنىڭ ئادرېسى يۆتكىلىش",
  ])
S("机动车抵押登记|Vehicle mortgage registration|موتورلۇق قاتناش ۋاسىتىسىنى رەنىگە قويۇش تىزىملىتىش", "traffic", "traffic", QR, 260,
  ["车辆抵押", "车贷"], ["id_card", "vehicle_cert", "loan_contract"], days=1, subs=[
    "抵押登记|mortgage|رەنىگە قويۇش", "解除抵押登记|release of mortgage|رەنىنى بىكار قىلىش"])
S("机动车注销登记|Vehicle deregistration|موتورلۇق قاتناش ۋاسىتىسىنى ئەمەلدىن قالدۇرۇش تىزىملىتىش", "traffic", "traffic", QR, 210,
  ["车辆报废", "注销车辆"], ["id_card", "vehicle_cert", "cancel_form"], days=1, subs=[
    "报废注销|scrapped vehicle|ئىشلىتىشتىن قالغان ماشىنا",
    "灭失注销|destroyed or lost vehicle|يوقىلىپ كەتكەن ماشىنا",
    "退车注销|returned vehicle|قايتۇرۇلغان ماشىنا",
    "出境注销|vehicle taken abroad|چەت ئەلگە ئېلىپ كېتىلگەن ماشىنا",
  ])
S("机动车检验合格标志核发|Vehicle inspection mark|موتورلۇق قاتناش ۋاسىتىسىنىڭ تەكشۈرۈشتىن ئۆتكەنلىك بەلگىسى", "traffic", "traffic", QR, 720,
  ["车辆年检", "年审", "验车"], ["vehicle_lic", "vehicle_insurance", "vehicle_inspection"], days=1, ch="oc", subs=[
    "免检车辆|inspection-exempt vehicle|تەكشۈرۈشتىن كەچۈرۈم قىلىنغان ماشىنا",
    "上线检验车辆|inspected vehicle|لىنىيىدە تەكشۈرۈلىدىغان ماشىنا",
  ])
S("补领机动车行驶证|Replacing a vehicle licence|موتورلۇق قاتناش ۋاسىتىسى يۈرۈش كىنىشكىسىنى تولۇقلاپ ئېلىش", "traffic", "traffic", QR, 310,
  ["行驶证丢了", "补行驶证"], ["id_card", "loss_statement"], fee=1000, days=1, ch="oc")
S("补领机动车号牌|Replacing number plates|ماشىنا نومۇر تاختىسىنى تولۇقلاپ ئېلىش", "traffic", "traffic", QR, 220,
  ["车牌丢了", "补车牌"], ["id_card", "vehicle_lic"], fee=10000, days=15, ch="oc")
S("补领机动车登记证书|Replacing a vehicle registration certificate|موتورلۇق قاتناش ۋاسىتىسى تىزىملىتىش گۇۋاھنامىسىنى تولۇقلاپ ئېلىش",
  "traffic", "traffic", QR, 110, ["绿本丢了", "登记证书"], ["id_card", "vehicle_lic"], fee=1000, days=1)
S("临时行驶车号牌核发|Temporary number plates|ۋاقىتلىق نومۇر تاختىسى بېرىش", "traffic", "traffic", XK, 260,
  ["临牌", "临时车牌"], ["id_card", "vehicle_invoice", "vehicle_insurance"], fee=500, days=1, ch="oc")
S("交通违法处理|Handling traffic offences|قاتناش قائىدىسىگە خىلاپلىق قىلىشنى بىر تەرەپ قىلىش", "traffic", "traffic", QT, 800,
  ["违章处理", "罚单", "扣分", "交罚款"], ["id_card", "drv"], days=0, ch="oc", subs=[
    "电子监控违法处理|camera-recorded offences|ئېلېكترونلۇق كۆزىتىش ئارقىلىق خاتىرىلەنگەن خىلاپلىق",
    "现场违法处理|roadside tickets|نەق مەيداندا بېرىلگەن جەرىمانە",
    "违法记分满分学习|penalty-point course|جازا نومۇرى توشقاندا ئۆگىنىش",
  ])
S("道路交通事故认定复核|Review of a road accident finding|يول قاتناش ھادىسىسى بېكىتمىسىنى قايتا تەكشۈرۈش", "traffic", "traffic", CJ, 120,
  ["交通事故", "撞车"], ["id_card", "court_doc", "app_form"], days=30)
S("电动自行车登记|E-bike registration|ئېلېكتر ۋېلىسىپىتنى تىزىملىتىش", "traffic", "traffic", QR, 700,
  ["电瓶车上牌", "电动车上牌"], ["id_card", "ebike_cert", "invoice"], days=1, ch="oc",
  pop_r={"653101": 420, "440106": 520}, subs=[
    "注册登记|first registration|تۇنجى قېتىم تىزىملىتىش",
    "转移登记|transfer|يۆتكەش تىزىملىتىش",
    "注销登记|deregistration|ئەمەلدىن قالدۇرۇش تىزىملىتىش",
    "补领号牌|replacement plate|نومۇر تاختىسىنى تولۇقلاپ ئېلىش",
  ])
S("校车驾驶资格许可|School bus driver permit|مەكتەپ ئاپتوبۇسى شوپۇرلۇق سالاھىيىتى ئىجازىتى", "traffic", "traffic", XK, 30,
  ["校车司机"], ["id_card", "drv", "body_check", "app_form"], days=5)

# ===========================================================================
# 公安 治安 public order
# ===========================================================================
S("旅馆业特种行业许可证核发|Special trade licence for hotels|مېھمانخانا كەسپى ئالاھىدە كەسپ ئىجازەتنامىسى", "police", "public_order", XK, 80,
  ["开旅馆", "宾馆许可", "民宿许可"], ["biz_lic", "legal_rep_id", "premises", "safety_rules", "app_form"], days=10, acts="LIC", subs=[
    "宾馆酒店|hotels|مېھمانخانىلار",
    "民宿|homestays|ئائىلە مېھمانخانىلىرى",
    "招待所|guest houses|كۈتۈۋېلىش ئورۇنلىرى",
  ])
S("公章刻制备案|Official seal engraving filing|تامغا ئويۇشنى ئەنگە ئالدۇرۇش", "police", "public_order", QT, 320,
  ["刻章", "刻公章", "公司印章"], ["biz_lic", "legal_rep_id", "seal_sample"], days=1, ch="oc", subs=[
    "新刻|new seal|يېڭىدىن ئويۇش", "补刻|replacement seal|قايتا ئويۇش||loss_statement", "换刻|changed seal|ئالماشتۇرۇپ ئويۇش"])
S("大型群众性活动安全许可|Safety permit for large public events|چوڭ تىپتىكى ئاممىۋى پائالىيەت بىخەتەرلىك ئىجازىتى", "police", "public_order", XK, 40,
  ["办活动", "演唱会审批"], ["biz_lic", "safety_rules", "site_map", "app_form"], days=7)
S("焰火燃放许可|Fireworks display permit|ئوتۇنچاق قويۇش ئىجازىتى", "police", "public_order", XK, 30,
  ["放烟花"], ["biz_lic", "safety_rules", "app_form"], days=5)
S("剧毒化学品购买许可证核发|Permit to buy highly toxic chemicals|قاتتىق زەھەرلىك خىمىيىلىك بۇيۇم سېتىۋېلىش ئىجازەتنامىسى", "police", "public_order", XK, 10,
  ["剧毒化学品"], ["biz_lic", "legal_rep_id", "app_form"], days=3)
S("养犬登记|Dog registration|ئىت بېقىشنى تىزىملىتىش", "police", "public_order", XK, 460,
  ["狗证", "养狗", "犬证"], ["id_card", "dog_proof", "dog_photo", "house_proof"], fee=0, days=1, ch="oc",
  skip=["653101"], street="police", subs=[
    "首次登记|first registration|تۇنجى قېتىم تىزىملىتىش",
    "年检|annual check|يىللىق تەكشۈرۈش",
    "变更登记|change|ئۆزگەرتىش",
    "注销登记|cancellation|ئەمەلدىن قالدۇرۇش",
  ])
S("无犯罪记录证明开具|Certificate of no criminal record|جىنايەت خاتىرىسى يوقلۇق ئىسپاتى بېرىش", "police", "public_order", GG, 660,
  ["无犯罪证明", "良民证", "政审证明"], ["id_card", "app_form"], days=3, ch="oc", street="police", subs=[
    "本人申请|by the person|ئۆزى ئىلتىماس قىلىش",
    "委托他人申请|through an agent|باشقىلارغا ھاۋالە قىلىپ ئىلتىماس قىلىش||authorization,agent_id",
  ])

# ===========================================================================
# 人社 human resources and social security
# ===========================================================================
S("社会保障卡申领|Social security card application|ئىجتىمائىي كاپالەت كارتىسى ئىلتىماس قىلىش", "hrss", "social_security", GG, 970,
  ["社保卡办理", "办社保卡", "医保卡办理"], ["id_card", "photo", "app_form"], days=0, ch="ocg", street="all",
  subs=[
    "首次申领|first card|تۇنجى قېتىم ئىلتىماس قىلىش",
    "新生儿申领|newborn|يېڭى تۇغۇلغان بوۋاق||birth_med,hukou",
    "即时制卡|instant card|دەرھال كارتا ياساش",
    "外国人申领|foreign nationals|چەت ئەللىكلەر||foreign_passport",
  ])
S("社会保障卡补换|Replacing a social security card|ئىجتىمائىي كاپالەت كارتىسىنى ئالماشتۇرۇش ۋە قايتا بېجىرىش", "hrss", "social_security", GG, 820,
  ["社保卡丢了", "补社保卡", "换社保卡"], ["id_card", "photo"], days=0, ch="ocg", street="all", subs=[
    "补领|lost card|يوقاتقاندا تولۇقلاپ ئېلىش",
    "换领|renewal|ئالماشتۇرۇش||ss_card",
    "损坏换卡|damaged card|بۇزۇلۇپ كەتكەندە ئالماشتۇرۇش||ss_card",
  ])
S("社会保障卡挂失|Reporting a lost social security card|ئىجتىمائىي كاپالەت كارتىسىنى يوقاتقانلىقىنى مەلۇم قىلىش", "hrss", "social_security", GG, 560,
  ["社保卡挂失"], ["id_card"], days=0, ch="oc", subs=[
    "临时挂失|temporary|ۋاقىتلىق", "正式挂失|formal|رەسمىي", "解除挂失|cancel the report|بىكار قىلىش||ss_card"])
S("社会保障卡启用|Activating a social security card|ئىجتىمائىي كاپالەت كارتىسىنى ئىشلىتىشكە باشلاش", "hrss", "social_security", GG, 380,
  ["社保卡激活", "社保卡密码"], ["id_card", "ss_card"], days=0, ch="oc", subs=[
    "首次启用|first activation|تۇنجى قېتىم", "密码重置|PIN reset|مەخپىي نومۇرنى قايتا بەلگىلەش"])
S("社会保障卡信息变更|Changing social security card details|ئىجتىمائىي كاپالەت كارتىسى ئۇچۇرىنى ئۆزگەرتىش", "hrss", "social_security", GG, 210,
  ["社保卡改信息"], ["id_card", "ss_card"], ch="oc")
S("电子社会保障卡签发|Electronic social security card|ئېلېكترونلۇق ئىجتىمائىي كاپالەت كارتىسى", "hrss", "social_security", GG, 430,
  ["电子社保卡"], ["id_card", "ss_card"], ch="o")
S("社会保障卡注销|Cancelling a social security card|ئىجتىمائىي كاپالەت كارتىسىنى ئەمەلدىن قالدۇرۇش", "hrss", "social_security", GG, 90,
  ["社保卡注销"], ["id_card", "ss_card", "cancel_form"], ch="oc")
S("企业职工基本养老保险参保登记|Employee pension insurance enrolment|كارخانا خىزمەتچىلىرىنىڭ ئاساسىي كۈتۈنۈش سۇغۇرتىسىغا قاتنىشىش تىزىملىتىش",
  "hrss", "social_security", GG, 500, ["交社保", "养老保险", "社保开户"], ["id_card", "labour_contract", "reg_form"], ch="oc")
S("灵活就业人员参保登记|Social insurance enrolment for flexible workers|ئەۋرىشىم ئىشقا ئورۇنلاشقانلارنىڭ سۇغۇرتىغا قاتنىشىش تىزىملىتىش",
  "hrss", "social_security", GG, 560, ["个人交社保", "自由职业社保", "灵活就业"], ["id_card", "reg_form"], ch="oc", street="all")
S("城乡居民基本养老保险参保登记|Residents' basic pension enrolment|شەھەر-يېزا ئاھالىلىرىنىڭ ئاساسىي كۈتۈنۈش سۇغۇرتىسىغا قاتنىشىش تىزىملىتىش",
  "hrss", "social_security", GG, 500, ["居民养老保险", "农村养老保险", "养老保险"], ["id_card", "hukou", "reg_form"],
  ch="ocg", street="all", subs=[
    "参保登记|enrolment|قاتنىشىش تىزىملىتىش",
    "缴费档次变更|changing the contribution level|پۇل تاپشۇرۇش دەرىجىسىنى ئۆزگەرتىش",
    "注销登记|cancellation|ئەمەلدىن قالدۇرۇش",
  ])
S("城乡居民基本养老保险待遇申领|Claiming a residents' basic pension|شەھەر-يېزا ئاھالىلىرى ئاساسىي كۈتۈنۈش سۇغۇرتىسى تەمىناتىنى ئىلتىماس قىلىش",
  "hrss", "social_security", JF, 460, ["领养老金", "农村养老金"], ["id_card", "hukou", "bank_card", "pension_form"],
  days=20, ch="ocg", street="all")
S("企业职工基本养老保险待遇申领|Claiming an employee pension on retirement|كارخانا خىزمەتچىلىرى ئاساسىي كۈتۈنۈش سۇغۇرتىسى تەمىناتىنى ئىلتىماس قىلىش",
  "hrss", "social_security", JF, 760, ["退休手续", "办退休", "养老金"], ["id_card", "ss_card", "bank_card", "pension_form"],
  days=20, subs=[
    "正常退休|normal retirement|نورمال پېنسىيەگە چىقىش",
    "特殊工种提前退休|early retirement from special jobs|ئالاھىدە خىزمەت تۈرىدىكىلەرنىڭ بالدۇر پېنسىيەگە چىقىشى||work_proof",
    "因病提前退休|early retirement on health grounds|كېسەل سەۋەبىدىن بالدۇر پېنسىيەگە چىقىش||diagnosis",
    "弹性提前退休|flexible early retirement|ئەۋرىشىم بالدۇر پېنسىيەگە چىقىش",
    "弹性延迟退休|flexible late retirement|ئەۋرىشىم كېچىكتۈرۈپ پېنسىيەگە چىقىش",
  ])
S("养老保险关系转移接续|Transferring pension insurance|كۈتۈنۈش سۇغۇرتىسى مۇناسىۋىتىنى يۆتكەش ۋە ئۇلاش", "hrss", "social_security", GG, 600,
  ["社保转移", "养老保险转移"], ["id_card", "ss_record", "app_form"], days=15, ch="oc", street="all", subs=[
    "跨省转入|in from another province|باشقا ئۆلكىدىن يۆتكەپ كىرگۈزۈش|跨省通办",
    "跨省转出|out to another province|باشقا ئۆلكىگە يۆتكەپ چىقىرىش|跨省通办",
    "省内转移|within the province|ئۆلكە ئىچىدە يۆتكەش",
    "城乡居民养老保险转入职工养老保险|residents' scheme to employee scheme|ئاھالىلەر سۇغۇرتىسىدىن خىزمەتچىلەر سۇغۇرتىسىغا",
  ])
S("个人社会保险参保证明查询打印|Printing a social insurance record|شەخسىي ئىجتىمائىي سۇغۇرتا ئىسپاتىنى سۈرۈشتۈرۈش ۋە بېسىش",
  "hrss", "social_security", GG, 800, ["社保证明", "社保缴费记录", "查社保"], ["id_card"], ch="oc", street="all", subs=[
    "参保证明|enrolment certificate|سۇغۇرتىغا قاتناشقانلىق ئىسپاتى",
    "缴费明细|contribution details|پۇل تاپشۇرۇش تەپسىلاتى",
    "个人权益记录|personal rights record|شەخسىي ھوقۇق-مەنپەئەت خاتىرىسى",
  ])
S("养老保险待遇资格认证|Pension eligibility check|كۈتۈنۈش سۇغۇرتىسى تەمىنات سالاھىيىتىنى دەلىللەش", "hrss", "social_security", GG, 660,
  ["养老金认证", "生存认证", "退休人员认证"], ["id_card", "ss_card"], ch="ocg", street="all")
S("丧葬补助金和抚恤金申领|Funeral grant and survivors' pension|دەپنە ياردەم پۇلى ۋە ئۆلۈم-يېتىم تەمىناتىنى ئىلتىماس قىلىش",
  "hrss", "social_security", JF, 410, ["丧葬费", "抚恤金", "身后事"], ["death_proof", "kin_proof", "bank_card", "pension_form"],
  days=15, ch="ocg", street="all")
S("失业登记|Unemployment registration|ئىشسىزلىق تىزىملىتىش", "hrss", "employment", GG, 600,
  ["失业", "没工作", "找工作"], ["id_card", "termination", "reg_form"], ch="ocg", street="all")
S("失业保险金申领|Claiming unemployment benefit|ئىشسىزلىق سۇغۇرتا پۇلىنى ئىلتىماس قىلىش", "hrss", "employment", JF, 660,
  ["失业金", "领失业金", "失业补助"], ["id_card", "termination", "bank_card", "app_form"], days=10, ch="oc", street="all", subs=[
    "失业保险金|unemployment benefit|ئىشسىزلىق سۇغۇرتا پۇلى",
    "失业补助金|unemployment allowance|ئىشسىزلىق ياردەم پۇلى",
    "技能提升补贴|skills upgrade subsidy|ماھارەت ئۆستۈرۈش تولۇقلىمىسى||qualification",
  ])
S("就业创业证申领|Employment and entrepreneurship certificate|ئىشقا ئورۇنلىشىش ۋە ئىگىلىك تىكلەش كىنىشكىسى ئىلتىماس قىلىش", "hrss", "employment", GG, 460,
  ["就业证", "失业证"], ["id_card", "photo", "app_form"], ch="ocg", street="all")
S("就业困难人员认定|Recognising people with difficulty finding work|ئىشقا ئورۇنلىشىشتا قىيىنچىلىقى بارلارنى بېكىتىش", "hrss", "employment", QR, 360,
  ["就业困难", "零就业家庭"], ["id_card", "hukou", "app_form"], days=10, ch="ocg", street="all")
S("灵活就业社会保险补贴申领|Social insurance subsidy for flexible workers|ئەۋرىشىم ئىشقا ئورۇنلاشقانلارنىڭ ئىجتىمائىي سۇغۇرتا تولۇقلىمىسى",
  "hrss", "employment", JF, 320, ["社保补贴"], ["id_card", "ss_record", "bank_card", "app_form"], days=20)
S("创业担保贷款申请|Guaranteed start-up loan|ئىگىلىك تىكلەش كاپالەتلىك قەرزى ئىلتىماسى", "hrss", "employment", GG, 310,
  ["创业贷款", "贴息贷款"], ["id_card", "biz_lic", "app_form"], days=15)
S("一次性创业补贴申领|One-off start-up subsidy|بىر قېتىملىق ئىگىلىك تىكلەش تولۇقلىمىسى", "hrss", "employment", JF, 260,
  ["创业补贴"], ["id_card", "biz_lic", "bank_card", "app_form"], days=20)
S("职业技能培训补贴申领|Vocational training subsidy|كەسپىي ماھارەت تەربىيەلەش تولۇقلىمىسى", "hrss", "employment", JF, 260,
  ["培训补贴", "技能证书补贴"], ["id_card", "qualification", "bank_card", "app_form"], days=20)
S("职称评审申报|Professional title assessment|كەسپىي ئۇنۋان باھالاشقا مەلۇم قىلىش", "hrss", "employment", QR, 310,
  ["评职称", "职称申报"], ["id_card", "graduation", "title_form"], days=60, ch="oc", subs=[
    "初级职称|junior title|دەسلەپكى ئۇنۋان", "中级职称|intermediate title|ئوتتۇرا ئۇنۋان", "高级职称|senior title|يۇقىرى ئۇنۋان||title_cert"])
S("流动人员人事档案管理|Personnel files for mobile workers|يۆتكىلىشچان خادىملارنىڭ كادىر ئارخىپىنى باشقۇرۇش", "hrss", "employment", GG, 320,
  ["人事档案", "档案存放", "调档"], ["id_card", "app_form"], days=5, ch="oc", subs=[
    "档案接收|receiving a file|ئارخىپنى قوبۇل قىلىش",
    "档案转递|forwarding a file|ئارخىپنى يەتكۈزۈپ بېرىش",
    "档案查阅|viewing a file|ئارخىپنى كۆرۈش",
    "依据档案出具证明|certificate from a file|ئارخىپقا ئاساسەن ئىسپات بېرىش",
  ])
S("工伤认定申请|Work injury determination|ئىشتا يارىلىنىشنى بېكىتىش ئىلتىماسى", "hrss", "labour", QR, 360,
  ["工伤", "上班受伤"], ["id_card", "labour_contract", "diagnosis", "injury_proof", "app_form"], days=60)
S("劳动能力鉴定|Work capacity assessment|ئەمگەك ئىقتىدارىنى باھالاش", "hrss", "labour", QR, 210,
  ["伤残鉴定"], ["id_card", "med_record", "app_form"], days=60)
S("工伤保险待遇申领|Claiming work injury benefits|ئىشتا يارىلىنىش سۇغۇرتىسى تەمىناتىنى ئىلتىماس قىلىش", "hrss", "labour", JF, 220,
  ["工伤报销"], ["id_card", "med_invoice", "bank_card", "pension_form"], days=20, subs=[
    "工伤医疗费用|medical costs|داۋالىنىش خىراجىتى||med_list",
    "一次性伤残补助金|one-off disability grant|بىر قېتىملىق مېيىپلىق ياردەم پۇلى",
    "伤残津贴|disability allowance|مېيىپلىق ياردەم پۇلى",
  ])
S("劳动人事争议仲裁申请|Labour dispute arbitration|ئەمگەك ۋە كادىرلار ماجىراسىنى كېسىم قىلىش ئىلتىماسى", "hrss", "labour", CJ, 370,
  ["劳动仲裁", "被辞退", "工资纠纷"], ["id_card", "arbitration_form", "evidence", "labour_contract"], days=45, ch="oc")
S("欠薪投诉|Complaint about unpaid wages|ئىش ھەققىنى قەرزدار بولۇش توغرىسىدىكى ئەرز", "hrss", "labour", QT, 470,
  ["讨薪", "拖欠工资", "工资不发"], ["id_card", "complaint_form", "evidence"], days=20, ch="oc")
S("劳务派遣经营许可|Labour dispatch licence|ئەمگەك كۈچى ئەۋەتىش تىجارىتى ئىجازىتى", "hrss", "employment", XK, 60,
  ["劳务派遣"], ["biz_lic", "legal_rep_id", "articles", "premises", "app_form"], days=20, acts="LIC")
S("人力资源服务许可|Human resources service licence|ئادەم كۈچى بايلىقى مۇلازىمىتى ئىجازىتى", "hrss", "employment", XK, 45,
  ["职业中介", "猎头"], ["biz_lic", "legal_rep_id", "premises", "app_form"], days=20, acts="LIC")
S("高校毕业生就业报到|Graduate employment registration|ئالىي مەكتەپ پۈتتۈرگۈچىلىرىنىڭ ئىشقا ئورۇنلىشىش دوكلاتى", "hrss", "employment", GG, 360,
  ["毕业报到", "报到证", "应届生"], ["id_card", "graduation", "labour_contract"], ch="oc")
S("高校毕业生社会保险补贴|Social insurance subsidy for graduates|ئالىي مەكتەپ پۈتتۈرگۈچىلىرىنىڭ ئىجتىمائىي سۇغۇرتا تولۇقلىمىسى", "hrss", "employment", JF, 210,
  ["毕业生补贴"], ["id_card", "graduation", "bank_card", "app_form"], days=20)
S("新引进人才生活补贴|Living allowance for newly recruited talent|يېڭىدىن جەلپ قىلىنغان ئىختىساسلىقلارنىڭ تۇرمۇش تولۇقلىمىسى", "hrss", "employment", JF, 520,
  ["人才补贴", "租房补贴", "大学生补贴"], ["id_card", "graduation", "degree", "labour_contract", "bank_card"], days=30, ch="o",
  pop_r={"653101": 180, "440106": 380}, local=True, subs=[
    "本科|bachelor's graduates|باكلاۋرلار", "硕士|master's graduates|ماگىستىرلار", "博士|doctoral graduates|دوكتورلار"])
S("用人单位社会保险登记|Employer social insurance registration|ئىشلەتكۈچى ئورۇننىڭ ئىجتىمائىي سۇغۇرتا تىزىملىتىشى", "hrss", "social_security", QR, 310,
  ["单位社保开户", "企业社保"], ["biz_lic", "legal_rep_id", "reg_form"], ch="oc", acts="REG")
S("社会保险缴费基数申报|Declaring the social insurance contribution base|ئىجتىمائىي سۇغۇرتا پۇلى ئاساسىنى مەلۇم قىلىش", "hrss", "social_security", QT, 220,
  ["社保基数", "缴费基数"], ["biz_lic", "tax_return"], ch="o")
S("外国人来华工作许可|Work permit for foreigners|چەت ئەللىكلەرنىڭ جۇڭگوغا كېلىپ ئىشلەش ئىجازىتى", "hrss", "employment", XK, 160,
  ["外国人工作证", "老外工作"], ["foreign_passport", "labour_contract", "health_check", "photo", "app_form"], days=10,
  pop_r={"440106": 260, "653101": 20}, subs=[
    "新办|new permit|يېڭىدىن بېجىرىش", "延期|extension|مۇددىتىنى ئۇزارتىش", "变更|change|ئۆزگەرتىش", "注销|cancellation|ئەمەلدىن قالدۇرۇش"])

# ===========================================================================
# 医保 medical insurance
# ===========================================================================
S("城乡居民基本医疗保险参保登记|Residents' medical insurance enrolment|شەھەر-يېزا ئاھالىلىرىنىڭ ئاساسىي داۋالاش سۇغۇرتىسىغا قاتنىشىش تىزىملىتىش",
  "medins", "medical_insurance", GG, 760, ["居民医保", "医保参保", "交医保"], ["id_card", "hukou", "reg_form"], ch="ocg",
  street="all", subs=[
    "新生儿参保|newborns|يېڭى تۇغۇلغان بوۋاقلار||birth_med",
    "在校学生参保|school and university students|مەكتەپتىكى ئوقۇغۇچىلار||school_proof",
    "持居住证人员参保|residence permit holders|تۇرالغۇ كىنىشكىسى بارلار||res_permit",
    "困难人员参保资助|subsidised enrolment for people in need|قىيىنچىلىقى بارلارنىڭ قاتنىشىشىغا ياردەم",
  ])
S("职工基本医疗保险参保登记|Employee medical insurance enrolment|خىزمەتچىلەرنىڭ ئاساسىي داۋالاش سۇغۇرتىسىغا قاتنىشىش تىزىملىتىش",
  "medins", "medical_insurance", GG, 410, ["职工医保"], ["id_card", "labour_contract", "reg_form"], ch="oc", street="all", subs=[
    "单位职工参保|employees|ئورۇن خىزمەتچىلىرى", "灵活就业人员参保|flexible workers|ئەۋرىشىم ئىشقا ئورۇنلاشقانلار"])
S("基本医疗保险参保信息变更|Changing medical insurance details|ئاساسىي داۋالاش سۇغۇرتىسى ئۇچۇرىنى ئۆزگەرتىش", "medins", "medical_insurance", GG, 260,
  ["医保信息变更"], ["id_card", "change_form"], ch="oc")
S("异地就医备案|Registering for medical treatment elsewhere|باشقا جايدا داۋالىنىشنى ئەنگە ئالدۇرۇش", "medins", "medical_insurance", GG, 780,
  ["异地看病", "外地就医", "医保备案"], ["id_card", "ss_card", "app_form"], ch="oc", street="all", subs=[
    "异地长期居住人员|people living elsewhere long-term|باشقا جايدا ئۇزۇن مۇددەت تۇرىدىغانلار|长期居住|residence_proof",
    "常驻异地工作人员|people working elsewhere|باشقا جايدا دائىملىق ئىشلەيدىغانلار||work_proof",
    "异地安置退休人员|retirees living elsewhere|باشقا جايدا ئورۇنلاشقان پېنسىيونېرلار",
    "异地转诊人员|hospital referrals elsewhere|باشقا جايغا يۆتكەپ داۋالىنىدىغانلار||diagnosis",
    "临时外出就医人员|temporary treatment elsewhere|ۋاقىتلىق سىرتتا داۋالىنىدىغانلار",
  ])
S("医疗保障关系转移接续|Transferring medical insurance|داۋالاش كاپالىتى مۇناسىۋىتىنى يۆتكەش ۋە ئۇلاش", "medins", "medical_insurance", GG, 500,
  ["医保转移", "医保转入"], ["id_card", "app_form"], days=15, ch="oc", subs=[
    "跨省转入|in from another province|باشقا ئۆلكىدىن يۆتكەپ كىرگۈزۈش|跨省通办",
    "跨省转出|out to another province|باشقا ئۆلكىگە يۆتكەپ چىقىرىش|跨省通办",
    "省内转移|within the province|ئۆلكە ئىچىدە يۆتكەش",
  ])
S("医疗费用手工报销|Claiming medical costs by hand|داۋالىنىش خىراجىتىنى قولدا رەسمىيلەشتۈرۈپ قايتۇرۇۋېلىش", "medins", "medical_insurance", JF, 610,
  ["医保报销", "看病报销", "零星报销"], ["id_card", "ss_card", "med_invoice", "med_list", "bank_card"], days=20, ch="oc", street="all", subs=[
    "异地就医费用|treatment elsewhere|باشقا جايدا داۋالىنىش خىراجىتى",
    "门诊费用|outpatient costs|ئامبۇلاتورىيە خىراجىتى",
    "住院费用|inpatient costs|دوختۇرخانىدا يېتىپ داۋالىنىش خىراجىتى||hosp_summary",
    "生育医疗费用|maternity costs|تۇغۇت داۋالاش خىراجىتى||birth_med",
    "意外伤害医疗费用|accidental injury costs|تاسادىپىي يارىلىنىش داۋالاش خىراجىتى||diagnosis",
  ])
S("门诊慢特病待遇认定|Outpatient chronic and special disease benefits|ئامبۇلاتورىيە سوزۇلما ۋە ئالاھىدە كېسەللىك تەمىناتىنى بېكىتىش",
  "medins", "medical_insurance", QR, 560, ["慢性病", "特殊病", "慢病卡"], ["id_card", "ss_card", "med_record", "diagnosis"], days=15,
  street="clinic", subs=[
    "高血压|hypertension|يۇقىرى قان بېسىم",
    "糖尿病|diabetes|دىئابىت",
    "恶性肿瘤门诊治疗|cancer outpatient care|خەتەرلىك ئۆسمىنى ئامبۇلاتورىيەدە داۋالاش",
    "尿毒症透析|dialysis|سۈيدۈك زەھەرلىنىش دىيالىزى",
    "器官移植抗排异治疗|anti-rejection treatment after transplants|ئەزا كۆچۈرۈلگەندىن كېيىنكى قارشى ئىنكاس داۋالاش",
    "严重精神障碍|severe mental illness|ئېغىر روھىي توسالغۇ",
    "慢性心力衰竭|chronic heart failure|سوزۇلما يۈرەك زەئىپلىشىش",
    "帕金森病|Parkinson's disease|پاركىنسون كېسىلى",
    "慢性阻塞性肺疾病|COPD|سوزۇلما توسۇلۇش خاراكتېرلىك ئۆپكە كېسىلى",
    "冠心病|coronary heart disease|تاج تومۇر يۈرەك كېسىلى",
  ])
S("生育津贴申领|Maternity allowance claim|تۇغۇت ياردەم پۇلىنى ئىلتىماس قىلىش", "medins", "medical_insurance", JF, 610,
  ["生育保险", "产假工资", "生育险"], ["id_card", "birth_med", "bank_card", "app_form"], days=15, ch="oc", street="all")
S("医保参保凭证查询打印|Printing medical insurance records|داۋالاش سۇغۇرتىسىغا قاتناشقانلىق ئىسپاتىنى بېسىش", "medins", "medical_insurance", GG, 410,
  ["医保证明", "医保缴费记录"], ["id_card"], ch="oc", street="all")
S("医疗救助|Medical assistance|داۋالاش قۇتقۇزۇش ياردىمى", "medins", "medical_insurance", JF, 330,
  ["大病救助", "看病困难"], ["id_card", "med_invoice", "hosp_summary", "app_form"], days=20, ch="ocg", street="all")
S("医保个人账户家庭共济|Sharing a medical account with family|داۋالاش سۇغۇرتىسى شەخسىي ھېساباتىنى ئائىلە ئەزالىرى بىلەن ئورتاق ئىشلىتىش",
  "medins", "medical_insurance", GG, 360, ["家庭共济", "医保给家人用"], ["id_card", "kin_proof"], ch="o")
S("长期护理保险待遇申请|Long-term care insurance claim|ئۇزۇن مۇددەتلىك كۈتۈش سۇغۇرتىسى تەمىناتى ئىلتىماسى", "medins", "medical_insurance", JF, 160,
  ["长护险", "失能护理"], ["id_card", "med_record", "app_form"], days=30, ch="ocg", skip=["653101"])
S("定点医药机构申请|Applying to be a designated medical provider|بەلگىلەنگەن داۋالاش ئورنى بولۇشنى ئىلتىماس قىلىش", "medins", "medical_insurance", QT, 50,
  ["医保定点"], ["biz_lic", "practice_cert", "app_form"], days=60, acts="BEN")

# ===========================================================================
# 民政 civil affairs
# ===========================================================================
S("最低生活保障|Minimum living allowance|ئەڭ تۆۋەن تۇرمۇش كاپالىتى", "civil", "social_assistance", JF, 900,
  ["低保", "困难补助", "低保户"], ["id_card", "hukou", "household_income", "bank_card", "app_form"], days=30, ch="ocg",
  street="all", subs=[
    "申请|application|ئىلتىماس قىلىش",
    "家庭成员变更|change of household members|ئائىلە ئەزالىرى ئۆزگەرگەندە",
    "复核|review|قايتا تەكشۈرۈش",
    "终止|termination|ئاخىرلاشتۇرۇش",
  ])
S("特困人员救助供养|Support for people in extreme poverty|ئالاھىدە قىيىنچىلىقى بار كىشىلەرنى قۇتقۇزۇش ۋە تەمىنلەش", "civil", "social_assistance", JF, 500,
  ["五保户", "特困供养"], ["id_card", "hukou", "household_income", "app_form"], days=30, ch="ocg", street="all", subs=[
    "认定申请|application|بېكىتىش ئىلتىماسى",
    "集中供养|residential care|مەركەزلىك تەمىنلەش",
    "分散供养|care at home|تارقاق تەمىنلەش",
  ])
S("临时救助|Temporary assistance|ۋاقىتلىق قۇتقۇزۇش ياردىمى", "civil", "social_assistance", JF, 560,
  ["急难救助", "临时困难"], ["id_card", "hukou", "evidence", "app_form"], days=15, ch="ocg", street="all", subs=[
    "急难型|sudden hardship|تۇيۇقسىز قىيىنچىلىق", "支出型|hardship from expenses|چىقىم سەۋەبىدىن قىيىنچىلىق"])
S("低收入家庭认定|Low-income household recognition|تۆۋەن كىرىملىك ئائىلىنى بېكىتىش", "civil", "social_assistance", QR, 410,
  ["低边户", "低收入"], ["id_card", "hukou", "household_income", "app_form"], days=30, ch="ocg", street="all")
S("孤儿基本生活保障|Basic living support for orphans|يېتىم بالىلارنىڭ ئاساسىي تۇرمۇش كاپالىتى", "civil", "social_assistance", JF, 150,
  ["孤儿补助"], ["id_card", "hukou", "death_proof", "app_form"], days=30, ch="ocg")
S("事实无人抚养儿童认定|Recognising children without effective care|ئەمەلىيەتتە باققۇچىسى يوق بالىلارنى بېكىتىش", "civil", "social_assistance", QR, 110,
  ["无人抚养儿童"], ["hukou", "evidence", "app_form"], days=30, ch="ocg")
S("困境儿童认定|Recognising children in difficulty|قىيىن ئەھۋالدىكى بالىلارنى بېكىتىش", "civil", "social_assistance", QR, 130,
  ["困境儿童"], ["hukou", "evidence", "app_form"], days=30, ch="ocg", street="all")
S("高龄津贴|Old-age allowance|يېشى چوڭ ياشانغانلار ياردەم پۇلى", "civil", "elderly", JF, 650,
  ["高龄补贴", "老人补贴", "长寿金"], ["id_card", "hukou", "bank_card", "app_form"], days=20, ch="ocg", street="all", subs=[
    "八十周岁以上|aged eighty and over|80 ياشتىن يۇقىرىلار", "百岁老人|centenarians|يۈز ياشلىق ياشانغانلار"])
S("老年人优待证|Senior citizens' privilege card|ياشانغانلار ئېتىبار كىنىشكىسى", "civil", "elderly", GG, 600,
  ["老年证", "老人卡", "敬老卡"], ["id_card", "photo", "app_form"], days=5, ch="ocg", street="all", subs=[
    "申领|application|ئىلتىماس قىلىش", "补领|replacement|تولۇقلاپ ئېلىش||loss_statement", "换领|renewal|ئالماشتۇرۇش||elder_card"])
S("居家养老服务补贴|Home care subsidy for the elderly|ئۆيدە ياشانغانلارنى كۈتۈش مۇلازىمىتى تولۇقلىمىسى", "civil", "elderly", JF, 420,
  ["居家养老", "养老补贴"], ["id_card", "household_income", "app_form"], days=20, ch="ocg", street="all")
S("老年人能力评估|Elderly care needs assessment|ياشانغانلارنىڭ ئىقتىدارىنى باھالاش", "civil", "elderly", GG, 160,
  ["失能评估"], ["id_card", "med_record", "app_form"], days=15, ch="cg", street="all")
S("养老机构备案|Elderly care home filing|ياشانغانلار كۈتۈش ئورنىنى ئەنگە ئالدۇرۇش", "civil", "elderly", QT, 60,
  ["开养老院"], ["biz_lic", "premises", "safety_rules", "commit_letter"], acts="FIL")
S("困难残疾人生活补贴和重度残疾人护理补贴|Living and care subsidies for people with disabilities|قىيىنچىلىقى بار مېيىپلارنىڭ تۇرمۇش تولۇقلىمىسى ۋە ئېغىر مېيىپلارنىڭ كۈتۈش تولۇقلىمىسى",
  "civil", "disability", JF, 560, ["残疾人两项补贴", "残疾补贴", "护理补贴"], ["id_card", "disab_cert", "bank_card", "app_form"],
  days=20, ch="ocg", street="all", subs=[
    "困难残疾人生活补贴|living subsidy|تۇرمۇش تولۇقلىمىسى",
    "重度残疾人护理补贴|care subsidy|كۈتۈش تولۇقلىمىسى",
  ])
S("内地居民结婚登记|Marriage registration for mainland residents|ئىچكىرى ئاھالىلىرىنىڭ نىكاھ تىزىملىتىشى", "civil", "marriage", QR, 930,
  ["结婚", "领证", "婚姻登记"], ["id_card", "hukou", "couple_photo", "marriage_statement"], ch="oc", subs=[
    "预约登记|with an appointment|ۋاقىت بەلگىلەپ تىزىملىتىش",
    "全国通办|anywhere in the country|مەملىكەت مىقياسىدا ئورتاق بېجىرىش|跨省通办",
    "颁证仪式|certificate ceremony|گۇۋاھنامە تارقىتىش مۇراسىمى",
  ])
S("内地居民离婚登记|Divorce registration for mainland residents|ئىچكىرى ئاھالىلىرىنىڭ ئاجرىشىش تىزىملىتىشى", "civil", "marriage", QR, 500,
  ["离婚", "婚姻登记"], ["id_card", "hukou", "marriage_cert", "divorce_agreement", "photo"], days=30, ch="c", subs=[
    "离婚登记申请|application|ئىلتىماس قىلىش",
    "撤回离婚登记申请|withdrawing the application|ئىلتىماسنى قايتۇرۇۋېلىش",
    "离婚登记发证|issuing the certificate|گۇۋاھنامە تارقىتىش",
  ])
S("补领婚姻登记证|Replacing a marriage or divorce certificate|نىكاھ تىزىملاش گۇۋاھنامىسىنى تولۇقلاپ ئېلىش", "civil", "marriage", QR, 410,
  ["结婚证丢了", "补结婚证"], ["id_card", "hukou", "photo", "app_form"], ch="c", subs=[
    "补领结婚证|marriage certificate|نىكاھ گۇۋاھنامىسى", "补领离婚证|divorce certificate|ئاجرىشىش گۇۋاھنامىسى"])
S("婚姻登记档案查询|Marriage registration record enquiry|نىكاھ تىزىملاش ئارخىپىنى سۈرۈشتۈرۈش", "civil", "marriage", GG, 360,
  ["婚姻状况证明", "结婚记录", "单身证明"], ["id_card", "app_form"], ch="oc")
S("收养登记|Adoption registration|بالا بېقىۋېلىش تىزىملىتىش", "civil", "marriage", QR, 90,
  ["领养孩子", "收养"], ["id_card", "hukou", "health_check", "app_form"], days=30, ch="c", subs=[
    "收养登记|adoption|بېقىۋېلىش", "解除收养登记|ending an adoption|بېقىۋېلىشنى بىكار قىلىش||adoption_cert"])
S("惠民殡葬补贴|Funeral subsidy|خەلققە نەپ يەتكۈزىدىغان دەپنە تولۇقلىمىسى", "civil", "funeral", JF, 360,
  ["丧葬补贴", "殡葬费减免", "身后事"], ["death_proof", "cremation", "id_card", "bank_card"], days=15, ch="ocg",
  skip=["653101"], street="all")
S("生态安葬奖补|Reward for green burial|ئېكولوگىيىلىك دەپنە قىلىش مۇكاپاتى", "civil", "funeral", JL, 80,
  ["树葬", "海葬"], ["death_proof", "cremation", "id_card"], days=20, skip=["653101"])
S("社会团体登记|Registering a social association|ئىجتىمائىي ئۇيۇشمىلارنى تىزىملىتىش", "civil", "social_org", XK, 45,
  ["协会成立", "社团"], ["articles", "legal_rep_id", "premises", "app_form"], days=30, acts="REG")
S("民办非企业单位登记|Registering a private non-enterprise unit|خەلق باشقۇرىدىغان كارخانا ئەمەس ئورۇنلارنى تىزىملىتىش", "civil", "social_org", XK, 50,
  ["民非", "社会服务机构"], ["articles", "legal_rep_id", "premises", "app_form"], days=30, acts="REG")
S("慈善组织认定|Recognising a charity|خەير-ساخاۋەت تەشكىلاتىنى بېكىتىش", "civil", "social_org", QR, 20,
  ["慈善机构"], ["articles", "app_form"], days=20)
S("地名命名更名|Naming or renaming a place|جاي نامى قويۇش ۋە ئۆزگەرتىش", "civil", "social_org", XK, 15,
  ["小区命名", "路名"], ["site_map", "app_form"], days=30)

# ===========================================================================
# 卫健 health
# ===========================================================================
S("出生医学证明|Medical birth certificate|تۇغۇلۇش تېببىي ئىسپاتى", "health", "family", QR, 800,
  ["出生证", "宝宝出生证明"], ["id_card", "marriage_cert", "app_form"], days=1, ch="oc", subs=[
    "首次签发|first issue|تۇنجى قېتىم بېرىش",
    "补发|replacement|قايتا بېرىش||loss_statement",
    "换发|correction|ئالماشتۇرۇپ بېرىش||birth_med",
  ])
S("生育登记|Childbirth registration|تۇغۇت تىزىملىتىش", "health", "family", QR, 700,
  ["准生证", "生育服务证", "生孩子登记"], ["id_card", "marriage_cert", "hukou"], ch="ocg", street="all", subs=[
    "一孩|first child|بىرىنچى بالا", "二孩|second child|ئىككىنچى بالا", "三孩|third child|ئۈچىنچى بالا"])
S("独生子女父母奖励|Rewards for parents of an only child|يالغۇز پەرزەنتلىك ئاتا-ئانىلارنى مۇكاپاتلاش", "health", "family", JL, 360,
  ["独生子女费", "独生子女奖励"], ["id_card", "hukou", "bank_card", "app_form"], days=20, ch="ocg", street="all", subs=[
    "独生子女父母奖励扶助|regular support|مۇكاپات ياردىمى", "一次性奖励|one-off reward|بىر قېتىملىق مۇكاپات"])
S("计划生育家庭特别扶助|Special support for family-planning families|تۇغۇت پىلانى ئائىلىلىرىگە ئالاھىدە ياردەم", "health", "family", JF, 260,
  ["失独家庭", "特扶"], ["id_card", "hukou", "bank_card", "app_form"], days=20, ch="ocg", street="all", subs=[
    "独生子女伤残家庭|families whose only child is disabled|يالغۇز پەرزەنتى مېيىپ بولۇپ قالغان ئائىلىلەر||disab_cert",
    "独生子女死亡家庭|families whose only child has died|يالغۇز پەرزەنتى ۋاپات بولغان ئائىلىلەر||death_proof",
  ])
S("农村部分计划生育家庭奖励扶助|Support for rural family-planning families|يېزىلاردىكى تۇغۇت پىلانى ئائىلىلىرىگە مۇكاپات ياردىمى", "health", "family", JF, 150,
  ["农村奖扶"], ["id_card", "hukou", "bank_card"], days=20, ch="ocg", pop_r={"653101": 320})
S("孕产妇保健手册建册|Maternity health booklet|ھامىلىدار ۋە تۇغۇتلۇق ئاياللارنىڭ ساغلاملىق دەپتىرى", "health", "family", GG, 510,
  ["孕妇建档", "建小卡", "母子健康手册"], ["id_card", "marriage_cert"], ch="ocg", street="clinic")
S("婚前医学检查|Premarital medical check|نىكاھتىن ئىلگىرىكى تېببىي تەكشۈرۈش", "health", "family", GG, 170,
  ["婚检"], ["id_card", "hukou", "photo"], ch="c")
S("预防接种证办理|Vaccination record booklet|ئالدىنى ئېلىش ئەملەش كىنىشكىسى بېجىرىش", "health", "health", GG, 410,
  ["打疫苗", "疫苗本", "入学查验"], ["birth_med", "guardian_id"], ch="oc", street="clinic", subs=[
    "新办|new booklet|يېڭىدىن بېجىرىش", "补办|replacement|قايتا بېجىرىش", "入托入学查验证明|check for school entry|مەكتەپكە كىرىش تەكشۈرۈش ئىسپاتى"])
S("家庭医生签约|Signing up with a family doctor|ئائىلە دوختۇرى بىلەن توختام تۈزۈش", "health", "health", GG, 460,
  ["签家庭医生", "家医签约"], ["id_card", "ss_card"], ch="ocg", street="clinic")
S("医师执业注册|Physician practice registration|دوختۇرلارنىڭ كەسپىي تىزىملىتىشى", "health", "health", XK, 110,
  ["医生注册", "医师证"], ["id_card", "qualification", "health_check", "photo", "app_form"], days=20, acts="PRAC", subs=[
    "临床|clinical medicine|كلىنىكا",
    "中医|traditional Chinese medicine|جۇڭگو تېبابىتى",
    "口腔|dentistry|ئېغىز بوشلۇقى",
    "公共卫生|public health|ئاممىۋى سەھىيە",
  ])
S("护士执业注册|Nurse practice registration|سېستىرالارنىڭ كەسپىي تىزىملىتىشى", "health", "health", XK, 110,
  ["护士证", "护士注册"], ["id_card", "qualification", "health_check", "photo", "app_form"], days=20, acts="PRAC")
S("医疗机构执业登记|Licensing a medical institution|داۋالاش ئورۇنلىرىنى كەسپىي تىزىملىتىش", "health", "health", XK, 60,
  ["开医院", "开门诊部"], ["legal_rep_id", "premises", "qualification", "app_form"], days=30, acts="LIC", subs=[
    "医院|hospitals|دوختۇرخانىلار",
    "门诊部|outpatient clinics|ئامبۇلاتورىيە بۆلۈملىرى",
  ])
S("诊所备案|Clinic filing|كىلىنىكىنى ئەنگە ئالدۇرۇش", "health", "health", QT, 90,
  ["开诊所"], ["legal_rep_id", "premises", "practice_cert", "commit_letter"], acts="FIL", subs=[
    "西医诊所|Western medicine clinic|غەرب تېبابىتى كىلىنىكىسى", "中医诊所|traditional Chinese medicine clinic|جۇڭگو تېبابىتى كىلىنىكىسى", "口腔诊所|dental clinic|چىش كىلىنىكىسى"])
S("公共场所卫生许可|Public place hygiene licence|ئاممىۋى سورۇنلارنىڭ ساغلاملىق ئىجازىتى", "health", "health", XK, 130,
  ["卫生许可证", "美容院许可", "开理发店"], ["biz_lic", "legal_rep_id", "layout", "staff_health", "app_form"], days=10, acts="LIC",
  subs=[
    "住宿场所|accommodation|قونالغۇ سورۇنلىرى",
    "沐浴场所|bathhouses|مۇنچا سورۇنلىرى",
    "美容美发场所|beauty and hair salons|گۈزەللەشتۈرۈش ۋە چاچ ياساش سورۇنلىرى",
    "游泳场所|swimming pools|سۇ ئۈزۈش سورۇنلىرى",
  ])
S("饮用水供水单位卫生许可|Hygiene licence for drinking water suppliers|ئىچىملىك سۇ تەمىنلەش ئورۇنلىرىنىڭ ساغلاملىق ئىجازىتى", "health", "health", XK, 20,
  ["二次供水"], ["biz_lic", "legal_rep_id", "staff_health", "app_form"], days=20, acts="LIC")
S("母婴保健技术服务执业许可|Licence for maternal and infant health services|ئانا-بالا ساغلاملىقى تېخنىكا مۇلازىمىتى ئىجازىتى", "health", "health", XK, 20,
  ["母婴保健"], ["practice_cert", "qualification", "app_form"], days=20, acts="LIC")
S("放射诊疗许可|Radiological practice licence|رادىئاتسىيە دىئاگنوز ۋە داۋالاش ئىجازىتى", "health", "health", XK, 12,
  ["放射诊疗"], ["practice_cert", "safety_rules", "app_form"], days=20, acts="LIC")

# ===========================================================================
# 市场监管 market regulation
# ===========================================================================
S("个体工商户设立登记|Registering an individual business|يەككە سودا-سانائەتچى تەسىس قىلىش تىزىملىتىشى", "market", "business", XK, 660,
  ["个体户营业执照", "开店", "办营业执照"], ["id_card", "premises", "reg_form"], days=1, ch="oc", street="market", subs=[
    "个人经营|run by one person|شەخسىي تىجارەت",
    "家庭经营|run by a family|ئائىلە تىجارىتى||hukou",
    "网络经营|online shop|تور تىجارىتى",
  ])
S("个体工商户变更登记|Changing an individual business registration|يەككە سودا-سانائەتچى ئۆزگەرتىش تىزىملىتىشى", "market", "business", XK, 360,
  ["个体户变更"], ["id_card", "biz_lic", "change_form"], days=1, ch="oc", street="market", subs=[
    "经营者变更|new operator|تىجارەتچى ئۆزگەرگەندە",
    "名称变更|new name|نامى ئۆزگەرگەندە",
    "经营场所变更|new premises|تىجارەت ئورنى ئۆزگەرگەندە||premises",
    "经营范围变更|new scope of business|تىجارەت دائىرىسى ئۆزگەرگەندە",
    "组成形式变更|new form of operation|تەركىب شەكلى ئۆزگەرگەندە",
  ])
S("个体工商户注销登记|Closing an individual business|يەككە سودا-سانائەتچىنى ئەمەلدىن قالدۇرۇش تىزىملىتىشى", "market", "business", XK, 310,
  ["个体户注销", "关店"], ["id_card", "biz_lic", "cancel_form"], days=1, ch="oc", street="market", subs=[
    "简易注销|simplified|ئاددىي ئەمەلدىن قالدۇرۇش", "普通注销|ordinary|ئادەتتىكى ئەمەلدىن قالدۇرۇش"])
S("企业设立登记|Registering a company|كارخانا تەسىس قىلىش تىزىملىتىشى", "market", "business", XK, 700,
  ["开公司", "注册公司", "办营业执照"], ["legal_rep_id", "articles", "shareholder_id", "premises", "app_form"], days=1, ch="oc",
  pop_r={"440106": 760, "653101": 420}, subs=[
    "有限责任公司|limited liability company|چەكلىك مەسئۇلىيەت شىركىتى",
    "股份有限公司|joint-stock company|پاي چەكلىك شىركىتى",
    "个人独资企业|sole proprietorship|شەخسىي مەبلەغلىك كارخانا",
    "合伙企业|partnership|شېرىكچىلىك كارخانىسى||contract",
    "外商投资企业|foreign-invested company|چەت ئەل سودىگەرلىرى مەبلەغ سالغان كارخانا||foreign_passport",
    "分公司|branch office|تارماق شىركەت||biz_lic",
  ])
S("企业变更登记|Changing a company registration|كارخانا ئۆزگەرتىش تىزىملىتىشى", "market", "business", XK, 460,
  ["公司变更", "改公司名"], ["biz_lic", "legal_rep_id", "resolution", "change_form"], days=1, ch="oc", subs=[
    "名称变更|new name|نامى ئۆزگەرگەندە",
    "住所变更|new address|ئادرېسى ئۆزگەرگەندە||premises",
    "法定代表人变更|new legal representative|قانۇنىي ۋەكىلى ئۆزگەرگەندە",
    "注册资本变更|new registered capital|تىزىملاتقان مەبلىغى ئۆزگەرگەندە",
    "经营范围变更|new scope of business|تىجارەت دائىرىسى ئۆزگەرگەندە",
    "股东变更|new shareholders|پاي ئىگىلىرى ئۆزگەرگەندە||shareholder_id",
    "企业类型变更|new company type|كارخانا تىپى ئۆزگەرگەندە",
  ])
S("企业注销登记|Closing a company|كارخانىنى ئەمەلدىن قالدۇرۇش تىزىملىتىشى", "market", "business", XK, 360,
  ["公司注销", "关公司"], ["biz_lic", "legal_rep_id", "resolution", "cancel_form"], days=3, ch="oc", subs=[
    "简易注销|simplified|ئاددىي ئەمەلدىن قالدۇرۇش", "一般注销|ordinary|ئادەتتىكى ئەمەلدىن قالدۇرۇش", "分公司注销|branch office|تارماق شىركەت"])
S("企业备案|Company filings|كارخانىنى ئەنگە ئالدۇرۇش", "market", "business", QT, 160,
  ["章程备案", "董事备案"], ["biz_lic", "resolution", "app_form"], days=1, ch="oc", subs=[
    "章程备案|articles of association|نىزامنامىنى ئەنگە ئالدۇرۇش||articles",
    "董事监事高级管理人员备案|directors and managers|مۇدىرلار ۋە نازارەتچىلەرنى ئەنگە ئالدۇرۇش",
    "联络员备案|liaison officer|ئالاقىچىنى ئەنگە ئالدۇرۇش",
    "清算组备案|liquidation group|تەسۋىيە گۇرۇپپىسىنى ئەنگە ئالدۇرۇش",
  ])
S("营业执照补换领|Replacing a business licence|تىجارەت كىنىشكىسىنى تولۇقلاش ۋە ئالماشتۇرۇش", "market", "business", XK, 260,
  ["营业执照丢了", "补营业执照"], ["legal_rep_id", "app_form"], days=1, ch="oc", subs=[
    "补领|lost licence|يوقاتقاندا تولۇقلاپ ئېلىش||loss_statement", "换发|worn licence|كونىراپ كەتكەندە ئالماشتۇرۇش||biz_lic"])
S("电子营业执照下载|Downloading an electronic business licence|ئېلېكترونلۇق تىجارەت كىنىشكىسىنى چۈشۈرۈش", "market", "business", GG, 360,
  ["电子执照"], ["legal_rep_id"], ch="o")
S("企业名称自主申报|Reserving a company name|كارخانا نامىنى ئۆزى مەلۇم قىلىش", "market", "business", QT, 320,
  ["公司起名", "名称核准"], ["legal_rep_id"], ch="o")
S("企业年度报告公示|Filing a company annual report|كارخانىنىڭ يىللىق دوكلاتىنى ئاشكارىلاش", "market", "business", QT, 320,
  ["年报", "工商年报"], ["biz_lic"], ch="o", subs=[
    "企业年报|companies|كارخانىلار", "个体工商户年报|individual businesses|يەككە سودا-سانائەتچىلەر", "农民专业合作社年报|farmers' cooperatives|دېھقانلار كەسپىي كوپىراتىپلىرى"])
S("经营异常名录移出|Removal from the list of abnormal operations|نورمالسىز تىجارەت تىزىملىكىدىن چىقىرىش", "market", "business", QT, 90,
  ["经营异常"], ["biz_lic", "app_form"], days=5, ch="oc")
S("农民专业合作社登记|Registering a farmers' cooperative|دېھقانلار كەسپىي كوپىراتىپىنى تىزىملىتىش", "market", "business", XK, 80,
  ["合作社"], ["id_card", "articles", "premises", "app_form"], days=1, acts="REG", pop_r={"653101": 200})
S("食品经营许可|Food business licence|يېمەكلىك تىجارىتى ئىجازىتى", "market", "food_drug", XK, 460,
  ["开饭店", "开餐馆", "食品许可证"], ["biz_lic", "legal_rep_id", "food_rules", "layout", "app_form"], days=10, ch="oc",
  acts="LIC", street="market", subs=[
    "食品销售|food retail|يېمەكلىك سېتىش",
    "餐饮服务|catering|ئاشخانا مۇلازىمىتى||staff_health",
    "单位食堂|workplace canteen|ئورۇن ئاشخانىسى||staff_health",
  ])
S("仅销售预包装食品备案|Filing for selling only pre-packaged food|ئالدىن ئورالغان يېمەكلىك سېتىشنى ئەنگە ئالدۇرۇش", "market", "food_drug", QT, 260,
  ["小卖部", "便利店"], ["biz_lic", "legal_rep_id", "commit_letter"], ch="oc", acts="FIL", street="market")
S("食品小作坊登记|Registering a small food workshop|كىچىك يېمەكلىك ئىشلەش ئورنىنى تىزىملىتىش", "market", "food_drug", XK, 70,
  ["小作坊"], ["id_card", "premises", "layout", "staff_health", "app_form"], days=10, acts="LIC")
S("食品摊贩登记|Registering a food stall|يېمەكلىك راستىسىنى تىزىملىتىش", "market", "food_drug", XK, 90,
  ["小吃摊", "摆摊"], ["id_card", "staff_health", "app_form"], days=5, acts="CARD", street="market")
S("食品生产许可|Food production licence|يېمەكلىك ئىشلەپچىقىرىش ئىجازىتى", "market", "food_drug", XK, 60,
  ["食品厂"], ["biz_lic", "legal_rep_id", "layout", "food_rules", "app_form"], days=10, acts="LIC", subs=[
    "茶叶及相关制品|tea products|چاي ۋە مۇناسىۋەتلىك مەھسۇلاتلار",
    "糕点|pastries|پىرەنىك-توقاچلار",
    "粮食加工品|processed grain|ئاشلىق پىششىقلاپ ئىشلەنگەن مەھسۇلاتلار",
    "饮料|drinks|ئىچىملىكلەر",
  ])
S("药品零售企业许可|Pharmacy licence|دورا پارچە سېتىش كارخانىسى ئىجازىتى", "market", "food_drug", XK, 70,
  ["开药店", "药店许可"], ["biz_lic", "legal_rep_id", "qualification", "premises", "app_form"], days=15, acts="LIC", subs=[
    "单体药店|independent pharmacies|يەككە دورىخانىلار",
    "连锁药店门店|chain pharmacy branches|زەنجىرسىمان دورىخانا تارماقلىرى",
  ])
S("第二类医疗器械经营备案|Filing for selling class II medical devices|ئىككىنچى تۈر داۋالاش ئەسۋابلىرىنى سېتىشنى ئەنگە ئالدۇرۇش", "market", "food_drug", QT, 40,
  ["医疗器械"], ["biz_lic", "legal_rep_id", "premises", "commit_letter"], acts="FIL")
S("第三类医疗器械经营许可|Licence for selling class III medical devices|ئۈچىنچى تۈر داۋالاش ئەسۋابلىرىنى سېتىش ئىجازىتى", "market", "food_drug", XK, 30,
  ["医疗器械"], ["biz_lic", "legal_rep_id", "premises", "qualification", "app_form"], days=20, acts="LIC")
S("特种设备使用登记|Special equipment registration|ئالاھىدە ئۈسكۈنىلەرنى ئىشلىتىش تىزىملىتىشى", "market", "safety", QR, 70,
  ["电梯登记", "锅炉登记"], ["biz_lic", "qualification", "reg_form"], days=15, subs=[
    "电梯|lifts|لىفىت", "锅炉|boilers|قازان", "压力容器|pressure vessels|بېسىملىق قاچا", "起重机械|cranes|يۈك كۆتۈرۈش ماشىنىلىرى",
    "场（厂）内专用机动车辆|on-site vehicles|زاۋۇت ئىچىدە ئىشلىتىلىدىغان ماشىنىلار",
  ])
S("消费者投诉举报|Consumer complaints|ئىستېمالچىلارنىڭ ئەرز-شىكايىتى", "market", "business", GG, 610,
  ["投诉商家", "退货", "维权"], ["id_card", "complaint_form", "evidence", "invoice"], days=7, ch="oc", street="market")
S("股权出质登记|Registering a pledge of equity|پاي ھوقۇقىنى رەنىگە قويۇشنى تىزىملىتىش", "market", "business", QR, 30,
  ["股权质押"], ["biz_lic", "contract", "app_form"], days=3, acts="REG")
S("动产抵押登记|Registering a chattel mortgage|كۆچمە مۈلۈكنى رەنىگە قويۇشنى تىزىملىتىش", "market", "business", QR, 40,
  ["动产抵押"], ["biz_lic", "contract", "app_form"], days=1, ch="o")

# ===========================================================================
# 税务 tax
# ===========================================================================
S("个人所得税综合所得汇算清缴|Annual individual income tax reconciliation|شەخسىي تاپاۋەت بېجىنىڭ يىللىق ئومۇمىي ھېساباتى", "tax", "tax", QT, 800,
  ["个税退税", "个税汇算", "退税"], ["id_card", "bank_card", "tax_return"], ch="oc")
S("个人所得税专项附加扣除填报|Individual income tax special deductions|شەخسىي تاپاۋەت بېجىنىڭ مەخسۇس قوشۇمچە ئېلىۋېتىلىدىغان قىسمىنى تولدۇرۇش",
  "tax", "tax", QT, 500, ["个税扣除", "房贷扣除", "子女教育扣除"], ["id_card", "tax_return"], ch="o", subs=[
    "子女教育|children's education|پەرزەنتلەرنىڭ مائارىپى",
    "住房贷款利息|mortgage interest|تۇرالغۇ قەرزى ئۆسۈمى",
    "住房租金|rent|ئۆي ئىجارە ھەققى",
    "赡养老人|supporting elderly parents|ياشانغانلارنى بېقىش",
    "大病医疗|serious illness|ئېغىر كېسەل داۋالاش",
    "继续教育|continuing education|داۋاملىق مائارىپ",
    "三岁以下婴幼儿照护|care of children under three|ئۈچ ياشتىن تۆۋەن بوۋاقلارنى بېقىش",
  ])
S("个人所得税纳税记录开具|Individual income tax record|شەخسىي تاپاۋەت بېجى تاپشۇرۇش خاتىرىسىنى بېرىش", "tax", "tax", QT, 460,
  ["个税证明", "纳税证明", "完税证明"], ["id_card"], ch="oc")
S("发票领用|Obtaining invoices|فاكتۇرا ئېلىش", "tax", "tax", QT, 500,
  ["领发票", "申领发票"], ["biz_lic", "legal_rep_id"], ch="oc", subs=[
    "增值税专用发票|special VAT invoices|قوشۇلما قىممەت بېجى مەخسۇس فاكتۇراسى",
    "增值税普通发票|ordinary VAT invoices|قوشۇلما قىممەت بېجى ئادەتتىكى فاكتۇراسى",
    "数电发票额度调整|digital invoice quota|رەقەملىك فاكتۇرا مىقدارىنى تەڭشەش",
  ])
S("代开增值税发票|Invoices issued by the tax office|باج ئىدارىسى ۋاكالىتەن بېرىدىغان قوشۇلما قىممەت بېجى فاكتۇراسى", "tax", "tax", QT, 410,
  ["代开发票", "个人开发票"], ["id_card", "contract"], ch="oc", subs=[
    "个人出租房屋|renting out a home|شەخسىي ئۆي ئىجارىگە بېرىش||lease",
    "自然人提供劳务|personal services|شەخسلەرنىڭ ئەمگەك مۇلازىمىتى",
    "自然人销售货物|sale of goods by individuals|شەخسلەرنىڭ مال سېتىشى",
  ])
S("新办纳税人涉税事项办理|Tax set-up for new businesses|يېڭى باج تاپشۇرغۇچىلارنىڭ باج ئىشلىرىنى بېجىرىش", "tax", "tax", QR, 310,
  ["税务登记", "税务报到"], ["biz_lic", "legal_rep_id", "app_form"], ch="oc", subs=[
    "信息确认|confirming registration details|ئۇچۇرنى جەزملەشتۈرۈش",
    "税种认定|tax types|باج تۈرىنى بېكىتىش",
    "一般纳税人登记|general taxpayer registration|ئادەتتىكى باج تاپشۇرغۇچى تىزىملىتىش",
    "跨区域涉税事项报告|cross-region tax report|رايونلار ئارا باج ئىشلىرى دوكلاتى",
  ])
S("清税注销|Tax deregistration|باجنى تازىلاپ ئەمەلدىن قالدۇرۇش", "tax", "tax", QR, 260,
  ["税务注销", "清税证明"], ["biz_lic", "legal_rep_id", "cancel_form"], days=3, ch="oc", subs=[
    "即办注销|same-day|دەرھال بېجىرىلىدىغان", "一般注销|ordinary|ئادەتتىكى"])
S("契税申报|Deed tax filing|ھۆججەت بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 420,
  ["买房交税", "契税"], ["id_card", "purchase", "invoice"], ch="oc")
S("城乡居民社会保险费缴纳|Paying residents' social insurance contributions|شەھەر-يېزا ئاھالىلىرىنىڭ ئىجتىمائىي سۇغۇرتا پۇلىنى تاپشۇرۇش",
  "tax", "tax", QT, 560, ["交医保", "交养老保险", "社保缴费"], ["id_card"], ch="ocg", street="all", subs=[
    "城乡居民医疗保险费|residents' medical insurance|ئاھالىلەر داۋالاش سۇغۇرتىسى", "城乡居民养老保险费|residents' pension insurance|ئاھالىلەر كۈتۈنۈش سۇغۇرتىسى"])
S("灵活就业人员社会保险费缴纳|Flexible workers paying social insurance|ئەۋرىشىم ئىشقا ئورۇنلاشقانلارنىڭ ئىجتىمائىي سۇغۇرتا پۇلى تاپشۇرۇشى",
  "tax", "tax", QT, 410, ["个人交社保", "灵活就业缴费"], ["id_card", "bank_card"], ch="oc")
S("车船税缴纳|Vehicle and vessel tax|ماشىنا-كېمە بېجىنى تاپشۇرۇش", "tax", "tax", QT, 160,
  ["车船税"], ["vehicle_lic"], ch="oc")
S("车辆购置税申报|Vehicle purchase tax filing|قاتناش ۋاسىتىسى سېتىۋېلىش بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 310,
  ["买车交税", "购置税"], ["id_card", "vehicle_invoice"], ch="oc")
S("增值税及附加税费申报|VAT and surcharges filing|قوشۇلما قىممەت بېجى ۋە قوشۇمچە باج-ھەقلەرنى مەلۇم قىلىش", "tax", "tax", QT, 360,
  ["报税", "增值税"], ["biz_lic", "tax_return"], ch="o", acts="TAX")
S("企业所得税申报|Corporate income tax filing|كارخانا تاپاۋەت بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 310,
  ["企业所得税", "汇算清缴"], ["biz_lic", "tax_return"], ch="o", acts="TAX", subs=[
    "按月按季预缴|monthly or quarterly prepayment|ئايلىق ياكى پەسىللىك ئالدىن تاپشۇرۇش", "年度汇算清缴|annual reconciliation|يىللىق ئومۇمىي ھېسابات"])
S("房产税和城镇土地使用税申报|Property tax and land use tax filing|ئۆي-مۈلۈك بېجى ۋە شەھەر-بازار يەر ئىشلىتىش بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 110,
  ["房产税"], ["property", "tax_return"], ch="oc")
S("税收减免备案|Filing for tax relief|باج كەچۈرۈم قىلىشنى ئەنگە ئالدۇرۇش", "tax", "tax", QT, 160,
  ["减税", "免税"], ["id_card", "app_form"], ch="oc", subs=[
    "残疾人|people with disabilities|مېيىپلار||disab_cert",
    "退役士兵创业就业|veterans starting work or a business|ئەسكەرلىكتىن قايتقانلارنىڭ ئىگىلىك تىكلىشى||discharge",
    "重点群体创业就业|priority groups starting work|مۇھىم توپلارنىڭ ئىگىلىك تىكلىشى",
    "小微企业|small businesses|كىچىك ۋە ئىنتايىن كىچىك كارخانىلار||biz_lic",
  ])
S("出口退税备案|Export tax refund filing|ئېكسپورت باج قايتۇرۇشنى ئەنگە ئالدۇرۇش", "tax", "tax", QT, 50,
  ["出口退税"], ["biz_lic", "app_form"], ch="oc", acts="FIL", pop_r={"440106": 120})

# ===========================================================================
# 住建 housing
# ===========================================================================
S("公共租赁住房申请|Public rental housing application|ئاممىۋى ئىجارە تۇرالغۇسى ئىلتىماسى", "housing", "housing", JF, 460,
  ["公租房", "廉租房", "保障房"], ["id_card", "hukou", "income", "app_form"], days=30, ch="ocg", street="all", subs=[
    "本市户籍家庭|local households|يەرلىك نوپۇسلۇق ئائىلىلەر", "新就业无房职工|new workers without housing|يېڭىدىن ئىشقا ئورۇنلاشقان ئۆيسىز خىزمەتچىلەر||labour_contract",
    "外来务工人员|migrant workers|سىرتتىن كەلگەن ئىشچىلار||res_permit"])
S("住房租赁补贴申请|Housing rental subsidy|تۇرالغۇ ئىجارە تولۇقلىمىسى ئىلتىماسى", "housing", "housing", JF, 360,
  ["租房补贴", "住房补贴"], ["id_card", "hukou", "lease", "income", "bank_card"], days=30, ch="ocg", street="all")
S("共有产权住房申请|Shared-ownership housing application|ئورتاق مۈلۈكلۈك تۇرالغۇ ئىلتىماسى", "housing", "housing", QR, 160,
  ["共有产权房", "人才房"], ["id_card", "hukou", "income", "app_form"], days=30, skip=["653101"])
S("商品房预售许可|Off-plan sales permit|تاۋار ئۆينى ئالدىن سېتىش ئىجازىتى", "housing", "housing", XK, 50,
  ["预售证"], ["biz_lic", "land_doc", "design_plan", "app_form"], days=10, acts="LIC")
S("房屋租赁登记备案|Lease registration|ئۆي ئىجارىسىنى تىزىملىتىش ۋە ئەنگە ئالدۇرۇش", "housing", "housing", QT, 500,
  ["租房备案", "租赁合同备案"], ["id_card", "lease", "house_proof"], ch="oc", street="all", acts="FIL")
S("商品房买卖合同网签备案|Online filing of home purchase contracts|تاۋار ئۆي سېتىش-سېتىۋېلىش توختامىنى توردا ئىمزالاپ ئەنگە ئالدۇرۇش", "housing", "housing", QT, 450,
  ["网签", "买房备案"], ["id_card", "purchase"], ch="oc", subs=[
    "新建商品房|new homes|يېڭى سېلىنغان تاۋار ئۆي", "存量房|second-hand homes|ئىككىنچى قول ئۆي||property"])
S("建筑工程施工许可证核发|Building construction permit|قۇرۇلۇش قۇرۇلۇشى ئىجازەتنامىسى بېرىش", "housing", "planning", XK, 60,
  ["施工许可证", "开工证"], ["biz_lic", "land_doc", "design_plan", "contract", "app_form"], days=7, acts="LIC", subs=[
    "房屋建筑工程|building works|ئۆي-بىنا قۇرۇلۇشى",
    "市政基础设施工程|municipal infrastructure|شەھەر ئۇل ئەسلىھە قۇرۇلۇشى",
  ])
S("燃气经营许可|Gas supply licence|تەبىئىي گاز تىجارىتى ئىجازىتى", "housing", "safety", XK, 20,
  ["燃气许可"], ["biz_lic", "safety_rules", "app_form"], days=20, acts="LIC")
S("住宅专项维修资金使用|Using the residential maintenance fund|تۇرالغۇ مەخسۇس ئوڭشاش فوندىنى ئىشلىتىش", "housing", "housing", QT, 160,
  ["维修基金", "小区维修"], ["app_form", "contract"], days=10)
S("既有住宅加装电梯|Installing lifts in existing homes|بار تۇرالغۇلارغا لىفىت ئورنىتىش", "housing", "housing", GG, 210,
  ["加装电梯", "老小区电梯"], ["property", "design_plan", "contract", "app_form"], days=20, skip=["653101"])
S("房屋安全鉴定|Housing safety appraisal|ئۆي بىخەتەرلىكىنى باھالاش", "housing", "housing", GG, 110,
  ["危房鉴定"], ["id_card", "property", "app_form"], days=15)
S("城镇污水排入排水管网许可|Permit to discharge wastewater into sewers|شەھەر-بازار پاسكىنا سۈيىنى تۇرۇبا تورىغا قويۇۋېتىش ئىجازىتى", "housing", "environment", XK, 40,
  ["排水许可"], ["biz_lic", "site_map", "app_form"], days=15, acts="LIC")

# ===========================================================================
# 住房公积金 housing provident fund
# ===========================================================================
S("住房公积金提取|Housing provident fund withdrawal|تۇرالغۇ جۇغلانما فوندىنى ئېلىش", "hpf", "housing_fund", JF, 960,
  ["公积金提取", "取公积金", "公积金取出来"], ["id_card", "bank_card", "app_form"], days=3, ch="oc", subs=[
    "租房提取|for rent|ئۆي ئىجارىسى ئۈچۈن|租房|lease",
    "购买自住住房提取|for buying a home|ئۆزى تۇرىدىغان ئۆي سېتىۋېلىش ئۈچۈن|买房|purchase,deed_tax",
    "偿还住房贷款本息提取|for mortgage repayments|تۇرالغۇ قەرزىنى قايتۇرۇش ئۈچۈن|还房贷|loan_contract,repay_proof",
    "离职提取|on leaving a job|خىزمەتتىن ئايرىلغاندا||termination",
    "退休提取|on retirement|پېنسىيەگە چىققاندا",
    "出境定居提取|on settling abroad|چەت ئەلدە ئولتۇراقلاشقاندا||passport",
    "死亡或宣告死亡提取|after a death|ۋاپات بولغاندا||death_proof,kin_proof",
    "重大疾病医疗提取|for serious illness|ئېغىر كېسەل داۋالاش ئۈچۈن||diagnosis,med_invoice",
    "既有住宅加装电梯提取|for installing a lift|لىفىت ئورنىتىش ئۈچۈن||contract",
    "老旧小区改造提取|for renovating an old estate|كونا ئولتۇراق رايونىنى ئۆزگەرتىش ئۈچۈن||contract",
    "最低生活保障家庭提取|for minimum allowance households|ئەڭ تۆۋەن تۇرمۇش كاپالىتىدىكى ئائىلىلەر ئۈچۈن",
  ])
S("住房公积金贷款|Housing provident fund loan|تۇرالغۇ جۇغلانما فوندى قەرزى", "hpf", "housing_fund", JF, 800,
  ["公积金贷款", "公积金买房", "房贷"], ["id_card", "marriage_cert", "purchase", "income", "app_form"], days=10, ch="oc", subs=[
    "新建商品房贷款|new homes|يېڭى سېلىنغان تاۋار ئۆي قەرزى",
    "二手房贷款|second-hand homes|ئىككىنچى قول ئۆي قەرزى||property",
    "组合贷款|combined with a bank loan|بىرىكمە قەرز",
    "异地缴存职工贷款|fund paid in another city|باشقا شەھەردە تاپشۇرغان خىزمەتچىلەر قەرزى",
    "贷款期限变更|changing the loan term|قەرز مۇددىتىنى ئۆزگەرتىش||loan_contract",
  ])
S("住房公积金贷款提前还款|Early repayment of a provident fund loan|تۇرالغۇ جۇغلانما فوندى قەرزىنى بالدۇر قايتۇرۇش", "hpf", "housing_fund", JF, 460,
  ["提前还贷", "公积金还款"], ["id_card", "loan_contract"], days=1, ch="oc", subs=[
    "部分提前还款|part repayment|قىسمەن بالدۇر قايتۇرۇش", "全部结清|full repayment|تولۇق تازىلاش"])
S("住房公积金缴存|Housing provident fund contributions|تۇرالغۇ جۇغلانما فوندى تاپشۇرۇش", "hpf", "housing_fund", GG, 460,
  ["公积金开户", "交公积金"], ["id_card", "biz_lic", "reg_form"], ch="oc", subs=[
    "单位缴存登记|employer registration|ئورۇننىڭ تاپشۇرۇش تىزىملىتىشى",
    "个人账户设立|opening a personal account|شەخسىي ھېسابات ئېچىش",
    "个人账户封存|suspending an account|شەخسىي ھېساباتنى پېچەتلەش",
    "个人账户启封|reopening an account|شەخسىي ھېساباتنى ئېچىش",
    "缴存基数调整|adjusting the contribution base|تاپشۇرۇش ئاساسىنى تەڭشەش",
    "灵活就业人员自愿缴存|voluntary contributions by flexible workers|ئەۋرىشىم ئىشقا ئورۇنلاشقانلارنىڭ ئىختىيارىي تاپشۇرۇشى",
  ])
S("住房公积金转移接续|Transferring a provident fund account|تۇرالغۇ جۇغلانما فوندىنى يۆتكەش ۋە ئۇلاش", "hpf", "housing_fund", GG, 410,
  ["公积金转移"], ["id_card", "app_form"], days=5, ch="oc", subs=[
    "异地转移接续|from another city|باشقا شەھەردىن يۆتكەش|跨省通办", "本地转移|within the city|شەھەر ئىچىدە يۆتكەش"])
S("住房公积金缴存证明|Provident fund contribution certificate|تۇرالغۇ جۇغلانما فوندى تاپشۇرغانلىق ئىسپاتى", "hpf", "housing_fund", GG, 510,
  ["公积金证明", "查公积金"], ["id_card"], ch="oc", subs=[
    "缴存证明|contribution certificate|تاپشۇرغانلىق ئىسپاتى", "个人明细查询|account statement|شەخسىي تەپسىلاتنى سۈرۈشتۈرۈش", "贷款结清证明|loan settled certificate|قەرز تازىلانغانلىق ئىسپاتى"])

# ===========================================================================
# 不动产 real estate
# ===========================================================================
S("不动产首次登记|First real estate registration|كۆچمەس مۈلۈكنى تۇنجى قېتىم تىزىملىتىش", "realestate", "real_estate", QR, 350,
  ["新房办证", "房产证办理"], ["id_card", "purchase", "deed_tax", "app_form"], fee=8000, days=5, subs=[
    "国有建设用地使用权及房屋所有权|state-owned land and buildings|دۆلەت ئىگىدارچىلىقىدىكى قۇرۇلۇش يېرى ۋە ئۆي ئىگىدارلىقى",
    "宅基地使用权及房屋所有权|homestead land and houses|ئۆي سېلىش يېرى ۋە ئۆي ئىگىدارلىقى||land_doc",
    "集体建设用地使用权|collective construction land|كوللېكتىپ قۇرۇلۇش يېرىنى ئىشلىتىش ھوقۇقى||land_doc",
  ])
S("不动产转移登记|Real estate transfer registration|كۆچمەس مۈلۈكنى يۆتكەش تىزىملىتىشى", "realestate", "real_estate", QR, 750,
  ["房产过户", "买房过户", "二手房过户"], ["id_card", "property", "contract", "deed_tax", "app_form"], fee=8000, days=3, subs=[
    "存量房买卖|second-hand home sale|ئىككىنچى قول ئۆي سېتىش",
    "新建商品房买卖|new home purchase|يېڭى تاۋار ئۆي سېتىۋېلىش||purchase",
    "继承|inheritance|مىراس||inheritance,death_proof",
    "赠与|gift|سوۋغا قىلىش",
    "离婚析产|division on divorce|ئاجرىشىشتا مۈلۈك بۆلۈش||divorce_cert,divorce_agreement",
    "夫妻间变更|between spouses|ئەر-ئايال ئوتتۇرىسىدا ئۆزگەرتىش||marriage_cert",
    "法院判决|by court decision|سوت ھۆكۈمى بويىچە||court_doc",
  ])
S("不动产变更登记|Real estate change registration|كۆچمەس مۈلۈكنى ئۆزگەرتىش تىزىملىتىشى", "realestate", "real_estate", QR, 300,
  ["房产证改名"], ["id_card", "property", "change_form"], days=3, subs=[
    "权利人姓名或名称变更|owner's name|ھوقۇق ئىگىسىنىڭ ئىسمى ئۆزگەرگەندە",
    "证件号码变更|ID number|كىنىشكە نومۇرى ئۆزگەرگەندە",
    "坐落地址变更|address|ئورۇنلاشقان ئادرېسى ئۆزگەرگەندە",
    "用途变更|use|ئىشلىتىلىشى ئۆزگەرگەندە",
  ])
S("不动产抵押登记|Real estate mortgage registration|كۆچمەس مۈلۈكنى رەنىگە قويۇش تىزىملىتىشى", "realestate", "real_estate", QR, 500,
  ["房屋抵押", "解押", "按揭"], ["id_card", "property", "loan_contract", "app_form"], fee=8000, days=1, subs=[
    "首次登记|new mortgage|تۇنجى قېتىم", "注销登记|release|ئەمەلدىن قالدۇرۇش", "变更登记|change|ئۆزگەرتىش", "最高额抵押|maximum-amount mortgage|ئەڭ يۇقىرى سوممىلىق رەنە"])
S("不动产预告登记|Advance notice registration|كۆچمەس مۈلۈكنى ئالدىن ئۇقتۇرۇش تىزىملىتىشى", "realestate", "real_estate", QR, 250,
  ["预告登记", "期房"], ["id_card", "purchase", "app_form"], days=1, subs=[
    "预购商品房预告登记|purchase of an off-plan home|ئالدىن سېتىۋېلىنغان تاۋار ئۆي",
    "预购商品房抵押预告登记|mortgage on an off-plan home|ئالدىن سېتىۋېلىنغان تاۋار ئۆينى رەنىگە قويۇش||loan_contract",
    "预告登记注销|cancellation|ئەمەلدىن قالدۇرۇش",
  ])
S("不动产更正登记|Real estate correction registration|كۆچمەس مۈلۈكنى تۈزىتىش تىزىملىتىشى", "realestate", "real_estate", QR, 80,
  ["房产证错误"], ["id_card", "property", "evidence", "app_form"], days=30)
S("不动产异议登记|Real estate objection registration|كۆچمەس مۈلۈككە قارشى پىكىر تىزىملىتىشى", "realestate", "real_estate", QR, 30,
  ["房产争议"], ["id_card", "evidence", "app_form"], days=1)
S("不动产注销登记|Real estate cancellation registration|كۆچمەس مۈلۈكنى ئەمەلدىن قالدۇرۇش تىزىملىتىشى", "realestate", "real_estate", QR, 100,
  ["房屋灭失"], ["id_card", "property", "cancel_form"], days=5)
S("不动产登记资料查询|Real estate record enquiry|كۆچمەس مۈلۈك تىزىملاش ماتېرىيالىنى سۈرۈشتۈرۈش", "realestate", "real_estate", GG, 610,
  ["查房产", "房产证明", "无房证明"], ["id_card", "app_form"], ch="oc", subs=[
    "权利人查询|by the owner|ھوقۇق ئىگىسى سۈرۈشتۈرۈش",
    "利害关系人查询|by an interested party|مەنپەئەتدار تەرەپ سۈرۈشتۈرۈش||evidence",
    "无房证明|proof of owning no home|ئۆيى يوقلۇق ئىسپاتى",
    "不动产权属证明|proof of ownership|كۆچمەس مۈلۈك ھوقۇقى ئىسپاتى",
  ])
S("不动产权证书补换证|Replacing a real estate title certificate|كۆچمەس مۈلۈك ھوقۇق گۇۋاھنامىسىنى تولۇقلاش ۋە ئالماشتۇرۇش", "realestate", "real_estate", QR, 210,
  ["房产证丢了", "补房产证"], ["id_card", "app_form"], fee=1000, days=10, subs=[
    "补证|lost certificate|يوقاتقاندا تولۇقلاش||loss_statement", "换证|damaged certificate|بۇزۇلغاندا ئالماشتۇرۇش||property"])

# ===========================================================================
# 自然资源 planning and land
# ===========================================================================
S("建设项目用地预审与选址意见书|Land pre-approval and site selection|قۇرۇلۇش تۈرى يېرىنى ئالدىن تەكشۈرۈش ۋە ئورۇن تاللاش پىكىرنامىسى", "nr", "planning", XK, 20,
  ["选址意见书"], ["biz_lic", "site_map", "app_form"], days=20)
S("建设用地规划许可证核发|Land use planning permit|قۇرۇلۇش يېرى پىلان ئىجازەتنامىسى بېرىش", "nr", "planning", XK, 30,
  ["用地规划许可"], ["biz_lic", "land_doc", "site_map", "app_form"], days=20, acts="LIC")
S("建设工程规划许可证核发|Construction planning permit|قۇرۇلۇش قۇرۇلۇشى پىلان ئىجازەتنامىسى بېرىش", "nr", "planning", XK, 40,
  ["工程规划许可"], ["biz_lic", "land_doc", "design_plan", "app_form"], days=20, acts="LIC", subs=[
    "建筑类|buildings|بىنا تۈرى", "市政管线类|municipal pipelines|شەھەر تۇرۇبا لىنىيىسى تۈرى"])
S("乡村建设规划许可证核发|Rural construction planning permit|يېزا قۇرۇلۇشى پىلان ئىجازەتنامىسى بېرىش", "nr", "planning", XK, 80,
  ["农村盖房", "乡村规划许可"], ["id_card", "land_doc", "design_plan", "app_form"], days=20, pop_r={"653101": 220},
  street="rural")
S("农村村民住宅用地审批|Approval of rural homestead land|يېزا ئاھالىلىرىنىڭ تۇرالغۇ يېرىنى تەستىقلاش", "nr", "agriculture", XK, 150,
  ["宅基地审批", "农村建房"], ["id_card", "hukou", "land_doc", "app_form"], days=20, pop_r={"653101": 280}, street="rural")
S("临时用地审批|Approval of temporary land use|ۋاقىتلىق يەر ئىشلىتىشنى تەستىقلاش", "nr", "planning", XK, 20,
  ["临时用地"], ["biz_lic", "site_map", "app_form"], days=20)
S("建设工程竣工规划核实|Planning check on completion|قۇرۇلۇش تاماملانغاندا پىلاننى تەكشۈرۈش", "nr", "planning", QR, 30,
  ["规划验收"], ["biz_lic", "design_plan", "app_form"], days=10)
S("林木采伐许可证核发|Tree felling permit|دەرەخ كېسىش ئىجازەتنامىسى بېرىش", "water", "agriculture", XK, 40,
  ["砍树", "采伐证"], ["id_card", "land_doc", "app_form"], days=10, pop_r={"653101": 70})

# ===========================================================================
# 教育 education
# ===========================================================================
S("义务教育入学报名|Compulsory school enrolment|مەجبۇرىي مائارىپ مەكتەپكە كىرىش تىزىملىتىشى", "edu", "education", GG, 850,
  ["上小学", "入学报名", "小升初"], ["hukou", "guardian_id", "house_proof", "school_notice"], ch="oc", subs=[
    "小学一年级新生|first year of primary school|باشلانغۇچ مەكتەپ بىرىنچى يىللىق يېڭى ئوقۇغۇچىلار|上小学",
    "初中一年级新生|first year of junior middle school|تولۇقسىز ئوتتۇرا مەكتەپ بىرىنچى يىللىق يېڭى ئوقۇغۇچىلار|小升初",
    "随迁子女入学|children of migrant families|ئاتا-ئانىسىغا ئەگىشىپ كەلگەن پەرزەنتلەرنىڭ مەكتەپكە كىرىشى|外地孩子上学|res_permit",
    "人才子女入学|children of recruited talent|ئىختىساسلىقلارنىڭ پەرزەنتلىرىنىڭ مەكتەپكە كىرىشى||talent_proof",
    "适龄残疾儿童入学|children with disabilities|مېيىپ بالىلارنىڭ مەكتەپكە كىرىشى||disab_cert",
  ])
S("义务教育转学|Changing schools|مەجبۇرىي مائارىپتا مەكتەپ يۆتكەش", "edu", "education", GG, 460,
  ["转学", "换学校"], ["hukou", "guardian_id", "school_proof", "app_form"], days=10, ch="oc", subs=[
    "区内转学|within the district|رايون ئىچىدە يۆتكەش", "外地转入|from elsewhere|باشقا جايدىن يۆتكىلىپ كىرىش", "转出|to elsewhere|باشقا جايغا يۆتكىلىپ چىقىش"])
S("学籍管理|Student records|ئوقۇغۇچىلىق سالاھىيىتىنى باشقۇرۇش", "edu", "education", GG, 310,
  ["学籍", "休学", "复学"], ["hukou", "guardian_id", "app_form"], days=5, ch="oc", subs=[
    "休学|suspension of studies|ئوقۇشتىن ۋاقىتلىق توختاش", "复学|resuming studies|ئوقۇشقا قايتىش", "学籍信息更正|correcting records|ئۇچۇرنى تۈزىتىش", "学籍证明|certificate of enrolment|ئوقۇغۇچىلىق ئىسپاتى"])
S("幼儿园入园报名|Kindergarten enrolment|يەسلىگە كىرىش تىزىملىتىشى", "edu", "education", GG, 710,
  ["上幼儿园", "入园"], ["hukou", "guardian_id", "vaccination", "school_notice"], ch="oc", subs=[
    "公办幼儿园|public kindergartens|دۆلەت باشقۇرىدىغان يەسلىلەر", "普惠性民办幼儿园|affordable private kindergartens|ئومۇمىي مەنپەئەتلىك خەلق باشقۇرىدىغان يەسلىلەر"])
S("民办学校办学许可|Private school licence|خەلق باشقۇرىدىغان مەكتەپ ئېچىش ئىجازىتى", "edu", "education", XK, 30,
  ["办学校", "民办幼儿园"], ["legal_rep_id", "articles", "premises", "qualification", "app_form"], days=30, acts="LIC", subs=[
    "学前教育|pre-school|مەكتەپتىن بۇرۇنقى مائارىپ", "义务教育|compulsory education|مەجبۇرىي مائارىپ"])
S("校外培训机构审批|Licensing an after-school training centre|مەكتەپ سىرتىدىكى تەربىيەلەش ئورنىنى تەستىقلاش", "edu", "education", XK, 40,
  ["培训班", "辅导班"], ["legal_rep_id", "premises", "qualification", "app_form"], days=30, acts="LIC", subs=[
    "学科类|school subjects|پەن تۈرى",
    "艺术体育科技类|arts, sport and technology|سەنئەت، تەنتەربىيە ۋە پەن-تېخنىكا تۈرى",
  ])
S("教师资格认定|Teacher qualification|ئوقۇتقۇچىلىق سالاھىيىتىنى بېكىتىش", "edu", "education", QR, 410,
  ["教师资格证", "教资认定"], ["id_card", "graduation", "health_check", "photo", "app_form"], days=30, ch="oc", subs=[
    "幼儿园教师资格|kindergarten teachers|يەسلى ئوقۇتقۇچىلىق سالاھىيىتى",
    "小学教师资格|primary school teachers|باشلانغۇچ مەكتەپ ئوقۇتقۇچىلىق سالاھىيىتى",
    "初级中学教师资格|junior middle school teachers|تولۇقسىز ئوتتۇرا مەكتەپ ئوقۇتقۇچىلىق سالاھىيىتى",
  ])
S("学生资助|Student financial aid|ئوقۇغۇچىلارغا ياردەم بېرىش", "edu", "education", JF, 310,
  ["助学金", "贫困生补助"], ["hukou", "guardian_id", "household_income", "app_form"], days=20, ch="oc", subs=[
    "学前教育资助|pre-school aid|مەكتەپتىن بۇرۇنقى مائارىپ ياردىمى",
    "义务教育家庭经济困难学生生活补助|living allowance in compulsory education|مەجبۇرىي مائارىپتىكى ئىقتىسادىي قىيىن ئوقۇغۇچىلارنىڭ تۇرمۇش ياردىمى",
    "普通高中国家助学金|national grant for senior high school|ئادەتتىكى تولۇق ئوتتۇرا مەكتەپ دۆلەت ياردەم پۇلى",
  ])
S("生源地信用助学贷款|Student loan from the home county|ئوقۇغۇچى مەنبەسى جايىدىكى ئىناۋەتلىك ئوقۇش قەرزى", "edu", "education", GG, 360,
  ["助学贷款", "大学贷款"], ["id_card", "hukou", "enroll_notice", "app_form"], days=10, ch="oc")

# ===========================================================================
# 退役军人 veterans
# ===========================================================================
S("退役军人优待证申领|Veteran privilege card|ئەسكەرلىكتىن قايتقان ھەربىيلەر ئېتىبار كىنىشكىسى ئىلتىماسى", "veterans", "veterans", GG, 510,
  ["优待证", "退伍军人证"], ["id_card", "discharge", "photo", "app_form"], days=30, ch="ocg", street="all", subs=[
    "首次申领|first card|تۇنجى قېتىم ئىلتىماس قىلىش", "补领|replacement|تولۇقلاپ ئېلىش||loss_statement", "换领|renewal|ئالماشتۇرۇش||veteran_card"])
S("退役士兵安置|Resettlement of discharged soldiers|ئەسكەرلىكتىن قايتقان لەشكەرلەرنى ئورۇنلاشتۇرۇش", "veterans", "veterans", JF, 360,
  ["退伍安置", "退役安置"], ["id_card", "discharge", "hukou", "app_form"], days=30, subs=[
    "自主就业|finding own work|ئۆزى ئىشقا ئورۇنلىشىش||bank_card",
    "安排工作|assigned work|خىزمەت ئورۇنلاشتۇرۇش",
    "退休|retirement|پېنسىيەگە چىقىش",
    "供养|lifelong support|تەمىنلەش",
  ])
S("退役军人信息采集|Recording veterans' details|ئەسكەرلىكتىن قايتقان ھەربىيلەرنىڭ ئۇچۇرىنى توپلاش", "veterans", "veterans", GG, 260,
  ["退役军人登记", "退伍登记"], ["id_card", "discharge"], ch="ocg", street="all")
S("优抚对象抚恤补助|Pensions and allowances for entitled groups|ئېتىبار بېرىلىدىغانلارنىڭ تەمىنات ياردىمى", "veterans", "veterans", JF, 310,
  ["优抚", "抚恤金", "烈属"], ["id_card", "hukou", "bank_card", "app_form"], days=20, ch="ocg", street="all", subs=[
    "残疾军人抚恤金|disabled servicemen's pension|مېيىپ ھەربىيلەر تەمىنات پۇلى||disab_cert",
    "在乡复员军人定期定量补助|allowance for demobilised soldiers in villages|يېزىدىكى ھەربىي سەپتىن قايتقانلارنىڭ مۇقىم ياردىمى",
    "带病回乡退伍军人生活补助|allowance for veterans who came home ill|كېسەل بىلەن يۇرتىغا قايتقان ئەسكەرلەرنىڭ تۇرمۇش ياردىمى",
    "参战退役人员生活补助|allowance for combat veterans|ئۇرۇشقا قاتناشقان ئەسكەرلەرنىڭ تۇرمۇش ياردىمى",
    "烈士遗属定期抚恤金|pension for martyrs' families|شېھىتلەر ئائىلىسىنىڭ مۇقىم تەمىنات پۇلى",
  ])
S("义务兵家庭优待金发放|Allowance for conscripts' families|مەجبۇرىي ئەسكەرلەر ئائىلىسىنىڭ ئېتىبار پۇلىنى تارقىتىش", "veterans", "veterans", JF, 260,
  ["优待金", "当兵补贴"], ["hukou", "army_notice", "bank_card"], days=20, ch="ocg", street="all")
S("伤残抚恤关系转移|Transferring a disabled serviceman's pension|مېيىپ ھەربىيلەرنىڭ تەمىنات مۇناسىۋىتىنى يۆتكەش", "veterans", "veterans", QR, 70,
  ["残疾军人"], ["id_card", "disab_cert", "app_form"], days=20)
S("残疾等级评定|Assessing a serviceman's disability|ھەربىيلەرنىڭ مېيىپلىق دەرىجىسىنى باھالاش", "veterans", "veterans", QR, 80,
  ["评残", "伤残等级"], ["id_card", "med_record", "app_form"], days=60, subs=[
    "新办评定残疾等级|first assessment|تۇنجى قېتىم باھالاش", "调整残疾等级|reassessment|دەرىجىنى تەڭشەش||disab_cert"])
S("退役军人职业技能培训补贴|Vocational training subsidy for veterans|ئەسكەرلىكتىن قايتقانلارنىڭ كەسپىي ماھارەت تەربىيەلەش تولۇقلىمىسى", "veterans", "veterans", JF, 110,
  ["退役培训"], ["id_card", "discharge", "qualification", "bank_card"], days=20)
S("困难退役军人帮扶援助|Help for veterans in hardship|قىيىنچىلىقى بار ئەسكەرلىكتىن قايتقانلارغا ياردەم", "veterans", "veterans", JF, 130,
  ["退伍军人困难补助"], ["id_card", "discharge", "household_income", "app_form"], days=20, ch="ocg")
S("退役军人档案接收|Receiving veterans' files|ئەسكەرلىكتىن قايتقانلارنىڭ ئارخىپىنى قوبۇل قىلىش", "veterans", "veterans", GG, 150,
  ["退伍档案"], ["id_card", "discharge"], days=5)

# ===========================================================================
# 残联 disability
# ===========================================================================
S("残疾人证|Disability certificate|مېيىپلار كىنىشكىسى", "dpf", "disability", QR, 600,
  ["残疾证", "办残疾证"], ["id_card", "hukou", "photo", "disab_assess"], days=20, ch="ocg", street="all", subs=[
    "新办|first certificate|يېڭىدىن بېجىرىش",
    "换领|renewal|ئالماشتۇرۇش||disab_cert",
    "补办|replacement|قايتا بېجىرىش||loss_statement",
    "迁移|transfer|يۆتكەش||disab_cert",
    "等级变更|change of grade|دەرىجىسىنى ئۆزگەرتىش||disab_cert",
    "注销|cancellation|ئەمەلدىن قالدۇرۇش||disab_cert",
  ])
S("残疾人辅助器具适配|Assistive devices for people with disabilities|مېيىپلارغا ياردەمچى ئەسۋاب ماسلاشتۇرۇش", "dpf", "disability", JF, 260,
  ["轮椅", "助听器", "辅具"], ["id_card", "disab_cert", "app_form"], days=20, ch="ocg", street="all")
S("残疾儿童康复救助|Rehabilitation aid for children with disabilities|مېيىپ بالىلارنى ئەسلىگە كەلتۈرۈش ياردىمى", "dpf", "disability", JF, 210,
  ["康复救助", "自闭症"], ["hukou", "guardian_id", "diagnosis", "app_form"], days=20, ch="ocg")
S("残疾人机动轮椅车燃油补贴|Fuel subsidy for motorised wheelchairs|مېيىپلار ماتورلۇق ھارۋىسى يېقىلغۇ تولۇقلىمىسى", "dpf", "disability", JF, 60,
  ["残疾人车补贴"], ["id_card", "disab_cert", "drv", "bank_card"], days=20)
S("残疾人就业创业补贴|Employment and start-up subsidy for people with disabilities|مېيىپلارنىڭ ئىشقا ئورۇنلىشىش ۋە ئىگىلىك تىكلەش تولۇقلىمىسى", "dpf", "disability", JF, 110,
  ["残疾人创业"], ["id_card", "disab_cert", "biz_lic", "bank_card"], days=20)
S("残疾人家庭无障碍改造|Accessibility adaptations at home|مېيىپلار ئائىلىسىنى توسالغۇسىز ئۆزگەرتىش", "dpf", "disability", JF, 130,
  ["无障碍改造"], ["id_card", "disab_cert", "app_form"], days=30, ch="ocg", street="all")

# ===========================================================================
# 农业农村 agriculture
# ===========================================================================
S("农药经营许可|Pesticide dealer licence|دېھقانچىلىق دورىسى تىجارىتى ئىجازىتى", "agri", "agriculture", XK, 20,
  ["卖农药"], ["biz_lic", "legal_rep_id", "premises", "qualification", "app_form"], days=20, acts="LIC", pop_r={"653101": 50})
S("兽药经营许可|Veterinary drug dealer licence|ھايۋانات دورىسى تىجارىتى ئىجازىتى", "agri", "agriculture", XK, 20,
  ["卖兽药"], ["biz_lic", "legal_rep_id", "premises", "qualification", "app_form"], days=20, acts="LIC", pop_r={"653101": 50})
S("动物防疫条件合格证核发|Animal epidemic prevention certificate|ھايۋانلارنىڭ يۇقۇملۇق كېسەلنىڭ ئالدىنى ئېلىش شارائىتى لاياقەت گۇۋاھنامىسى",
  "agri", "agriculture", XK, 40, ["养殖场", "防疫合格证"], ["biz_lic", "site_map", "safety_rules", "app_form"], days=20, acts="LIC",
  pop_r={"653101": 110})
S("动物诊疗许可|Veterinary clinic licence|ھايۋانلارنى دىئاگنوز قويۇش ۋە داۋالاش ئىجازىتى", "agri", "agriculture", XK, 35,
  ["宠物医院"], ["biz_lic", "practice_cert", "premises", "app_form"], days=20, acts="LIC", subs=[
    "动物医院|animal hospitals|ھايۋانلار دوختۇرخانىلىرى",
    "动物诊所|animal clinics|ھايۋانلار كىلىنىكىلىرى",
  ])
S("种子生产经营许可|Seed production and trading licence|ئۇرۇق ئىشلەپچىقىرىش ۋە تىجارەت ئىجازىتى", "agri", "agriculture", XK, 20,
  ["卖种子"], ["biz_lic", "premises", "app_form"], days=20, acts="LIC", pop_r={"653101": 60})
S("种畜禽生产经营许可|Breeding livestock licence|نەسلى ياخشى چارۋا-پاراندە ئىشلەپچىقىرىش ئىجازىتى", "agri", "agriculture", XK, 20,
  ["种畜"], ["biz_lic", "site_map", "app_form"], days=20, acts="LIC", pop_r={"653101": 60})
S("拖拉机和联合收割机登记|Tractor and combine harvester registration|تىراكتور ۋە كومبايىننى تىزىملىتىش", "agri", "agriculture", QR, 80,
  ["拖拉机上牌", "农机登记"], ["id_card", "machine_invoice", "reg_form"], days=2, pop_r={"653101": 240}, subs=[
    "注册登记|first registration|تۇنجى قېتىم تىزىملىتىش", "变更登记|change|ئۆزگەرتىش", "转移登记|transfer|يۆتكەش", "注销登记|deregistration|ئەمەلدىن قالدۇرۇش"])
S("拖拉机和联合收割机驾驶证|Tractor and harvester driving licence|تىراكتور ۋە كومبايىن ھەيدەش كىنىشكىسى", "agri", "agriculture", XK, 60,
  ["拖拉机驾照"], ["id_card", "body_check", "photo", "app_form"], days=5, acts="CERT", pop_r={"653101": 180})
S("农村土地承包经营权流转备案|Filing a rural land contract transfer|يېزا يەر ھۆددە تىجارەت ھوقۇقىنى ئۆتكۈزۈشنى ئەنگە ئالدۇرۇش", "agri", "agriculture", QT, 80,
  ["土地流转", "承包地"], ["id_card", "farm_contract", "contract"], days=5, pop_r={"653101": 210}, street="rural")
S("耕地地力保护补贴|Farmland fertility protection subsidy|تېرىلغۇ يەر مۇنبەتلىكىنى قوغداش تولۇقلىمىسى", "agri", "agriculture", JF, 150,
  ["种粮补贴", "农业补贴"], ["id_card", "farm_contract", "bank_card"], days=30, ch="ocg", pop_r={"653101": 430}, street="rural")
S("农机购置与应用补贴|Farm machinery purchase subsidy|يېزا ئىگىلىك ماشىنىسى سېتىۋېلىش ۋە ئىشلىتىش تولۇقلىمىسى", "agri", "agriculture", JF, 100,
  ["农机补贴"], ["id_card", "machine_invoice", "bank_card"], days=30, pop_r={"653101": 260})
S("动物产地检疫|Animal quarantine at origin|ھايۋانلارنى ئىشلەپچىقىرىش جايىدا كارانتىن قىلىش", "agri", "agriculture", QR, 60,
  ["牲畜检疫", "动物检疫"], ["id_card", "animal_proof", "app_form"], days=1, pop_r={"653101": 260}, street="rural")
S("生鲜乳收购站许可|Fresh milk collection station licence|يېڭى سۈت سېتىۋېلىش پونكىتى ئىجازىتى", "agri", "agriculture", XK, 30,
  ["奶站"], ["biz_lic", "premises", "app_form"], days=20, only=["653101"], local=True, acts="LIC")
S("家庭农场认定|Recognising a family farm|ئائىلە دېھقانچىلىق مەيدانىنى بېكىتىش", "agri", "agriculture", QR, 40,
  ["家庭农场"], ["id_card", "farm_contract", "app_form"], days=20, pop_r={"653101": 110})

# ===========================================================================
# 生态环境 environment
# ===========================================================================
S("建设项目环境影响评价文件审批|Environmental impact assessment approval|قۇرۇلۇش تۈرىنىڭ مۇھىتقا تەسىرىنى باھالاش ھۆججىتىنى تەستىقلاش", "env", "environment", XK, 40,
  ["环评审批", "环评"], ["biz_lic", "env_report", "app_form"], days=20, subs=[
    "环境影响报告书|full report|مۇھىتقا تەسىر دوكلاتنامىسى", "环境影响报告表|short report|مۇھىتقا تەسىر دوكلات جەدۋىلى"])
S("建设项目环境影响登记表备案|Filing an environmental impact form|قۇرۇلۇش تۈرىنىڭ مۇھىتقا تەسىر تىزىملاش جەدۋىلىنى ئەنگە ئالدۇرۇش", "env", "environment", QT, 50,
  ["环评备案"], ["biz_lic", "reg_form"], ch="o")
S("排污许可|Pollutant discharge permit|بۇلغىما قويۇپ بېرىش ئىجازىتى", "env", "environment", XK, 40,
  ["排污证"], ["biz_lic", "env_report", "app_form"], days=20, acts="LIC", subs=[
    "重点管理|priority management|مۇھىم باشقۇرۇش",
    "简化管理|simplified management|ئاددىيلاشتۇرۇلغان باشقۇرۇش",
  ])
S("固定污染源排污登记|Registering a fixed pollution source|مۇقىم بۇلغىنىش مەنبەسىنى تىزىملىتىش", "env", "environment", QT, 60,
  ["排污登记"], ["biz_lic", "reg_form"], ch="o", acts="FIL")
S("辐射安全许可|Radiation safety licence|رادىئاتسىيە بىخەتەرلىك ئىجازىتى", "env", "environment", XK, 10,
  ["辐射许可"], ["biz_lic", "safety_rules", "app_form"], days=20, acts="LIC")

# ===========================================================================
# 文旅 culture and tourism
# ===========================================================================
S("娱乐场所经营许可|Entertainment venue licence|كۆڭۈل ئېچىش سورۇنى تىجارىتى ئىجازىتى", "culture", "culture", XK, 30,
  ["开KTV", "歌舞厅"], ["biz_lic", "legal_rep_id", "premises", "layout", "app_form"], days=20, acts="LIC", subs=[
    "歌舞娱乐场所|karaoke and dance venues|ناخشا-ئۇسسۇل كۆڭۈل ئېچىش سورۇنلىرى",
    "游艺娱乐场所|amusement arcades|ئويۇن كۆڭۈل ئېچىش سورۇنلىرى",
  ])
S("互联网上网服务营业场所经营许可|Internet café licence|تور مۇلازىمىتى سورۇنى تىجارىتى ئىجازىتى", "culture", "culture", XK, 30,
  ["开网吧"], ["biz_lic", "legal_rep_id", "premises", "app_form"], days=20, acts="LIC")
S("营业性演出审批|Approval of commercial performances|تىجارەت خاراكتېرلىك ئويۇننى تەستىقلاش", "culture", "culture", XK, 40,
  ["演出审批", "办演出"], ["biz_lic", "contract", "app_form"], days=3)
S("出版物零售单位设立|Licensing a bookshop|نەشر بۇيۇملىرىنى پارچە سېتىش ئورنى تەسىس قىلىش", "culture", "culture", XK, 20,
  ["开书店"], ["biz_lic", "legal_rep_id", "premises", "app_form"], days=20, acts="LIC")
S("高危险性体育项目经营许可|Licence for high-risk sports|يۇقىرى خەتەرلىك تەنتەربىيە تۈرلىرى تىجارىتى ئىجازىتى", "culture", "culture", XK, 30,
  ["游泳馆许可", "攀岩"], ["biz_lic", "qualification", "safety_rules", "app_form"], days=30, acts="LIC", subs=[
    "游泳|swimming|سۇ ئۈزۈش", "攀岩|climbing|تاغقا يامىشىش", "潜水|diving|سۇغا شۇڭغۇش"])
S("民宿登记|Homestay registration|مېھمانخانا ئائىلىسىنى تىزىملىتىش", "culture", "culture", QT, 90,
  ["开民宿"], ["id_card", "house_proof", "safety_rules", "app_form"], days=10, pop_r={"330106": 160, "653101": 110}, acts="REG")
S("公共图书馆读者证办理|Public library card|ئاممىۋى كۇتۇپخانا ئوقۇرمەنلەر كىنىشكىسى", "culture", "culture", GG, 260,
  ["借书证", "图书馆"], ["id_card"], ch="oc", acts="CARD")
S("卫星电视广播地面接收设施安装许可|Satellite dish installation permit|سۈنئىي ھەمراھ تېلېۋىزىيە قوبۇللاش ئەسلىھەسىنى ئورنىتىش ئىجازىتى", "culture", "culture", XK, 10,
  ["卫星电视"], ["biz_lic", "app_form"], days=20)
S("文物保护单位修缮审批|Approval for repairing protected heritage|مەدەنىيەت يادىكارلىقلىرىنى ئوڭشاشنى تەستىقلاش", "culture", "culture", XK, 15,
  ["文物修缮"], ["design_plan", "app_form"], days=20)

# ===========================================================================
# 司法 legal services
# ===========================================================================
S("法律援助申请|Legal aid application|قانۇن ياردىمى ئىلتىماسى", "justice", "justice", GG, 410,
  ["免费律师", "法律援助"], ["id_card", "household_income", "evidence", "app_form"], days=7, ch="ocg", street="all")
S("人民调解申请|Community mediation|خەلق مۇرەسسە ئىلتىماسى", "justice", "justice", GG, 310,
  ["调解纠纷", "邻里纠纷"], ["id_card", "evidence", "app_form"], days=30, ch="ocg", street="all")
S("公证|Notarisation|نوتارىئال ئىسپاتلاش", "justice", "justice", GG, 360,
  ["办公证", "公证处"], ["id_card", "notary_form", "original_doc"], fee=20000, days=15, subs=[
    "出生公证|birth|تۇغۇلۇش ئىسپاتى",
    "学历公证|education|ئوقۇش تارىخى ئىسپاتى||graduation",
    "无犯罪记录公证|no criminal record|جىنايەت خاتىرىسى يوقلۇق ئىسپاتى",
    "亲属关系公证|kinship|تۇغقانچىلىق مۇناسىۋىتى ئىسپاتى",
    "委托公证|power of attorney|ھاۋالە ئىسپاتى",
    "继承公证|inheritance|مىراس ئىسپاتى||death_proof",
    "声明公证|declaration|بايانات ئىسپاتى",
    "婚姻状况公证|marital status|نىكاھ ئەھۋالى ئىسپاتى",
  ])
S("公共法律服务咨询|Free legal advice|ئاممىۋى قانۇن مۇلازىمىتى مەسلىھەتى", "justice", "justice", GG, 220,
  ["法律咨询", "问律师"], ["id_card"], ch="oc")
S("基层法律服务工作者执业核准|Licensing grassroots legal workers|ئاساسىي قاتلام قانۇن مۇلازىمەتچىلىرىنىڭ كەسپىي ئىجازىتى", "justice", "justice", XK, 10,
  ["法律工作者"], ["id_card", "qualification", "app_form"], days=20, acts="PRAC")

# ===========================================================================
# 应急 / 消防 emergency and fire
# ===========================================================================
S("危险化学品经营许可|Hazardous chemicals dealer licence|خەتەرلىك خىمىيىلىك بۇيۇملار تىجارىتى ئىجازىتى", "emergency", "safety", XK, 20,
  ["危化品"], ["biz_lic", "legal_rep_id", "safety_rules", "qualification", "app_form"], days=20, acts="LIC", subs=[
    "带有储存设施|with storage|ساقلاش ئەسلىھەسى بار",
    "不带储存设施|without storage|ساقلاش ئەسلىھەسى يوق",
  ])
S("烟花爆竹经营（零售）许可|Fireworks retail licence|پوجاڭزا پارچە سېتىش ئىجازىتى", "emergency", "safety", XK, 30,
  ["卖鞭炮", "烟花许可"], ["biz_lic", "id_card", "safety_rules", "app_form"], days=20, acts="LIC", skip=["653101"])
S("生产安全事故应急预案备案|Filing a workplace emergency plan|ئىشلەپچىقىرىش بىخەتەرلىك ھادىسىسى جىددىي تەييارلىق لايىھەسىنى ئەنگە ئالدۇرۇش",
  "emergency", "safety", QT, 20, ["应急预案"], ["biz_lic", "safety_rules"], ch="o", acts="FIL")
S("自然灾害生活救助|Relief for natural disasters|تەبىئىي ئاپەت تۇرمۇش قۇتقۇزۇش ياردىمى", "emergency", "safety", JF, 90,
  ["受灾救助", "灾后救助"], ["id_card", "hukou", "app_form"], days=15, ch="ocg", street="all")
S("公众聚集场所投入使用营业前消防安全检查|Fire safety check before a public venue opens|ئاممىۋى سورۇنلارنى ئىشلىتىشتىن بۇرۇن ئوت ئاپىتى بىخەتەرلىك تەكشۈرۈشى",
  "fire", "safety", XK, 60, ["消防检查", "消防验收"], ["biz_lic", "safety_rules", "layout", "commit_letter"], days=10)
S("建设工程消防验收|Fire safety acceptance of buildings|قۇرۇلۇش قۇرۇلۇشىنىڭ ئوت ئاپىتىدىن مۇداپىئەلىنىش تەكشۈرۈپ قوبۇل قىلىشى",
  "housing", "safety", XK, 40, ["消防验收"], ["biz_lic", "design_plan", "app_form"], days=15, subs=[
    "消防验收|acceptance check|تەكشۈرۈپ قوبۇل قىلىش", "消防验收备案|acceptance filing|تەكشۈرۈپ قوبۇل قىلىشنى ئەنگە ئالدۇرۇش"])

# ===========================================================================
# 交通运输 transport
# ===========================================================================
S("道路货物运输经营许可|Road freight licence|يول يۈك توشۇش تىجارىتى ئىجازىتى", "transport", "transport", XK, 40,
  ["货运许可", "道路运输证"], ["biz_lic", "legal_rep_id", "safety_rules", "app_form"], days=20, acts="LIC", pop_r={"653101": 90}, subs=[
    "普通货运|general freight|ئادەتتىكى يۈك توشۇش",
    "道路危险货物运输|dangerous goods|خەتەرلىك يۈك توشۇش",
  ])
S("网络预约出租汽车驾驶员证|Ride-hailing driver permit|تور ئارقىلىق ئالدىن بەلگىلەنگەن تاكسى شوپۇرلۇق كىنىشكىسى", "transport", "transport", XK, 260,
  ["网约车司机", "滴滴司机", "人证"], ["id_card", "drv", "photo", "app_form"], days=10, ch="oc", acts="CERT")
S("网络预约出租汽车运输证|Ride-hailing vehicle permit|تور ئارقىلىق ئالدىن بەلگىلەنگەن تاكسى توشۇش كىنىشكىسى", "transport", "transport", XK, 110,
  ["网约车车证", "车证"], ["vehicle_lic", "id_card", "vehicle_photo", "app_form"], days=10, ch="oc", acts="CERT")
S("巡游出租汽车驾驶员证|Taxi driver permit|تاكسى شوپۇرلۇق كىنىشكىسى", "transport", "transport", XK, 90,
  ["出租车司机"], ["id_card", "drv", "photo", "app_form"], days=10, acts="CERT")
S("道路运输从业人员从业资格证|Road transport worker qualification|يول تىرانسپورت خادىملىرىنىڭ كەسپىي سالاھىيەت گۇۋاھنامىسى", "transport", "transport", XK, 130,
  ["货运从业资格证", "从业资格证"], ["id_card", "drv", "photo", "app_form"], days=10, acts="CERT")
S("机动车维修经营备案|Vehicle repair business filing|ماشىنا ئوڭشاش تىجارىتىنى ئەنگە ئالدۇرۇش", "transport", "transport", QT, 50,
  ["汽修厂"], ["biz_lic", "premises", "qualification", "commit_letter"], acts="FIL")

# ===========================================================================
# 水利 water
# ===========================================================================
S("取水许可|Water abstraction permit|سۇ ئېلىش ئىجازىتى", "water", "environment", XK, 20,
  ["取水证", "打井"], ["biz_lic", "site_map", "app_form"], days=20, acts="LIC", pop_r={"653101": 60})
S("河道管理范围内建设项目审批|Approval of works within river areas|دەريا باشقۇرۇش دائىرىسىدىكى قۇرۇلۇش تۈرلىرىنى تەستىقلاش", "water", "environment", XK, 10,
  ["河道审批"], ["biz_lic", "design_plan", "app_form"], days=20)
S("生产建设项目水土保持方案审批|Approval of soil and water conservation plans|ئىشلەپچىقىرىش قۇرۇلۇش تۈرلىرىنىڭ تۇپراق ۋە سۇنى ساقلاش لايىھەسىنى تەستىقلاش", "water", "environment", XK, 20,
  ["水土保持"], ["biz_lic", "design_plan", "app_form"], days=20)

# ===========================================================================
# 城管 urban management
# ===========================================================================
S("户外广告设施设置审批|Outdoor advertising approval|سىرتقى ئېلان ئەسلىھەلىرىنى ئورنىتىشنى تەستىقلاش", "urban", "urban", XK, 60,
  ["广告牌", "户外广告"], ["biz_lic", "design_plan", "app_form"], days=10, acts="LIC", subs=[
    "大型户外广告|large billboards|چوڭ تىپتىكى سىرتقى ئېلانلار",
    "电子显示屏|electronic screens|ئېلېكترونلۇق ئېكرانلار",
  ])
S("店招标牌设置备案|Shop sign filing|دۇكان ۋىۋىسكىسىنى ئورنىتىشنى ئەنگە ئالدۇرۇش", "urban", "urban", QT, 120,
  ["店招", "招牌"], ["biz_lic", "design_plan"], days=3, ch="oc", acts="FIL")
S("城市道路占用挖掘审批|Permit to occupy or dig up city roads|شەھەر يولىنى ئىگىلەش ۋە كولاشنى تەستىقلاش", "urban", "urban", XK, 40,
  ["占道", "挖路"], ["biz_lic", "site_map", "app_form"], days=5, subs=[
    "占用城市道路|occupying a road|شەھەر يولىنى ئىگىلەش", "挖掘城市道路|digging up a road|شەھەر يولىنى كولاش"])
S("城市建筑垃圾处置核准|Construction waste disposal approval|شەھەر قۇرۇلۇش ئەخلىتىنى بىر تەرەپ قىلىشنى تەستىقلاش", "urban", "urban", XK, 40,
  ["建筑垃圾", "装修垃圾"], ["biz_lic", "contract", "app_form"], days=5)
S("砍伐迁移城市树木审批|Permit to fell or move city trees|شەھەر دەرەخلىرىنى كېسىش ۋە يۆتكەشنى تەستىقلاش", "urban", "urban", XK, 30,
  ["砍树审批", "移树"], ["site_map", "app_form"], days=10)
S("临时占用城市绿地审批|Permit to use city green space temporarily|شەھەر يېشىللىق يەرلىرىنى ۋاقىتلىق ئىگىلەشنى تەستىقلاش", "urban", "urban", XK, 20,
  ["占用绿地"], ["site_map", "app_form"], days=10)
S("夜间施工许可|Night-time construction permit|كېچىدە قۇرۇلۇش قىلىش ئىجازىتى", "env", "environment", XK, 40,
  ["夜间施工", "噪音"], ["biz_lic", "contract", "app_form"], days=3)

# ===========================================================================
# 商务 / 烟草 / 档案
# ===========================================================================
S("对外贸易经营者备案|Foreign trade operator filing|تاشقى سودا تىجارەتچىسىنى ئەنگە ئالدۇرۇش", "commerce", "business", QT, 60,
  ["外贸备案", "进出口权"], ["biz_lic", "legal_rep_id"], ch="o", acts="FIL", pop_r={"440106": 150, "653101": 90})
S("单用途商业预付卡备案|Filing for single-purpose prepaid cards|بىر مەقسەتلىك سودا ئالدىن پۇل تۆلەش كارتىسىنى ئەنگە ئالدۇرۇش", "commerce", "business", QT, 20,
  ["预付卡"], ["biz_lic", "commit_letter"], ch="o", acts="FIL")
S("二手车交易市场经营者备案|Used-car market operator filing|ئىشلىتىلگەن ماشىنا سودا بازىرى تىجارەتچىسىنى ئەنگە ئالدۇرۇش", "commerce", "business", QT, 20,
  ["二手车市场"], ["biz_lic", "premises"], ch="o", acts="FIL")
S("烟草专卖零售许可|Tobacco retail licence|تاماكا پارچە سېتىش ئىجازىتى", "tobacco", "business", XK, 170,
  ["烟草证", "卖烟"], ["id_card", "biz_lic", "premises", "app_form"], days=15, ch="oc", acts="LIC", subs=[
    "食杂店|grocery stores|يېمەكلىك دۇكانلىرى",
    "便利店|convenience stores|قولايلىق دۇكانلىرى",
    "超市|supermarkets|تاۋار بازارلىرى",
    "烟酒商店|tobacco and liquor shops|تاماكا-ھاراق دۇكانلىرى",
  ])
S("档案查阅利用|Consulting archives|ئارخىپنى كۆرۈش ۋە پايدىلىنىش", "archives", "archives", GG, 160,
  ["查档案", "档案证明"], ["id_card", "archive_form"], days=1, ch="oc", subs=[
    "婚姻档案|marriage records|نىكاھ ئارخىپى",
    "知青档案|sent-down youth records|زىيالىي ياشلار ئارخىپى",
    "招工档案|recruitment records|ئىشچى قوبۇل قىلىش ئارخىپى",
    "土地房产档案|land and property records|يەر ۋە ئۆي-مۈلۈك ئارخىپى",
    "退伍安置档案|veteran resettlement records|ئەسكەرلىكتىن قايتقانلارنى ئورۇنلاشتۇرۇش ئارخىپى",
  ])
