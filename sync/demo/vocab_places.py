"""Vocabulary for places and organisations: Jilin's cities and districts (GB/T 2260), real public universities and
institutes, other provincial capitals for the national scale, and parts of made-up enterprise names."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str  # e.g. 长春市
    short: str  # e.g. 长春 (prefix of enterprise names)
    pinyin: str
    area_code: str  # telephone area code
    districts: tuple[tuple[str, str], ...]  # (district name, 6-digit GB/T 2260 code)
    streets: tuple[str, ...]
    province: str = "吉林省"


JILIN_CITIES: tuple[City, ...] = (
    City("长春市", "长春", "changchun", "0431", (
        ("南关区", "220102"), ("宽城区", "220103"), ("朝阳区", "220104"), ("二道区", "220105"),
        ("绿园区", "220106"), ("双阳区", "220112"), ("九台区", "220113"), ("公主岭市", "220184"),
        ("长春净月高新技术产业开发区", "220171"), ("长春高新技术产业开发区", "220172"),
        ("长春经济技术开发区", "220173"), ("长春汽车经济技术开发区", "220174"),
    ), ("人民大街", "自由大路", "卫星路", "前进大街", "东风大街", "解放大路", "南湖大路", "亚泰大街",
        "硅谷大街", "超群街", "东南湖大路", "卫明街", "飞跃路", "丙一街", "临河街", "生态大街")),
    City("吉林市", "吉林", "jilin", "0432", (
        ("昌邑区", "220202"), ("龙潭区", "220203"), ("船营区", "220204"), ("丰满区", "220211"),
        ("永吉县", "220221"), ("蛟河市", "220281"), ("桦甸市", "220282"), ("磐石市", "220284"),
    ), ("吉林大街", "松江东路", "解放中路", "遵义东路", "深圳街", "长春路", "汉阳街", "珲春街")),
    City("四平市", "四平", "siping", "0434", (
        ("铁西区", "220302"), ("铁东区", "220303"), ("梨树县", "220322"), ("双辽市", "220382"),
    ), ("英雄大街", "中央东路", "北迎宾街", "紫气大路", "海丰大街")),
    City("辽源市", "辽源", "liaoyuan", "0437", (
        ("龙山区", "220402"), ("西安区", "220403"), ("东丰县", "220421"), ("东辽县", "220422"),
    ), ("人民大街", "福镇大路", "友谊路", "龙山大路")),
    City("通化市", "通化", "tonghua", "0435", (
        ("东昌区", "220502"), ("二道江区", "220503"), ("通化县", "220521"), ("柳河县", "220524"),
        ("梅河口市", "220581"), ("集安市", "220582"),
    ), ("新华大街", "滨江西路", "建设大街", "龙泉路", "江南大街")),
    City("白山市", "白山", "baishan", "0439", (
        ("浑江区", "220602"), ("江源区", "220605"), ("抚松县", "220621"), ("靖宇县", "220622"),
        ("临江市", "220681"),
    ), ("浑江大街", "光明路", "长白山大街", "民中街")),
    City("松原市", "松原", "songyuan", "0438", (
        ("宁江区", "220702"), ("前郭尔罗斯蒙古族自治县", "220721"), ("长岭县", "220722"),
        ("乾安县", "220723"), ("扶余市", "220781"),
    ), ("沿江东路", "锦江大街", "乌兰大街", "团结大街")),
    City("白城市", "白城", "baicheng", "0436", (
        ("洮北区", "220802"), ("镇赉县", "220821"), ("通榆县", "220822"), ("洮南市", "220881"),
        ("大安市", "220882"),
    ), ("中兴西大路", "长庆南街", "海明路", "新华大街")),
    City("延边朝鲜族自治州", "延边", "yanbian", "0433", (
        ("延吉市", "222401"), ("图们市", "222402"), ("敦化市", "222403"), ("珲春市", "222404"),
        ("龙井市", "222405"), ("和龙市", "222406"), ("汪清县", "222424"), ("安图县", "222426"),
    ), ("光明街", "长白山西路", "公园路", "延边大学东路", "友谊路")),
)

# Other provincial capitals (national scale only).
OTHER_CITIES: tuple[City, ...] = (
    City("北京市", "北京", "beijing", "010", (("海淀区", "110108"), ("朝阳区", "110105"), ("昌平区", "110114")),
         ("中关村大街", "学院路", "北四环西路"), "北京市"),
    City("上海市", "上海", "shanghai", "021", (("浦东新区", "310115"), ("闵行区", "310112"), ("徐汇区", "310104")),
         ("张江路", "华山路", "科苑路"), "上海市"),
    City("沈阳市", "沈阳", "shenyang", "024", (("浑南区", "210112"), ("和平区", "210102")), ("创新路", "文化路"),
         "辽宁省"),
    City("哈尔滨市", "哈尔滨", "haerbin", "0451", (("南岗区", "230103"), ("松北区", "230109")),
         ("西大直街", "创新一路"), "黑龙江省"),
    City("武汉市", "武汉", "wuhan", "027", (("洪山区", "420111"), ("江夏区", "420115")), ("珞喻路", "光谷大道"),
         "湖北省"),
    City("成都市", "成都", "chengdu", "028", (("武侯区", "510107"), ("郫都区", "510117")), ("天府大道", "科华路"),
         "四川省"),
    City("西安市", "西安", "xian", "029", (("雁塔区", "610113"), ("长安区", "610116")), ("科技路", "锦业路"),
         "陕西省"),
    City("南京市", "南京", "nanjing", "025", (("江宁区", "320115"), ("玄武区", "320102")), ("中山路", "龙眠大道"),
         "江苏省"),
    City("杭州市", "杭州", "hangzhou", "0571", (("西湖区", "330106"), ("滨江区", "330108")), ("文三路", "江南大道"),
         "浙江省"),
    City("广州市", "广州", "guangzhou", "020", (("天河区", "440106"), ("黄埔区", "440112")), ("科韵路", "开创大道"),
         "广东省"),
    City("济南市", "济南", "jinan", "0531", (("历下区", "370102"), ("历城区", "370112")), ("经十路", "舜华路"),
         "山东省"),
    City("合肥市", "合肥", "hefei", "0551", (("蜀山区", "340104"), ("包河区", "340111")), ("黄山路", "望江西路"),
         "安徽省"),
)


@dataclass(frozen=True)
class KnownOrg:
    name: str
    city: str  # short city name
    website: str | None
    domains: tuple[str, ...]  # keys of vocab_domains.DOMAINS this organisation works in


# Public universities of Jilin Province (names and official web domains are public facts).
UNIVERSITIES: tuple[KnownOrg, ...] = (
    KnownOrg("吉林大学", "长春", "www.jlu.edu.cn", ("auto", "photonics", "biomed", "chem", "it", "rail", "agri")),
    KnownOrg("东北师范大学", "长春", "www.nenu.edu.cn", ("chem", "eco", "it", "agri")),
    KnownOrg("长春理工大学", "长春", "www.cust.edu.cn", ("photonics", "it", "auto")),
    KnownOrg("吉林农业大学", "长春", "www.jlau.edu.cn", ("agri", "corn", "ginseng")),
    KnownOrg("长春工业大学", "长春", "www.ccut.edu.cn", ("auto", "chem", "carbon", "metal")),
    KnownOrg("延边大学", "延边", "www.ybu.edu.cn", ("ginseng", "biomed", "agri")),
    KnownOrg("东北电力大学", "吉林", "www.neepu.edu.cn", ("eco", "it", "metal")),
    KnownOrg("吉林化工学院", "吉林", "www.jlict.edu.cn", ("chem", "carbon", "corn")),
    KnownOrg("北华大学", "吉林", "www.beihua.edu.cn", ("biomed", "agri", "metal")),
    KnownOrg("长春中医药大学", "长春", "www.ccucm.edu.cn", ("ginseng", "biomed")),
    KnownOrg("吉林建筑大学", "长春", "www.jlju.edu.cn", ("eco", "it")),
    KnownOrg("吉林师范大学", "四平", "www.jlnu.edu.cn", ("chem", "eco", "it")),
    KnownOrg("长春大学", "长春", "www.ccu.edu.cn", ("corn", "it", "auto")),
    KnownOrg("吉林财经大学", "长春", "www.jlufe.edu.cn", ("it",)),
    KnownOrg("长春师范大学", "长春", None, ("it", "eco")),
    KnownOrg("通化师范学院", "通化", None, ("ginseng", "biomed")),
    KnownOrg("白城师范学院", "白城", None, ("agri", "eco")),
    KnownOrg("长春工程学院", "长春", None, ("eco", "metal", "rail")),
    KnownOrg("吉林医药学院", "吉林", None, ("biomed", "ginseng")),
    KnownOrg("吉林农业科技学院", "吉林", None, ("agri", "corn", "ginseng")),
    KnownOrg("吉林工程技术师范学院", "长春", None, ("auto", "it")),
)

# Public research institutes located in Jilin Province.
INSTITUTES: tuple[KnownOrg, ...] = (
    KnownOrg("中国科学院长春光学精密机械与物理研究所", "长春", "www.ciomp.ac.cn", ("photonics", "it")),
    KnownOrg("中国科学院长春应用化学研究所", "长春", "www.ciac.cas.cn", ("chem", "carbon", "biomed")),
    KnownOrg("中国科学院东北地理与农业生态研究所", "长春", "www.iga.cas.cn", ("agri", "eco")),
    KnownOrg("吉林省农业科学院", "长春", "www.jaas.com.cn", ("agri", "corn")),
    KnownOrg("中国农业科学院特产研究所", "长春", None, ("ginseng", "agri")),
    KnownOrg("吉林省中医药科学院", "长春", None, ("ginseng", "biomed")),
    KnownOrg("吉林省林业科学研究院", "长春", None, ("agri", "eco")),
    KnownOrg("吉林省水利科学研究院", "长春", None, ("eco",)),
    KnownOrg("吉林省畜牧兽医科学研究院", "长春", None, ("agri", "biomed")),
    KnownOrg("吉林省产品质量监督检验院", "长春", None, ("metal", "chem", "auto")),
    KnownOrg("吉林省计量科学研究院", "长春", None, ("photonics", "it")),
    KnownOrg("吉林省环境科学研究院", "长春", None, ("eco",)),
    KnownOrg("吉林省科学技术信息研究所", "长春", None, ("it",)),
    KnownOrg("长春黄金研究院", "长春", None, ("metal", "eco")),
    KnownOrg("吉林市农业科学院", "吉林", None, ("agri", "corn")),
    KnownOrg("通化市农业科学研究院", "通化", None, ("agri", "ginseng")),
)

# Parts of made-up institute names: {city or province}{topic}{suffix}.
INSTITUTE_TOPICS: tuple[tuple[str, str], ...] = (
    ("汽车工程", "auto"), ("新能源汽车", "auto"), ("玉米工程", "corn"), ("农产品加工", "corn"),
    ("人参", "ginseng"), ("长白山中药材", "ginseng"), ("生物医药", "biomed"), ("生物制品", "biomed"),
    ("光电子", "photonics"), ("卫星应用", "photonics"), ("轨道交通装备", "rail"), ("化工新材料", "chem"),
    ("精细化工", "chem"), ("碳纤维复合材料", "carbon"), ("冶金", "metal"), ("先进金属材料", "metal"),
    ("现代农业", "agri"), ("黑土地保护", "agri"), ("节能环保", "eco"), ("清洁能源", "eco"),
    ("人工智能", "it"), ("工业互联网", "it"),
)
INSTITUTE_SUFFIXES: tuple[str, ...] = ("研究院", "产业技术研究院", "工程技术研究中心", "研究所", "创新研究院")

# Made-up enterprise trade names (字号) with pinyin for their web addresses.
BRANDS: tuple[tuple[str, str], ...] = (
    ("华信", "huaxin"), ("长青", "changqing"), ("瑞丰", "ruifeng"), ("宏达", "hongda"), ("恒润", "hengrun"),
    ("天成", "tiancheng"), ("金桥", "jinqiao"), ("北方", "beifang"), ("东瑞", "dongrui"), ("鑫源", "xinyuan"),
    ("博远", "boyuan"), ("中科", "zhongke"), ("凯达", "kaida"), ("盛世", "shengshi"), ("新锐", "xinrui"),
    ("润禾", "runhe"), ("正泰", "zhengtai"), ("聚能", "juneng"), ("远航", "yuanhang"), ("卓越", "zhuoyue"),
    ("华晟", "huasheng"), ("英联", "yinglian"), ("德润", "derun"), ("嘉禾", "jiahe"),
    ("泰和", "taihe"), ("亿隆", "yilong"), ("昊天", "haotian"), ("科诚", "kecheng"), ("同创", "tongchuang"),
    ("盛达", "shengda"), ("永信", "yongxin"), ("光明", "guangming"), ("松辽", "songliao"), ("白山", "baishan"),
    ("长白", "changbai"), ("东北亚", "dongbeiya"), ("吉瑞", "jirui"), ("吉奥", "jiao"), ("恒通", "hengtong"),
    ("万盛", "wansheng"), ("金穗", "jinsui"), ("丰源", "fengyuan"), ("华阳", "huayang"), ("启明", "qiming"),
    ("睿智", "ruizhi"), ("创维达", "chuangweida"), ("鼎新", "dingxin"), ("精工", "jinggong"), ("海川", "haichuan"),
    ("奥普", "aopu"), ("瑞祥", "ruixiang"), ("兴达", "xingda"), ("安泰", "antai"), ("佳诚", "jiacheng"),
    ("天元", "tianyuan"), ("汇丰源", "huifengyuan"), ("弘毅", "hongyi"), ("通远", "tongyuan"), ("众诚", "zhongcheng"),
    ("新天地", "xintiandi"),
)
ENTERPRISE_SUFFIXES: tuple[str, ...] = ("有限公司", "有限公司", "有限公司", "股份有限公司", "有限责任公司")
