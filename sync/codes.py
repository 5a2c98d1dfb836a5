"""Code tables (choices) shared by client and server, each code with its zh_CN and en label."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sync.messages import in_language


@dataclass(frozen=True, slots=True)
class Code:
    """One choice: a stable ASCII value stored and synced, and its two labels."""

    value: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()  # earlier labels, still read from spreadsheets and typed input

    def label(self, lang: str = "zh_CN") -> str:
        return in_language(self, lang)


class CodeTable:
    """An ordered set of codes; parses a value, a Chinese label or an English label."""

    def __init__(self, name: str, zh: str, en: str, codes: list[Code]) -> None:
        self.name = name
        self.zh = zh
        self.en = en
        self.codes: tuple[Code, ...] = tuple(codes)
        self._by_value = {c.value: c for c in self.codes}
        self._by_text: dict[str, str] = {}
        for c in self.codes:
            for text in (c.value, c.zh, c.en, *c.aliases):
                self._by_text[_fold(text)] = c.value

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, value: object) -> bool:
        return value in self._by_value

    def values(self) -> list[str]:
        return [c.value for c in self.codes]

    def get(self, value: str) -> Code:
        return self._by_value[value]

    def label(self, value: str, lang: str = "zh_CN") -> str:
        code = self._by_value.get(value)
        return code.label(lang) if code else value

    def parse(self, text: str) -> str | None:
        """The code value for a value or a label in either language, or None if unknown."""
        if text in self._by_value:  # already canonical: the common case on bulk paths
            return text
        return self._by_text.get(_fold(text))


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _table(name: str, zh: str, en: str, *codes: tuple[str, str, str] | tuple[str, str, str, tuple[str, ...]]
           ) -> CodeTable:
    return CodeTable(name, zh, en, [Code(*c) for c in codes])


ORG_TYPE = _table(
    "org_type", "机构类型", "Organisation type",
    ("university", "高等院校", "University"),
    ("institute", "科研机构", "Research institute"),
    ("enterprise", "企业", "Enterprise"),
    ("other", "其他", "Other"),
)

INSTITUTION_STATUS = _table(
    "institution_status", "审核状态", "Review status",
    ("active", "已审核", "Approved"),
    ("pending", "待审核", "Pending review"),
    ("rejected", "已驳回", "Rejected"),
)

VISIT_STATUS = _table(
    "visit_status", "走访状态", "Visit status",
    ("planned", "已计划", "Planned", ("计划",)),
    ("done", "已走访", "Visited"),
    ("cancelled", "已取消", "Cancelled", ("取消",)),
)

VISIT_TYPE = _table(
    "visit_type", "走访类型", "Visit type",
    ("first", "首访", "First visit"),
    ("return", "回访", "Return visit"),
    ("consultation", "会诊", "Consultation"),
    ("event", "活动", "Event"),
)

ACHIEVEMENT_CATEGORY = _table(
    "achievement_category", "成果类别", "Achievement category",
    ("applied", "应用技术", "Applied technology"),
    ("basic", "基础理论", "Basic theory"),
    ("soft", "软科学", "Soft science"),
)

ACHIEVEMENT_ATTRIBUTE = _table(
    "achievement_attribute", "成果属性", "Achievement attribute",
    ("original", "原始性创新", "Original innovation"),
    ("reinnovation", "引进消化吸收再创新", "Re-innovation of imported technology"),
    ("secondary", "国内二次开发", "Domestic secondary development"),
)

ACHIEVEMENT_STAGE = _table(
    "achievement_stage", "所处阶段", "Stage",
    ("lab", "初期（实验室/小试）", "Early (laboratory / bench scale)"),
    ("pilot", "中期（中试）", "Middle (pilot scale)"),
    ("industrial", "成熟应用（产业化）", "Mature (industrial application)"),
)

# GB/T 22900-2022 technology readiness levels, 1 to 9.
TRL = _table(
    "trl", "技术就绪水平", "Technology readiness level",
    ("1", "1级：发现基本原理或看到基本原理的报道", "1: Basic principles observed and reported"),
    ("2", "2级：形成技术概念或开发方案", "2: Technology concept or application formulated"),
    ("3", "3级：关键功能分析和实验结论成立", "3: Key function proven analytically and experimentally"),
    ("4", "4级：实验室环境中关键部件或原理样机通过验证", "4: Key components or prototype validated in laboratory"),
    ("5", "5级：相关环境中关键部件或原理样机通过验证", "5: Key components or prototype validated in relevant environment"),
    ("6", "6级：相关环境中系统样机演示", "6: System prototype demonstrated in relevant environment"),
    ("7", "7级：实际环境中系统样机试验", "7: System prototype tested in operational environment"),
    ("8", "8级：实际系统完成并通过试验验证", "8: Actual system completed and qualified by test"),
    ("9", "9级：实际系统通过任务运行考验并取得成效", "9: Actual system proven in successful operation"),
)

IP_KIND = _table(
    "ip_kind", "知识产权类型", "IP kind",
    ("invention", "发明专利", "Invention patent"),
    ("utility", "实用新型", "Utility model"),
    ("design", "外观设计", "Industrial design"),
    ("software", "软件著作权", "Software copyright"),
    ("plant", "植物新品种", "Plant variety"),
)

IP_STATUS = _table(
    "ip_status", "法律状态", "Legal status",
    ("filed", "申请中", "Filed"),
    ("granted", "已授权", "Granted"),
    ("lapsed", "已失效", "Lapsed"),
)

TRANSFER_MODE = _table(
    "transfer_mode", "转化方式", "Transfer mode",
    ("transfer", "转让", "Assignment"),
    ("license", "许可", "Licence"),
    ("equity", "作价投资", "Equity investment"),
    ("joint_dev", "合作开发", "Joint development"),
    ("service", "技术服务", "Technical service"),
)

PRICE_MODE = _table(
    "price_mode", "价格方式", "Price mode",
    ("fixed", "定价", "Fixed price"),
    ("negotiable", "面议", "Negotiable"),
    ("appraisal", "评估", "By appraisal"),
    ("auction", "竞价", "Auction"),
)

MATCH_SOURCE = _table(
    "match_source", "推荐来源", "Suggested by",
    ("algorithm", "算法推荐", "Algorithm"),
    ("specialist", "专员推荐", "Specialist"),
    ("event", "对接活动", "Matchmaking event"),
)

MATCH_STAGE = _table(
    "match_stage", "对接阶段", "Stage",
    ("recommended", "推荐", "Recommended"),
    ("negotiating", "洽谈", "Negotiating"),
    ("signed", "签约", "Signed"),
    ("registered", "合同登记", "Contract registered"),
    ("terminated", "终止", "Terminated"),
)

DUPLICATE_STATE = _table(
    "duplicate_state", "重复核对", "Duplicate check",
    ("suspected", "疑似重复，待核对", "Possible duplicate, to be checked"),
    ("confirmed", "已确认重复", "Confirmed duplicate"),
)

REVIEW_STATUS = _table(
    "review_status", "审核状态", "Review status",
    ("draft", "草稿", "Draft"),
    ("pending", "待审核", "Pending review"),
    ("approved", "已通过", "Approved", ("通过",)),
    ("returned", "已退回", "Returned", ("退回",)),
)

DEMAND_TYPE = _table(
    "demand_type", "需求类型", "Demand type",
    ("tackling", "技术攻关", "Technical problem solving"),
    ("adoption", "成果引进转化", "Adopting an achievement"),
    ("joint_rd", "联合研发", "Joint R&D"),
    ("talent", "人才团队", "Talent and teams"),
)

COOP_MODE = _table(
    "coop_mode", "合作方式", "Cooperation mode",
    ("transfer", "技术转让", "Technology assignment"),
    ("license", "技术许可", "Technology licence"),
    ("joint_dev", "合作开发", "Joint development"),
    ("commissioned", "委托开发", "Commissioned development"),
    ("service", "技术咨询与服务", "Consulting and services"),
    ("platform", "共建研发平台", "Joint R&D platform"),
)

DEMAND_STATUS = _table(
    "demand_status", "需求状态", "Demand status",
    ("open", "征集中", "Open", ("开放",)),
    ("matching", "对接中", "In talks", ("Matching",)),
    ("solved", "已对接", "Matched", ("已解决", "Solved")),
    ("closed", "已关闭", "Closed", ("关闭",)),
)

CONFIDENTIALITY = _table(
    "confidentiality", "保密要求", "Confidentiality",
    ("public", "公开", "Public"),
    ("partial", "部分公开", "Partly public"),
    ("confidential", "保密", "Confidential"),
)

ATTACHMENT_OWNER = _table(
    "attachment_owner", "附件所属", "Attached to",
    ("visit", "走访记录", "Visit"),
    ("achievement", "科技成果", "Achievement"),
    ("demand", "技术需求", "Demand"),
    ("institution", "机构", "Institution"),
)

CORRECTION_TARGET = _table(
    "correction_target", "更正对象", "Record to correct",
    ("institution", "机构", "Institution"),
    ("contact", "联系人", "Contact"),
    ("visit", "走访记录", "Visit"),
    ("achievement", "科技成果", "Achievement"),
    ("demand", "企业技术需求", "Technology demand"),
    ("expert", "专家", "Expert"),
)

ALL_TABLES: dict[str, CodeTable] = {
    t.name: t
    for t in (
        ORG_TYPE, INSTITUTION_STATUS, VISIT_STATUS, VISIT_TYPE, ACHIEVEMENT_CATEGORY,
        ACHIEVEMENT_ATTRIBUTE, ACHIEVEMENT_STAGE, TRL, IP_KIND, IP_STATUS, TRANSFER_MODE,
        PRICE_MODE, REVIEW_STATUS, DEMAND_TYPE, COOP_MODE, DEMAND_STATUS, CONFIDENTIALITY,
        ATTACHMENT_OWNER, CORRECTION_TARGET,
    )
}
