"""More base services: the rest of a district's everyday catalog (public
utilities, transport cards, skills, smaller licences). Same format as
seeds_services.py, appended to its list."""

from seeds_services import S, XK, JF, QR, JL, CJ, QT, GG

# ---------------------------------------------------------------------------
# 公安 police
# ---------------------------------------------------------------------------
S("机动车变更备案|Vehicle details filing|موتورلۇق قاتناش ۋاسىتىسى ئۇچۇرىنى ئەنگە ئالدۇرۇش", "traffic", "traffic", QT, 150,
  ["车主电话变更", "车辆备案"], ["id_card", "vehicle_lic"], ch="oc", subs=[
    "联系方式变更|new contact details|ئالاقىلىشىش ئۇسۇلى ئۆزگەرگەندە",
    "身份证明号码变更|new ID number|كىملىك نومۇرى ئۆزگەرگەندە",
    "加装或拆除车辆装置|fitting or removing equipment|ئۈسكۈنە قوشۇش ياكى چۇۋۇۋېتىش||vehicle_photo",
  ])
S("驾驶人联系方式变更备案|Driver's contact details filing|شوپۇرنىڭ ئالاقىلىشىش ئۇسۇلىنى ئەنگە ئالدۇرۇش", "traffic", "traffic", QT, 160,
  ["驾照改电话", "驾驶人信息变更"], ["id_card", "drv"], ch="o")
S("机动车驾驶证记分查询|Driving licence penalty points enquiry|ماشىنا ھەيدەش كىنىشكىسى جازا نومۇرىنى سۈرۈشتۈرۈش", "traffic", "traffic", GG, 460,
  ["驾照扣分查询", "查扣分"], ["id_card", "drv"], ch="o")
S("保安员证核发|Security guard certificate|قوغدىغۇچى خادىم كىنىشكىسى بېرىش", "police", "public_order", XK, 60,
  ["保安证"], ["id_card", "photo", "training", "app_form"], days=15)
S("典当业特种行业许可证核发|Special trade licence for pawnshops|كاپالەتكە پۇل بېرىش كەسپى ئالاھىدە كەسپ ئىجازەتنامىسى", "police", "public_order", XK, 15,
  ["典当行"], ["biz_lic", "legal_rep_id", "premises", "safety_rules", "app_form"], days=10, acts="LIC")
S("户口登记项目证明|Certificate of household registration entries|نوپۇس تىزىملاش تۈرلىرى ئىسپاتى", "police", "household", QR, 260,
  ["户口证明", "家庭成员证明"], ["id_card", "hukou"], ch="oc", street="police", subs=[
    "家庭成员信息|household members|ئائىلە ئەزالىرى ئۇچۇرى", "户籍迁移记录|transfer history|نوپۇس يۆتكەش خاتىرىسى"])

# ---------------------------------------------------------------------------
# 人社 human resources and social security
# ---------------------------------------------------------------------------
S("职业技能等级认定|Vocational skill level certification|كەسپىي ماھارەت دەرىجىسىنى بېكىتىش", "hrss", "employment", QR, 230,
  ["技能证书", "考证"], ["id_card", "photo", "app_form"], days=30, ch="oc", subs=[
    "初级工|level five|دەسلەپكى دەرىجىلىك ئىشچى", "中级工|level four|ئوتتۇرا دەرىجىلىك ئىشچى", "高级工|level three|يۇقىرى دەرىجىلىك ئىشچى||qualification",
    "技师|technician|تېخنىك||qualification", "高级技师|senior technician|يۇقىرى دەرىجىلىك تېخنىك||qualification"])
S("专业技术人员继续教育学时登记|Continuing education hours for professionals|كەسپىي تېخنىكا خادىملىرىنىڭ داۋاملىق مائارىپ سائىتىنى تىزىملىتىش", "hrss", "employment", GG, 150,
  ["继续教育", "学时"], ["id_card", "training"], ch="o")
S("就业见习补贴申领|Work placement subsidy|ئىشقا ئورۇنلىشىش ئەمەلىيىتى تولۇقلىمىسى", "hrss", "employment", JF, 80,
  ["见习补贴"], ["biz_lic", "contract", "bank_card", "app_form"], days=20)
S("用人单位吸纳就业补贴申领|Hiring subsidy for employers|ئىشلەتكۈچى ئورۇنلارنىڭ ئىشقا قوبۇل قىلىش تولۇقلىمىسى", "hrss", "employment", JF, 110,
  ["招工补贴", "吸纳就业"], ["biz_lic", "labour_contract", "ss_record", "app_form"], days=20, subs=[
    "吸纳就业困难人员|hiring people with difficulty finding work|ئىشقا ئورۇنلىشىشتا قىيىنچىلىقى بارلارنى قوبۇل قىلىش",
    "吸纳高校毕业生|hiring graduates|ئالىي مەكتەپ پۈتتۈرگۈچىلىرىنى قوبۇل قىلىش",
    "吸纳脱贫人口|hiring people lifted out of poverty|نامراتلىقتىن قۇتۇلغانلارنى قوبۇل قىلىش",
  ])
S("求职登记|Registering as a jobseeker|ئىش ئىزدەشنى تىزىملىتىش", "hrss", "employment", GG, 320,
  ["找工作", "求职"], ["id_card", "reg_form"], ch="ocg", street="all")
S("就业登记|Employment registration|ئىشقا ئورۇنلىشىشنى تىزىملىتىش", "hrss", "employment", GG, 340,
  ["用工备案", "入职登记"], ["id_card", "labour_contract", "reg_form"], ch="oc", street="all", acts="BEN")
S("用人单位招聘登记|Employer vacancy registration|ئىشلەتكۈچى ئورۇنلارنىڭ ئىشچى قوبۇل قىلىشنى تىزىملىتىشى", "hrss", "employment", GG, 150,
  ["招聘", "招人"], ["biz_lic", "reg_form"], ch="o")
S("特殊工时工作制审批|Approval of special working-hour systems|ئالاھىدە ئىش ۋاقتى تۈزۈمىنى تەستىقلاش", "hrss", "labour", XK, 30,
  ["综合工时", "不定时工作制"], ["biz_lic", "resolution", "app_form"], days=20, subs=[
    "综合计算工时工作制|aggregated working hours|ئىش ۋاقتىنى ئومۇملاشتۇرۇپ ھېسابلاش تۈزۈمى",
    "不定时工作制|flexible working hours|مۇقىم بولمىغان ئىش ۋاقتى تۈزۈمى",
  ])
S("企业职工养老保险个人账户一次性待遇申领|One-off payment from a pension account|كۈتۈنۈش سۇغۇرتىسى شەخسىي ھېساباتىدىكى بىر قېتىملىق تەمىنات",
  "hrss", "social_security", JF, 90, ["养老保险退钱", "个人账户"], ["id_card", "bank_card", "pension_form"], days=20, subs=[
    "死亡|after a death|ۋاپات بولغاندا||death_proof,kin_proof", "出国定居|on settling abroad|چەت ئەلدە ئولتۇراقلاشقاندا||passport"])
S("工伤保险辅助器具配置|Assistive devices under work injury insurance|ئىشتا يارىلىنىش سۇغۇرتىسى ياردەمچى ئەسۋاب سەپلەش", "hrss", "labour", JF, 30,
  ["工伤辅具"], ["id_card", "diagnosis", "app_form"], days=20)

# ---------------------------------------------------------------------------
# 医保 medical insurance
# ---------------------------------------------------------------------------
S("医保电子凭证激活|Activating the medical insurance e-certificate|داۋالاش سۇغۇرتىسى ئېلېكترونلۇق ئىسپاتىنى ئاكتىپلاش", "medins", "medical_insurance", GG, 420,
  ["医保码", "电子医保卡"], ["id_card"], ch="o")
S("参保人员个人账户继承|Inheriting a medical insurance account|سۇغۇرتىغا قاتناشقۇچىنىڭ شەخسىي ھېساباتىغا ۋارىسلىق قىلىش", "medins", "medical_insurance", JF, 60,
  ["医保账户继承"], ["death_proof", "kin_proof", "bank_card", "app_form"], days=20)
S("门诊两病用药保障|Outpatient medicine cover for hypertension and diabetes|ئامبۇلاتورىيەدە ئىككى خىل كېسەلنىڭ دورا كاپالىتى", "medins", "medical_insurance", JF, 330,
  ["两病", "高血压用药", "糖尿病用药"], ["id_card", "ss_card", "diagnosis"], days=5, ch="ocg", street="clinic")

# ---------------------------------------------------------------------------
# 民政 civil affairs
# ---------------------------------------------------------------------------
S("婚姻家庭辅导|Marriage and family counselling|نىكاھ ۋە ئائىلە مەسلىھەتى", "civil", "marriage", GG, 90,
  ["婚姻咨询", "婚前辅导"], ["id_card"], ch="oc")
S("流浪乞讨人员救助|Help for homeless people|سەرگەردان ۋە تىلەمچىلەرگە ياردەم", "civil", "social_assistance", GG, 40,
  ["流浪人员", "救助站"], ["app_form"], ch="cg")
S("老年人助餐服务补贴|Meal subsidy for older people|ياشانغانلارنىڭ تاماق مۇلازىمىتى تولۇقلىمىسى", "civil", "elderly", JF, 220,
  ["老年食堂", "助餐"], ["id_card", "app_form"], days=10, ch="ocg", street="all")
S("社会组织年度检查|Annual inspection of social organisations|ئىجتىمائىي تەشكىلاتلارنى يىللىق تەكشۈرۈش", "civil", "social_org", QT, 30,
  ["社团年检"], ["articles", "app_form"], days=30, ch="o")
S("养老服务机构运营补贴|Operating subsidy for elderly care providers|ياشانغانلار مۇلازىمەت ئورۇنلىرىنىڭ تىجارەت تولۇقلىمىسى", "civil", "elderly", JF, 20,
  ["养老院补贴"], ["biz_lic", "app_form"], days=30)
S("骨灰寄存|Storing cremated remains|كۈلنى ساقلاتقۇزۇش", "civil", "funeral", GG, 60,
  ["骨灰存放"], ["death_proof", "cremation", "id_card"], ch="c", skip=["653101"])

# ---------------------------------------------------------------------------
# 卫健 health
# ---------------------------------------------------------------------------
S("从业人员预防性健康检查|Health certificate for food and service workers|خىزمەتچىلەرنىڭ ئالدىنى ئېلىش خاراكتېرلىك سالامەتلىك تەكشۈرۈشى", "health", "health", GG, 460,
  ["健康证", "办健康证"], ["id_card", "photo"], fee=0, days=3, ch="oc", street="clinic", subs=[
    "新办|first certificate|يېڭىدىن بېجىرىش", "补办|replacement|قايتا بېجىرىش"])
S("老年人健康体检|Health check for older people|ياشانغانلارنىڭ سالامەتلىك تەكشۈرۈشى", "health", "health", GG, 260,
  ["老人体检", "免费体检"], ["id_card"], ch="ocg", street="clinic")
S("居民健康档案查询|Personal health record enquiry|ئاھالىلەرنىڭ سالامەتلىك ئارخىپىنى سۈرۈشتۈرۈش", "health", "health", GG, 210,
  ["健康档案", "体检报告"], ["id_card"], ch="o", street="clinic")
S("托育机构备案|Childcare centre filing|بالا بېقىش ئورنىنى ئەنگە ئالدۇرۇش", "health", "family", QT, 80,
  ["托育", "托儿所"], ["biz_lic", "premises", "safety_rules", "commit_letter"], acts="FIL")
S("无偿献血者用血费用报销|Refund of blood costs for blood donors|ھەقسىز قان تەقدىم قىلغۇچىلارنىڭ قان ئىشلىتىش خىراجىتىنى قايتۇرۇش", "health", "health", JF, 120,
  ["献血报销", "用血报销"], ["id_card", "med_invoice", "bank_card"], days=10, subs=[
    "献血者本人|the donor|قان تەقدىم قىلغۇچىنىڭ ئۆزى", "献血者配偶及直系亲属|the donor's family|قان تەقدىم قىلغۇچىنىڭ ئائىلە-تاۋابىئاتلىرى||kin_proof"])
S("乡村医生执业注册|Village doctor registration|يېزا دوختۇرلىرىنىڭ كەسپىي تىزىملىتىشى", "health", "health", XK, 20,
  ["村医"], ["id_card", "qualification", "app_form"], days=20, acts="PRAC", pop_r={"653101": 60})
S("医师多机构执业备案|Filing for practice at more than one institution|دوختۇرلارنىڭ كۆپ ئورۇندا كەسپىي پائالىيەت قىلىشىنى ئەنگە ئالدۇرۇش", "health", "health", QT, 20,
  ["多点执业"], ["id_card", "practice_cert"], ch="o")

# ---------------------------------------------------------------------------
# 市场监管 market regulation
# ---------------------------------------------------------------------------
S("企业迁移登记|Moving a company's registration|كارخانا تىزىملىتىشىنى يۆتكەش", "market", "business", XK, 80,
  ["公司迁址", "迁移"], ["biz_lic", "resolution", "premises", "app_form"], days=3, subs=[
    "迁入|moving in|يۆتكىلىپ كىرىش", "迁出|moving out|يۆتكىلىپ چىقىش"])
S("个体工商户转型为企业|Turning an individual business into a company|يەككە سودا-سانائەتچىنى كارخانىغا ئايلاندۇرۇش", "market", "business", XK, 40,
  ["个转企"], ["id_card", "biz_lic", "articles", "app_form"], days=3)
S("特种设备作业人员资格认定|Special equipment operator qualification|ئالاھىدە ئۈسكۈنە مەشغۇلاتچىلىرىنىڭ سالاھىيىتىنى بېكىتىش", "market", "safety", XK, 60,
  ["电梯证", "叉车证"], ["id_card", "photo", "training", "app_form"], days=20, acts="CERT")
S("计量器具强制检定|Compulsory verification of measuring instruments|ئۆلچەش ئەسۋابلىرىنى مەجبۇرىي تەكشۈرۈش", "market", "business", QT, 40,
  ["电子秤检定", "计量检定"], ["biz_lic", "app_form"], days=7, subs=[
    "电子计价秤|price-computing scales|ئېلېكترونلۇق باھا ھېسابلاش تارازىسى", "加油机|fuel dispensers|ماي قاچىلاش ماشىنىسى", "出租车计价器|taxi meters|تاكسى ھەق ھېسابلىغۇچى"])
S("工业产品生产许可|Industrial product production licence|سانائەت مەھسۇلاتلىرىنى ئىشلەپچىقىرىش ئىجازىتى", "market", "business", XK, 20,
  ["生产许可证"], ["biz_lic", "legal_rep_id", "qualification", "app_form"], days=20, acts="LIC")
S("商标注册申请受理|Trademark application intake|تاۋار ماركىسىنى تىزىملىتىش ئىلتىماسىنى قوبۇل قىلىش", "market", "business", GG, 110,
  ["注册商标", "商标"], ["biz_lic", "app_form"], days=1, ch="oc")
S("广告发布登记|Advertising publisher registration|ئېلان تارقىتىشنى تىزىملىتىش", "market", "business", XK, 20,
  ["广告发布"], ["biz_lic", "app_form"], days=5, acts="REG")

# ---------------------------------------------------------------------------
# 税务 tax
# ---------------------------------------------------------------------------
S("个人所得税经营所得申报|Personal business income tax filing|شەخسىي تىجارەت تاپاۋىتى بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 210,
  ["经营所得", "个体户个税"], ["id_card", "tax_return"], ch="o", acts="TAX")
S("存量房交易税费申报|Taxes on second-hand home sales|ئىككىنچى قول ئۆي سودىسىنىڭ باج-ھەقلىرىنى مەلۇم قىلىش", "tax", "tax", QT, 320,
  ["二手房交税", "卖房交税"], ["id_card", "property", "contract"], ch="oc")
S("印花税申报|Stamp duty filing|تامغا بېجىنى مەلۇم قىلىش", "tax", "tax", QT, 110,
  ["印花税"], ["biz_lic", "contract", "tax_return"], ch="o")
S("残疾人就业保障金申报|Disability employment levy filing|مېيىپلارنى ئىشقا ئورۇنلاشتۇرۇش كاپالەت پۇلىنى مەلۇم قىلىش", "tax", "tax", QT, 100,
  ["残保金"], ["biz_lic", "tax_return"], ch="o")
S("发票真伪查验|Checking whether an invoice is genuine|فاكتۇرىنىڭ ھەقىقىي-ساختىلىقىنى تەكشۈرۈش", "tax", "tax", GG, 210,
  ["查发票", "发票查询"], ["invoice"], ch="o")
S("纳税信用复评|Tax credit rating review|باج ئىناۋىتىنى قايتا باھالاش", "tax", "tax", QT, 40,
  ["纳税信用"], ["biz_lic", "app_form"], days=15, ch="o")

# ---------------------------------------------------------------------------
# 住建 housing
# ---------------------------------------------------------------------------
S("房地产开发企业资质核定|Real estate developer qualification|كۆچمەس مۈلۈك ئېچىش كارخانىسى سالاھىيىتىنى بېكىتىش", "housing", "planning", XK, 20,
  ["开发资质"], ["biz_lic", "qualification", "app_form"], days=20, acts="LIC")
S("建筑业企业资质|Construction company qualification|قۇرۇلۇش كارخانىسى سالاھىيىتى", "housing", "planning", XK, 30,
  ["施工资质"], ["biz_lic", "qualification", "app_form"], days=20, acts="LIC")
S("物业服务企业备案|Property management company filing|مۈلۈك باشقۇرۇش مۇلازىمىتى كارخانىسىنى ئەنگە ئالدۇرۇش", "housing", "housing", QT, 20,
  ["物业公司"], ["biz_lic", "commit_letter"], acts="FIL")
S("国有土地上房屋征收补偿|Compensation for expropriated homes|دۆلەت يېرىدىكى ئۆيلەرنى ئېلىش تۆلەم پۇلى", "housing", "housing", JF, 60,
  ["拆迁补偿", "征收"], ["id_card", "property", "bank_card", "app_form"], days=30)
S("建设工程竣工验收备案|Filing construction completion acceptance|قۇرۇلۇش تاماملاپ تەكشۈرۈپ قوبۇل قىلىشنى ئەنگە ئالدۇرۇش", "housing", "planning", QT, 40,
  ["竣工备案"], ["biz_lic", "design_plan", "app_form"], days=5)
S("农村危房改造|Rebuilding unsafe rural houses|يېزىلاردىكى خەتەرلىك ئۆيلەرنى ئۆزگەرتىش", "housing", "housing", JF, 80,
  ["危房改造"], ["id_card", "hukou", "house_proof", "app_form"], days=30, ch="ocg", pop_r={"653101": 230}, street="rural")

# ---------------------------------------------------------------------------
# 不动产 real estate
# ---------------------------------------------------------------------------
S("居住权登记|Right of residence registration|تۇرالغۇ ھوقۇقىنى تىزىملىتىش", "realestate", "real_estate", QR, 40,
  ["居住权"], ["id_card", "property", "contract", "app_form"], days=5, subs=[
    "首次登记|creation|تۇنجى قېتىم تىزىملىتىش", "注销登记|cancellation|ئەمەلدىن قالدۇرۇش"])
S("地役权登记|Easement registration|يەر ئىشلىتىش ھوقۇقىنى تىزىملىتىش", "realestate", "real_estate", QR, 10,
  ["地役权"], ["id_card", "land_doc", "contract", "app_form"], days=5)

# ---------------------------------------------------------------------------
# 教育 education
# ---------------------------------------------------------------------------
S("中小学毕业证书遗失补办学历证明|Certificate of schooling for a lost diploma|يوقالغان ئوتتۇرا-باشلانغۇچ مەكتەپ دىپلومى ئورنىغا ئوقۇش تارىخى ئىسپاتى", "edu", "education", GG, 130,
  ["毕业证丢了", "学历证明"], ["id_card", "loss_statement", "app_form"], days=5, ch="oc", subs=[
    "初中毕业|junior middle school|تولۇقسىز ئوتتۇرا مەكتەپ", "高中毕业|senior high school|تولۇق ئوتتۇرا مەكتەپ"])
S("教师资格证书补换发|Replacing a teacher qualification certificate|ئوقۇتقۇچىلىق سالاھىيەت گۇۋاھنامىسىنى تولۇقلاش ۋە ئالماشتۇرۇش", "edu", "education", QR, 60,
  ["教资证书丢了"], ["id_card", "photo", "app_form"], days=20, subs=[
    "补发|replacement|قايتا بېرىش||loss_statement", "换发|renewal|ئالماشتۇرۇپ بېرىش||qualification"])
S("校车使用许可|School bus permit|مەكتەپ ئاپتوبۇسىنى ئىشلىتىش ئىجازىتى", "edu", "education", XK, 20,
  ["校车"], ["vehicle_lic", "drv", "safety_rules", "app_form"], days=20, acts="LIC")

# ---------------------------------------------------------------------------
# 退役军人 / 残联 veterans and disability
# ---------------------------------------------------------------------------
S("光荣牌悬挂|Honour plaque for military families|شەرەپ تاختىسى ئېسىش", "veterans", "veterans", GG, 70,
  ["光荣之家"], ["hukou", "discharge"], ch="cg", street="all")
S("烈士褒扬金发放|Martyr commendation payment|شېھىتلەرنى مەدھىيىلەش پۇلىنى تارقىتىش", "veterans", "veterans", JF, 20,
  ["烈士"], ["kin_proof", "bank_card", "app_form"], days=30)
S("残疾人托养服务补贴|Residential and day care subsidy for people with disabilities|مېيىپلارنى بېقىش مۇلازىمىتى تولۇقلىمىسى", "dpf", "disability", JF, 60,
  ["托养补贴"], ["id_card", "disab_cert", "app_form"], days=20, ch="ocg")

# ---------------------------------------------------------------------------
# 农业农村 agriculture
# ---------------------------------------------------------------------------
S("畜禽养殖场备案|Livestock farm filing|چارۋا-پاراندە بېقىش مەيدانىنى ئەنگە ئالدۇرۇش", "agri", "agriculture", QT, 40,
  ["养殖场备案", "养羊"], ["id_card", "site_map", "commit_letter"], acts="FIL", pop_r={"653101": 150}, street="rural")
S("植物检疫证书核发|Plant quarantine certificate|ئۆسۈملۈك كارانتىن گۇۋاھنامىسى بېرىش", "agri", "agriculture", XK, 30,
  ["植物检疫"], ["biz_lic", "app_form"], days=3, pop_r={"653101": 70})
S("农业保险保费补贴|Farm insurance premium subsidy|يېزا ئىگىلىك سۇغۇرتا پۇلى تولۇقلىمىسى", "agri", "agriculture", JF, 60,
  ["农业保险"], ["id_card", "farm_contract", "bank_card"], days=30, pop_r={"653101": 160}, street="rural")
S("犬只狂犬病免疫|Rabies vaccination for dogs|ئىتلارغا قۇتۇرۇش كېسىلىگە قارشى ئەملەش", "agri", "agriculture", GG, 110,
  ["狗打疫苗", "狂犬疫苗"], ["id_card", "dog_photo"], ch="c")
S("兽医执业备案|Veterinarian practice filing|ھايۋانات دوختۇرلىرىنىڭ كەسپىي پائالىيىتىنى ئەنگە ئالدۇرۇش", "agri", "agriculture", QT, 20,
  ["兽医"], ["id_card", "qualification"], ch="o", pop_r={"653101": 50})

# ---------------------------------------------------------------------------
# 生态环境 / 文旅 / 司法 / 应急
# ---------------------------------------------------------------------------
S("生态环境投诉举报|Environmental complaints|ئېكولوگىيىلىك مۇھىت توغرىسىدىكى ئەرز-شىكايەت", "env", "environment", GG, 210,
  ["噪音扰民", "污染投诉", "油烟扰民"], ["complaint_form", "evidence"], days=15, ch="oc", subs=[
    "噪声污染|noise|شاۋقۇن بۇلغىنىشى", "大气污染|air pollution|ھاۋا بۇلغىنىشى", "水污染|water pollution|سۇ بۇلغىنىشى"])
S("旅行社分社备案|Travel agency branch filing|ساياھەت ئاگېنتلىقى تارماق ئورنىنى ئەنگە ئالدۇرۇش", "culture", "culture", QT, 15,
  ["旅行社"], ["biz_lic", "premises"], acts="FIL")
S("艺术品经营单位备案|Art dealer filing|سەنئەت بۇيۇملىرى تىجارىتى ئورنىنى ئەنگە ئالدۇرۇش", "culture", "culture", QT, 15,
  ["画廊"], ["biz_lic"], acts="FIL")
S("公共文化体育场馆预约|Booking public culture and sports venues|ئاممىۋى مەدەنىيەت ۋە تەنتەربىيە سورۇنلىرىنى ئالدىن بەلگىلەش", "culture", "culture", GG, 170,
  ["场馆预约", "体育馆", "文化馆"], ["id_card"], ch="o", subs=[
    "体育场馆|sports venues|تەنتەربىيە سورۇنلىرى", "文化馆|cultural centres|مەدەنىيەت سارايلىرى", "博物馆|museums|مۇزېيلار"])
S("社区矫正报到|Reporting for community correction|مەھەللە تۈزىتىش ئۈچۈن دوكلات بېرىش", "justice", "justice", QT, 20,
  ["社区矫正"], ["id_card", "court_doc"], ch="c", street="all")
S("特种作业操作证|Special operations certificate|ئالاھىدە مەشغۇلات كىنىشكىسى", "emergency", "safety", XK, 60,
  ["电工证", "焊工证", "高处作业证"], ["id_card", "photo", "training", "app_form"], days=20, acts="CERT", subs=[
    "电工作业|electrical work|ئېلېكتر مەشغۇلاتى", "焊接与热切割作业|welding and cutting|كەپشەرلەش ۋە ئىسسىق كېسىش", "高处作业|work at height|ئېگىزلىكتە مەشغۇلات قىلىش"])

# ---------------------------------------------------------------------------
# 交通运输 / 商务 transport and commerce
# ---------------------------------------------------------------------------
S("公交优惠卡办理|Discount bus pass|ئاپتوبۇس ئېتىبار كارتىسى بېجىرىش", "transport", "transport", GG, 420,
  ["老年卡", "公交卡", "老人坐公交"], ["id_card", "photo", "app_form"], days=5, ch="ocg", subs=[
    "老年人公交卡|older people|ياشانغانلار||elder_card", "学生公交卡|students|ئوقۇغۇچىلار||school_proof", "残疾人公交卡|people with disabilities|مېيىپلار||disab_cert",
    "退役军人公交卡|veterans|ئەسكەرلىكتىن قايتقانلار||veteran_card"])
S("道路运输车辆年审|Annual review of road transport vehicles|يول تىرانسپورت ۋاسىتىلىرىنى يىللىق تەكشۈرۈش", "transport", "transport", QT, 60,
  ["营运车年审"], ["vehicle_lic", "vehicle_inspection"], days=1)
S("机动车驾驶员培训备案|Driving school filing|ماشىنا ھەيدەش تەربىيەلەش ئورنىنى ئەنگە ئالدۇرۇش", "transport", "transport", QT, 20,
  ["驾校"], ["biz_lic", "premises", "commit_letter"], acts="FIL")
S("汽车以旧换新补贴|Car trade-in subsidy|كونا ماشىنىنى يېڭىسىغا ئالماشتۇرۇش تولۇقلىمىسى", "commerce", "business", JF, 300,
  ["换车补贴", "买车补贴"], ["id_card", "vehicle_invoice", "bank_card"], days=20, ch="o", subs=[
    "报废更新|scrapping an old car|كونا ماشىنىنى ئىشلىتىشتىن قالدۇرۇپ يېڭىلاش", "置换更新|trading in an old car|كونا ماشىنىنى ئالماشتۇرۇپ يېڭىلاش"])
S("家电以旧换新补贴|Appliance trade-in subsidy|كونا ئائىلە ئېلېكتر سايمانلىرىنى يېڭىسىغا ئالماشتۇرۇش تولۇقلىمىسى", "commerce", "business", JF, 300,
  ["家电补贴", "国补"], ["id_card", "invoice"], days=10, ch="o")
S("再生资源回收经营者备案|Recycling business filing|قايتا ھاسىل بولىدىغان بايلىقلارنى يىغىۋېلىش تىجارىتىنى ئەنگە ئالدۇرۇش", "commerce", "business", QT, 20,
  ["废品回收"], ["biz_lic", "premises"], acts="FIL")

# ---------------------------------------------------------------------------
# 公用事业 utilities (water, power and gas companies take applications in
# the service centre; their credit codes are companies', 91...)
# ---------------------------------------------------------------------------
S("用水报装|Water connection|سۇ ئۇلاش", "water_supply", "urban", GG, 330,
  ["水表", "自来水开户", "水电过户"], ["id_card", "property", "app_form"], days=5, ch="oc", subs=[
    "居民用水|homes|ئاھالىلەر سۇ ئىشلىتىشى", "非居民用水|businesses|ئاھالە ئەمەسلەرنىڭ سۇ ئىشلىتىشى||biz_lic"], acts="UTIL")
S("用电报装|Electricity connection|توك ئۇلاش", "power", "urban", GG, 350,
  ["电表", "电费过户", "水电过户"], ["id_card", "property", "app_form"], days=5, ch="oc", subs=[
    "低压居民用电|homes|ئاھالىلەرنىڭ تۆۋەن بېسىملىق توك ئىشلىتىشى", "低压非居民用电|small businesses|ئاھالە ئەمەسلەرنىڭ تۆۋەن بېسىملىق توك ئىشلىتىشى||biz_lic",
    "高压用电|high voltage|يۇقىرى بېسىملىق توك ئىشلىتىش||biz_lic"], acts="UTIL")
S("燃气报装|Gas connection|تەبىئىي گاز ئۇلاش", "gas", "urban", GG, 320,
  ["燃气开户", "天然气过户", "开通燃气"], ["id_card", "property", "app_form"], days=5, ch="oc", subs=[
    "居民用气|homes|ئاھالىلەر گاز ئىشلىتىشى", "非居民用气|businesses|ئاھالە ئەمەسلەرنىڭ گاز ئىشلىتىشى||biz_lic"], acts="UTIL")
S("电动汽车充电桩报装|Electric car charger connection|ئېلېكترلىك ماشىنا توك قاچىلاش ئۈسكۈنىسى ئۇلاش", "power", "urban", GG, 170,
  ["充电桩", "装充电桩"], ["id_card", "property", "vehicle_lic", "app_form"], days=5, ch="oc", skip=["653101"])

# ---------------------------------------------------------------------------
# A few more everyday items
# ---------------------------------------------------------------------------
S("机动车驾驶证延期业务|Deferring driving licence deadlines|ماشىنا ھەيدەش كىنىشكىسى مۇددىتىنى كېچىكتۈرۈش", "traffic", "traffic", XK, 180,
  ["驾照延期", "在国外驾照到期"], ["id_card", "drv", "evidence"], days=1, ch="oc", subs=[
    "延期换证|deferred renewal|ئالماشتۇرۇشنى كېچىكتۈرۈش", "延期审验|deferred review|تەكشۈرۈشنى كېچىكتۈرۈش",
    "延期提交身体条件证明|deferred medical certificate|بەدەن ئەھۋالى ئىسپاتىنى كېچىكتۈرۈپ تاپشۇرۇش"])
S("校车标牌核发|School bus plate|مەكتەپ ئاپتوبۇسى بەلگە تاختىسى بېرىش", "traffic", "traffic", XK, 20,
  ["校车标牌"], ["vehicle_lic", "app_form"], days=3)
S("基本养老金重新核定|Recalculating a basic pension|ئاساسىي كۈتۈنۈش پۇلىنى قايتا بېكىتىش", "hrss", "social_security", JF, 70,
  ["养老金重算"], ["id_card", "evidence", "app_form"], days=20)
S("社会保险费补缴|Paying missed social insurance contributions|ئىجتىمائىي سۇغۇرتا پۇلىنى تولۇقلاپ تاپشۇرۇش", "hrss", "social_security", QT, 130,
  ["社保补缴", "补交社保"], ["id_card", "labour_contract", "app_form"], days=10, subs=[
    "单位职工补缴|employees|خىزمەتچىلەر", "灵活就业人员补缴|flexible workers|ئەۋرىشىم ئىشقا ئورۇنلاشقانلار"])
S("冬季取暖补贴|Winter heating subsidy|قىشلىق ئىسسىنىش تولۇقلىمىسى", "civil", "social_assistance", JF, 320,
  ["取暖费", "烤火费"], ["id_card", "hukou", "bank_card", "app_form"], days=20, ch="ocg", only=["653101"], local=True,
  street="all")
S("住宅室内装饰装修备案|Home renovation filing|تۇرالغۇ ئىچىنى بېزەش-ياساشنى ئەنگە ئالدۇرۇش", "housing", "housing", QT, 150,
  ["装修备案", "装修申报"], ["id_card", "property", "design_plan"], days=3, ch="oc")
S("业主大会成立备案|Filing an owners' assembly|ئۆي ئىگىلىرى يىغىنى قۇرۇلغانلىقىنى ئەنگە ئالدۇرۇش", "housing", "housing", QT, 20,
  ["业委会"], ["resolution", "app_form"], days=10)
S("医疗广告审查|Medical advertising review|داۋالاش ئېلانىنى تەكشۈرۈش", "health", "health", XK, 10,
  ["医疗广告"], ["biz_lic", "practice_cert", "app_form"], days=10)
S("医疗器械网络销售备案|Filing for selling medical devices online|داۋالاش ئەسۋابلىرىنى توردا سېتىشنى ئەنگە ئالدۇرۇش", "market", "food_drug", QT, 20,
  ["网上卖器械"], ["biz_lic", "commit_letter"], ch="o", acts="FIL")
S("电影放映单位设立|Licensing a cinema|كىنو قويۇش ئورنى تەسىس قىلىش", "culture", "culture", XK, 20,
  ["开电影院"], ["biz_lic", "legal_rep_id", "premises", "safety_rules", "app_form"], days=20, acts="LIC")
S("人力资源服务备案|Human resources service filing|ئادەم كۈچى بايلىقى مۇلازىمىتىنى ئەنگە ئالدۇرۇش", "hrss", "employment", QT, 30,
  ["人力资源公司"], ["biz_lic", "commit_letter"], ch="o", acts="FIL")
S("城市生活垃圾经营性服务许可|Licence for commercial waste collection|شەھەر تۇرمۇش ئەخلىتى تىجارەت مۇلازىمىتى ئىجازىتى", "urban", "urban", XK, 20,
  ["垃圾清运"], ["biz_lic", "safety_rules", "app_form"], days=20, acts="LIC")
S("建筑起重机械使用登记|Registering construction cranes|قۇرۇلۇش يۈك كۆتۈرۈش ماشىنىلىرىنى ئىشلىتىش تىزىملىتىشى", "housing", "safety", QR, 30,
  ["塔吊登记"], ["biz_lic", "qualification", "reg_form"], days=5, acts="FIL")
S("道路旅客运输经营许可|Road passenger transport licence|يول يولۇچى توشۇش تىجارىتى ئىجازىتى", "transport", "transport", XK, 20,
  ["客运许可"], ["biz_lic", "legal_rep_id", "safety_rules", "app_form"], days=20, acts="LIC", subs=[
    "班车客运|scheduled coaches|قاتناش ئاپتوبۇسى", "包车客运|chartered coaches|ئىجارە ئاپتوبۇس"])
S("出租汽车经营许可|Taxi operating licence|تاكسى تىجارىتى ئىجازىتى", "transport", "transport", XK, 20,
  ["出租车公司"], ["biz_lic", "legal_rep_id", "safety_rules", "app_form"], days=20, acts="LIC")
S("民办职业培训学校设立|Licensing a private vocational school|خەلق باشقۇرىدىغان كەسپىي تەربىيەلەش مەكتىپى تەسىس قىلىش", "hrss", "employment", XK, 20,
  ["职业培训学校"], ["legal_rep_id", "articles", "premises", "qualification", "app_form"], days=30, acts="LIC")
S("集体合同审查|Review of collective contracts|كوللېكتىپ توختامنى تەكشۈرۈش", "hrss", "labour", QT, 20,
  ["集体合同"], ["biz_lic", "contract"], days=15)
S("经济性裁员报告|Reporting economic redundancies|ئىقتىسادىي سەۋەب بىلەن خادىم قىسقارتىش دوكلاتى", "hrss", "labour", QT, 20,
  ["裁员"], ["biz_lic", "resolution", "app_form"], days=5)
S("水产苗种生产许可|Fish fry production licence|سۇ مەھسۇلاتى كۆچىتى ئىشلەپچىقىرىش ئىجازىتى", "agri", "agriculture", XK, 10,
  ["鱼苗"], ["biz_lic", "site_map", "app_form"], days=20, acts="LIC")
S("林木种子生产经营许可|Tree seed production and trading licence|دەرەخ ئۇرۇقى ئىشلەپچىقىرىش ۋە تىجارەت ئىجازىتى", "water", "agriculture", XK, 15,
  ["苗木"], ["biz_lic", "premises", "app_form"], days=20, acts="LIC", pop_r={"653101": 40})
