"""Composed Chinese text for achievements, demands and experts, built from domain phrases."""

from __future__ import annotations

from sync.demo.rand import DemoRandom
from sync.demo.vocab_domains import Domain, Indicator

_ADJECTIVES = ("高性能", "低成本", "高效", "绿色", "新型", "高可靠", "智能化", "环境友好型", "长寿命")
_SCOPES = (
    "寒区", "东北地区", "低温环境下", "复杂工况下", "多源数据融合的", "大规模", "小型化", "低能耗", "高精度", "全流程",
    "面向中小企业的", "新一代", "国产化",
)
_ENDINGS = ("关键技术研究与应用", "关键技术及产业化", "技术集成与示范", "共性关键技术研究", "成套技术开发")
_PROCESSES = ("绿色制备", "连续化生产", "规模化制备", "清洁生产", "低能耗制备")
_MECHANISMS = ("性能演变", "失效", "形成", "调控", "构效关系", "传热传质")
_SOFT_PLACES = (
    "吉林省", "长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市", "松原市", "白城市", "延边州", "东北地区",
    "长吉图地区", "吉林省县域",
)
_SOFT_SUBJECTS = (
    "科技成果转化模式", "产学研协同创新机制", "技术市场培育", "人才引进政策", "科技金融服务", "企业创新能力评价",
    "知识产权运营", "技术经纪人队伍建设",
)
_SOFT_TOPICS = ("发展战略", "技术路线图", "科技成果转化机制", "创新生态构建", "政策效果评估", "产业链协同发展路径")
_TRENDS = (
    "产业转型升级和“双碳”目标的推进", "吉林省“一主六双”高质量发展战略的实施", "市场对产品品质要求的不断提高",
    "数字化、智能化技术的快速发展", "国家对关键核心技术自主可控的要求", "下游行业的快速增长",
)
_TESTERS = ("第三方检测机构", "国家级质检中心", "省级产品质量检验机构", "用户现场试验", "行业专家组现场测试")
_LEVELS = ("国内领先", "国内先进", "国际先进", "国内领先", "国际领先")
_GAINS = ("生产效率提高", "综合成本降低", "能耗降低", "人工用量减少", "产品合格率提高", "原料消耗降低")
_BENEFITS = (
    "累计新增产值{n}万元", "取得了良好的经济和社会效益", "新增利税{n}万元", "带动就业{m}人",
    "用户反馈良好", "已签订技术服务合同{k}项",
)
_TECH_WORDS = ("成套技术", "工艺包", "技术体系", "工程样机", "核心装备", "技术方案")
_APPROACHES = ("新方法", "新工艺", "优化策略", "评价方法", "控制策略")
_ADVANTAGES = (
    "核心技术具有自主知识产权，可替代进口产品", "工艺流程短、投资少、见效快", "操作简便，适合中小企业推广",
    "产品性能稳定，批次一致性好", "运行维护成本低，投资回收期约{y}年", "与现有生产线兼容，改造量小",
    "原料立足本地资源，供应充足", "生产过程无“三废”排放，符合环保要求",
)
_HONOURS = ("获省部级科技奖励多项", "授权发明专利多件", "为多家企业提供过技术服务", "担任省级技术创新联盟专家")
_GOALS = (
    "实现{product}的稳定批量生产", "形成具有自主知识产权的核心技术", "产品达到国内同类先进水平",
    "建成示范生产线一条", "培养企业技术骨干{m}名",
)


def title(rng: DemoRandom, d: Domain, category: str) -> str:
    obj, act = rng.choice(d.objects), rng.choice(d.actions)
    method, product = rng.choice(d.methods), rng.choice(d.products)
    if rng.random() < 0.5:
        obj = rng.choice(_SCOPES) + obj
    if category == "soft":
        where = rng.choice(_SOFT_PLACES)
        if rng.random() < 0.5:
            return f"{where}{d.name.split('/')[0]}产业{rng.choice(_SOFT_TOPICS)}研究"
        return f"{where}{d.field}领域{rng.choice(_SOFT_SUBJECTS)}研究"
    if category == "basic":
        if rng.random() < 0.5:
            return f"{obj}{act}过程中的{rng.choice(_MECHANISMS)}机理研究"
        return f"基于{method}的{obj}{rng.choice(_MECHANISMS)}{rng.choice(('基础研究', '规律研究', '理论与方法'))}"
    pattern = rng.randrange(11)
    if d.key == "it" and pattern in (1, 5, 7):  # software is not "prepared"
        pattern = 3
    if pattern == 0:
        return f"一种基于{method}的{obj}{act}方法"
    if pattern == 1:
        return f"{rng.choice(_ADJECTIVES)}{product}{rng.choice(('制备技术', '开发', '关键制备工艺'))}"
    if pattern == 2:
        return f"{obj}{act}{rng.choice(_ENDINGS)}"
    if pattern == 3:
        return f"基于{method}的{obj}{act}{rng.choice(('系统', '平台', '技术', '装置'))}"
    if pattern == 4:
        return f"{obj}{act}装置及方法"
    if pattern == 5:
        return f"{rng.choice(_ADJECTIVES)}{product}{rng.choice(_PROCESSES)}工艺及产业化"
    if pattern == 6:
        return f"{method}技术在{obj}{act}中的应用"
    if pattern == 7:
        return f"{rng.choice(_ADJECTIVES)}{product}的研制与示范"
    if pattern == 8:
        return f"基于{method}和{rng.choice(d.methods)}的{obj}{act}方法"
    if pattern == 9:
        return f"{product}在{rng.choice(d.uses)}中的{rng.choice(('应用技术', '推广应用', '示范应用'))}"
    return f"{obj}{act}与{rng.choice(d.actions)}一体化技术"


def qualified_title(rng: DemoRandom, d: Domain, base: str) -> str:
    """`base` narrowed to the users it serves, for a national catalog where the plain title is already taken:
    一种面向整车主机厂的…方法, 面向饲料企业的…技术, …技术及其在医院检验科中的应用."""
    use = rng.choice([u for u in d.uses if u not in base] or d.uses)
    lead = "适用于" if "面向" in base else "面向"  # never 面向…的…面向…的
    if base.startswith("一种"):
        return f"一种{lead}{use}的{base[2:]}"
    if base.endswith(("技术", "方法", "工艺", "装置", "系统", "平台")) and "中的" not in base and "及" not in base \
            and rng.random() < 0.5:
        return f"{base}及其在{use}中的应用"
    return f"{lead}{use}的{base}"


def indicator_value(rng: DemoRandom, ind: Indicator) -> str:
    value = rng.uniform(ind.low, ind.high)
    number = f"{value:.{ind.decimals}f}" if ind.decimals else str(round(value))
    return f"{ind.name}{ind.op}{number}{ind.unit}"


def indicator_lines(rng: DemoRandom, d: Domain, low: int = 3, high: int = 5) -> str:
    chosen = rng.sample(d.indicators, rng.randint(low, min(high, len(d.indicators))))
    return "\n".join(f"{i}. {indicator_value(rng, ind)}；" for i, ind in enumerate(chosen, 1))


def summary(rng: DemoRandom, d: Domain, title_text: str, ip_count: int) -> str:
    """A 150-300 character abstract: background, technical route, results, gains, application."""
    obj, act = rng.choice(d.objects), rng.choice(d.actions)
    m1, m2 = rng.sample(d.methods, 2)
    s1, s2 = rng.sample(d.steps, 2)
    p1, p2 = rng.sample(d.pains, 2)
    u1, u2 = rng.sample(d.uses, 2)
    i1, i2 = rng.sample(d.indicators, 2)
    choice = rng.randrange(3)
    if choice == 0:
        opening = [f"针对{obj}{p1}等问题，本成果采用{m1}与{m2}相结合的技术路线，{s1}，{s2}，实现了{obj}的{act}。"]
    elif choice == 1:
        opening = [
            f"{obj}是{d.field}领域的关键环节，目前国内普遍存在{p1}、{p2}的问题。",
            f"项目团队{s1}，并基于{m1}{s2}，形成了具有自主知识产权的{rng.choice(_TECH_WORDS)}。",
        ]
    else:
        opening = [
            f"随着{rng.choice(_TRENDS)}，{obj}{act}需求日益迫切，但现有技术{p1}。",
            f"本项目提出了一种基于{m1}的{rng.choice(_APPROACHES)}，{s1}。",
        ]
    results = (
        f"经{rng.choice(_TESTERS)}检测，{indicator_value(rng, i1)}，{indicator_value(rng, i2)}，"
        f"整体技术达到{rng.choice(_LEVELS)}水平。"
    )
    optional = [
        f"与传统工艺相比，{rng.choice(_GAINS)}{rng.randint(8, 45)}%。",
        f"项目团队由{rng.randint(5, 30)}名科研人员组成，其中高级职称{rng.randint(2, 12)}人，具备持续研发能力。",
        f"项目以“{title_text}”为核心，已形成较完整的技术资料和工艺文件。",
    ]
    if ip_count:
        optional.append(f"项目已申请相关知识产权{ip_count + rng.randint(0, 3)}项，其中授权{ip_count}项。")
    benefit = rng.choice(_BENEFITS).format(n=rng.randint(200, 9000), m=rng.randint(10, 300), k=rng.randint(2, 20))
    application = rng.choice((
        f"成果已在{u1}开展示范应用，{benefit}。",
        f"可广泛应用于{u1}和{u2}等领域，市场前景广阔。",
        f"目前已完成{rng.choice(('小试', '中试', '样机试制', '示范应用'))}，拟在{u1}推广应用。",
    ))
    rng.shuffle(optional)
    target = rng.randint(150, 300)
    parts = [*opening, results]
    length = sum(map(len, parts)) + len(application)
    for sentence in optional:
        if length >= target or length + len(sentence) > 300:
            continue
        parts.append(sentence)
        length += len(sentence)
    text = "".join(parts) + application
    while len(text) < 150:  # very short draws: add the filler sentences that still fit
        text += f"该成果{rng.choice(('具有推广价值', '技术成熟度较高', '适合在吉林省内转化落地'))}。"
    return text[:300]


def advantages(rng: DemoRandom, d: Domain) -> str:
    chosen = rng.sample(_ADVANTAGES, rng.randint(2, 3))
    lead = f"与国内外同类{rng.choice(('技术', '产品', '工艺'))}相比，{rng.choice(_GAINS)}{rng.randint(10, 40)}%"
    return "；".join([lead, *(a.format(y=rng.randint(1, 4)) for a in chosen)]) + "。"


def keywords(rng: DemoRandom, d: Domain, extra: tuple[str, ...] = ()) -> list[str]:
    count = rng.randint(3, 6)
    pool = list(dict.fromkeys([*extra, *rng.sample(d.keywords, min(len(d.keywords), count))]))
    return pool[:count]


def demand_title(rng: DemoRandom, d: Domain) -> str:
    obj, act, product = rng.choice(d.objects), rng.choice(d.actions), rng.choice(d.products)
    return rng.choice((
        f"{obj}{act}技术攻关", f"{product}{rng.choice(_PROCESSES)}技术需求", f"寻求{obj}{act}技术合作",
        f"引进{product}生产技术", f"{obj}{act}关键技术联合研发", f"{product}生产线智能化改造",
        f"{obj}{rng.choice(('质量提升', '降本增效', '国产化替代'))}技术需求",
    ))


def demand_texts(rng: DemoRandom, d: Domain) -> dict[str, str]:
    """problem, key_tech, indicators and goal of an enterprise demand."""
    product, obj = rng.choice(d.products), rng.choice(d.objects)
    p1, p2 = rng.sample(d.pains, 2)
    m1, m2 = rng.sample(d.methods, 2)
    goal = rng.choice(_GOALS).format(product=product, m=rng.randint(3, 20))
    return {
        "problem": (
            f"我公司主要从事{product}的研发与生产，目前{obj}环节{p1}，同时{p2}，"
            f"{rng.choice(('制约了企业发展', '影响了产品市场竞争力', '难以满足客户要求'))}。"
            f"{rng.choice(('企业自身研发力量有限，', '曾尝试自主攻关但效果不理想，', ''))}"
            "希望与高校、科研院所合作解决。"
        ),
        "key_tech": f"{m1}、{m2}在{obj}{rng.choice(d.actions)}中的应用；{rng.choice(d.steps)}。",
        "indicators": indicator_lines(rng, d, 2, 4),
        "goal": (
            f"通过合作，{rng.choice(_GAINS)}{rng.randint(10, 40)}%以上，{goal}，"
            f"预计年新增产值{rng.randint(3, 200) * 100}万元。"
        ),
    }


def specialties(rng: DemoRandom, d: Domain) -> str:
    o1, o2 = rng.sample(d.objects, 2)
    return (
        f"长期从事{o1}{rng.choice(d.actions)}与{rng.choice(d.methods)}研究，在{o2}{rng.choice(d.actions)}、"
        f"{rng.choice(d.products)}开发等方面具有丰富经验，主持完成国家和省部级项目{rng.randint(2, 25)}项，"
        f"{rng.choice(_HONOURS)}。"
    )


def key_technologies(rng: DemoRandom, domains: list[Domain]) -> str:
    items = [f"{rng.choice(d.objects)}{rng.choice(d.actions)}" for d in domains for _ in range(2)]
    items += [rng.choice(d.methods) for d in domains]
    return "、".join(dict.fromkeys(items))
