"""Vocabulary of the national scale only: cities of every province (GB/T 2260 districts), made-up university and
enterprise trade names composed from common parts, so 20,000 institutions keep real-looking, unique names."""

from __future__ import annotations

from sync.demo.vocab_places import OTHER_CITIES, City


def _c(name: str, pinyin: str, area: str, districts: str, streets: str, province: str) -> City:
    """A city from compact text: districts as 'name code name code', streets separated by spaces."""
    parts = districts.split()
    pairs = tuple((parts[i], parts[i + 1]) for i in range(0, len(parts), 2))
    return City(name, name.removesuffix("市"), pinyin, area, pairs, tuple(streets.split()), province)


# Provincial capitals not in OTHER_CITIES, and large industrial cities.
MORE_CITIES: tuple[City, ...] = (
    _c("天津市", "tianjin", "022", "南开区 120104 滨海新区 120116", "卫津路 黄海路", "天津市"),
    _c("重庆市", "chongqing", "023", "渝北区 500112 沙坪坝区 500106", "金开大道 沙正街", "重庆市"),
    _c("石家庄市", "shijiazhuang", "0311", "长安区 130102 裕华区 130108", "中山东路 槐安东路", "河北省"),
    _c("唐山市", "tangshan", "0315", "路北区 130203 丰润区 130208", "新华道 建设北路", "河北省"),
    _c("太原市", "taiyuan", "0351", "小店区 140105 万柏林区 140109", "长治路 晋祠路", "山西省"),
    _c("呼和浩特市", "huhehaote", "0471", "新城区 150102 赛罕区 150105", "新华大街 大学西街", "内蒙古自治区"),
    _c("大连市", "dalian", "0411", "甘井子区 210211 沙河口区 210204", "黄浦路 软件园路", "辽宁省"),
    _c("鞍山市", "anshan", "0412", "铁东区 210302 铁西区 210303", "胜利路 千山中路", "辽宁省"),
    _c("大庆市", "daqing", "0459", "萨尔图区 230602 让胡路区 230604", "东风路 中央大街", "黑龙江省"),
    _c("苏州市", "suzhou", "0512", "姑苏区 320508 吴中区 320506", "干将路 吴中大道", "江苏省"),
    _c("无锡市", "wuxi", "0510", "滨湖区 320211 新吴区 320214", "太湖大道 长江路", "江苏省"),
    _c("常州市", "changzhou", "0519", "武进区 320412 新北区 320411", "延陵西路 龙锦路", "江苏省"),
    _c("徐州市", "xuzhou", "0516", "泉山区 320311 铜山区 320312", "淮海路 解放南路", "江苏省"),
    _c("宁波市", "ningbo", "0574", "鄞州区 330212 北仑区 330206", "天童南路 明州路", "浙江省"),
    _c("温州市", "wenzhou", "0577", "鹿城区 330302 瓯海区 330304", "车站大道 学院中路", "浙江省"),
    _c("芜湖市", "wuhu", "0553", "镜湖区 340202 鸠江区 340207", "中山北路 北京东路", "安徽省"),
    _c("福州市", "fuzhou", "0591", "鼓楼区 350102 仓山区 350104", "工业路 福湾路", "福建省"),
    _c("厦门市", "xiamen", "0592", "思明区 350203 集美区 350211", "湖滨南路 集美大道", "福建省"),
    _c("泉州市", "quanzhou", "0595", "鲤城区 350502 丰泽区 350503", "丰泽街 刺桐路", "福建省"),
    _c("南昌市", "nanchang", "0791", "青山湖区 360111 红谷滩区 360113", "红谷中大道 北京东路", "江西省"),
    _c("青岛市", "qingdao", "0532", "崂山区 370212 黄岛区 370211", "香港东路 海尔路", "山东省"),
    _c("烟台市", "yantai", "0535", "芝罘区 370602 莱山区 370613", "港城东大街 南大街", "山东省"),
    _c("潍坊市", "weifang", "0536", "潍城区 370702 奎文区 370705", "东风东街 胜利东街", "山东省"),
    _c("郑州市", "zhengzhou", "0371", "二七区 410103 金水区 410105", "花园路 大学路", "河南省"),
    _c("洛阳市", "luoyang", "0379", "涧西区 410305 洛龙区 410311", "中州西路 开元大道", "河南省"),
    _c("宜昌市", "yichang", "0717", "西陵区 420502 伍家岗区 420503", "东山大道 夷陵大道", "湖北省"),
    _c("襄阳市", "xiangyang", "0710", "襄城区 420602 樊城区 420606", "长征路 人民路", "湖北省"),
    _c("长沙市", "changsha", "0731", "岳麓区 430104 雨花区 430111", "麓山南路 韶山中路", "湖南省"),
    _c("株洲市", "zhuzhou", "0731", "芦淞区 430203 天元区 430211", "珠江北路 建设中路", "湖南省"),
    _c("深圳市", "shenzhen", "0755", "福田区 440304 南山区 440305", "深南大道 科技园路", "广东省"),
    _c("佛山市", "foshan", "0757", "南海区 440605 顺德区 440606", "季华路 桂澜路", "广东省"),
    _c("南宁市", "nanning", "0771", "青秀区 450103 西乡塘区 450107", "民族大道 大学东路", "广西壮族自治区"),
    _c("柳州市", "liuzhou", "0772", "鱼峰区 450203 柳南区 450204", "柳石路 东环大道", "广西壮族自治区"),
    _c("海口市", "haikou", "0898", "龙华区 460106 美兰区 460108", "国兴大道 滨海大道", "海南省"),
    _c("绵阳市", "mianyang", "0816", "涪城区 510703 游仙区 510704", "临园路 科创园路", "四川省"),
    _c("贵阳市", "guiyang", "0851", "南明区 520102 观山湖区 520115", "林城西路 花溪大道", "贵州省"),
    _c("昆明市", "kunming", "0871", "五华区 530102 呈贡区 530114", "一二一大街 滇池路", "云南省"),
    _c("拉萨市", "lasa", "0891", "城关区 540102", "北京中路 江苏路", "西藏自治区"),
    _c("宝鸡市", "baoji", "0917", "渭滨区 610302 金台区 610303", "经二路 高新大道", "陕西省"),
    _c("兰州市", "lanzhou", "0931", "城关区 620102 安宁区 620105", "天水南路 安宁西路", "甘肃省"),
    _c("西宁市", "xining", "0971", "城西区 630104 城北区 630105", "五四西路 海湖大道", "青海省"),
    _c("银川市", "yinchuan", "0951", "兴庆区 640104 金凤区 640106", "北京中路 文昌北街", "宁夏回族自治区"),
    _c("乌鲁木齐市", "wulumuqi", "0991", "天山区 650102 新市区 650104", "友好南路 北京南路", "新疆维吾尔自治区"),
)

# Every city outside Jilin the national scale places institutions in, and how often (larger for the big centres
# of research and industry).
NATION_CITIES: tuple[City, ...] = (*OTHER_CITIES, *MORE_CITIES)
_BIG = {"北京": 12, "上海": 10, "广州": 6, "深圳": 7, "武汉": 6, "西安": 6, "南京": 6, "杭州": 6, "成都": 6,
        "苏州": 5, "天津": 5, "重庆": 5, "长沙": 4, "合肥": 4, "沈阳": 4, "哈尔滨": 4, "济南": 4, "郑州": 4,
        "青岛": 4, "大连": 3, "宁波": 3, "福州": 3, "厦门": 3, "昆明": 3, "无锡": 3}
NATION_CITY_WEIGHTS: tuple[int, ...] = tuple(_BIG.get(c.short, 2) for c in NATION_CITIES)

# Telephone area codes whose local numbers have 8 digits (the rest outside the municipalities have 7).
EIGHT_DIGIT_AREAS = frozenset({
    "0431", "0432", "0311", "0351", "0371", "0411", "0451", "0510", "0512", "0516", "0519", "0531", "0532", "0551",
    "0571", "0574", "0577", "0591", "0592", "0595", "0731", "0755", "0757", "0771", "0791", "0851", "0871", "0898",
    "0931", "0991", "0536", "0535",
})

# Made-up universities: {city or province}{kind}, with the domains such a university works in and a web-name part.
UNIVERSITY_KINDS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("理工大学", ("auto", "photonics", "it", "metal"), "ut"), ("工业大学", ("auto", "chem", "metal"), "gydx"),
    ("科技大学", ("it", "photonics", "metal"), "ust"), ("农业大学", ("agri", "corn"), "au"),
    ("医科大学", ("biomed",), "mu"), ("中医药大学", ("ginseng", "biomed"), "tcm"),
    ("师范大学", ("chem", "eco", "it"), "nu"), ("交通大学", ("rail", "auto", "it"), "jtu"),
    ("建筑大学", ("eco", "it"), "jzu"), ("化工学院", ("chem", "carbon"), "ict"),
    ("工程学院", ("metal", "eco", "rail"), "gcxy"), ("职业技术学院", ("auto", "it"), "vtc"),
    ("农林大学", ("agri", "eco"), "afu"), ("信息工程学院", ("it", "photonics"), "xxgc"),
    ("轻工业学院", ("chem", "corn"), "qgy"), ("石油化工学院", ("chem", "eco"), "syhg"),
)

# Enterprise trade names (字号) of two characters, each with its pinyin, e.g. 瑞达 ruida.
def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((char, pinyin) for char, _, pinyin in (item.partition(":") for item in text.split()))


BRAND_FIRST = _pairs(
    "华:hua 瑞:rui 恒:heng 宏:hong 鑫:xin 博:bo 润:run 天:tian 金:jin 德:de 嘉:jia 泰:tai 盛:sheng 永:yong "
    "兴:xing 安:an 佳:jia 鼎:ding 中:zhong 新:xin 东:dong 启:qi 通:tong 汇:hui 正:zheng 聚:ju 远:yuan 卓:zhuo "
    "科:ke 创:chuang 海:hai 长:chang 昊:hao 宇:yu 凯:kai 力:li 智:zhi 信:xin 航:hang 明:ming"
)
BRAND_SECOND = _pairs(
    "信:xin 达:da 丰:feng 源:yuan 成:cheng 通:tong 泰:tai 润:run 瑞:rui 诚:cheng 和:he 远:yuan 科:ke 晟:sheng "
    "隆:long 创:chuang 新:xin 明:ming 元:yuan 禾:he 宇:yu 航:hang 鼎:ding 业:ye 辉:hui 峰:feng 图:tu 威:wei "
    "能:neng 盛:sheng"
)


def province_short(province: str) -> str:
    """湖北省 -> 湖北, 内蒙古自治区 -> 内蒙古, 广西壮族自治区 -> 广西, 北京市 -> 北京."""
    if province.startswith(("内蒙古", "黑龙江")):
        return province[:3]
    return province[:2]
