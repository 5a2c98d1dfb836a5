"""Reasons of a suggestion in words (zh_CN and en): what speaks for it and what against."""

from __future__ import annotations

from dataclasses import dataclass

from sync import codes, messages

# code -> (zh, en); {placeholders} are filled from Reason.params.
TEXTS: dict[str, tuple[str, str]] = {
    "shared_terms": ("共同关键词：{terms}", "Shared terms: {terms}"),
    "same_field": ("领域相同：{field}", "Same field: {field}"),
    "trl_mature": ("技术就绪水平 {trl} 级，满足成果转化所需的成熟度（≥ {need} 级）",
                   "TRL {trl}: mature enough to adopt (needs ≥ {need})"),
    "trl_early": ("技术就绪水平仅 {trl} 级，距离转化应用尚远（成果引进需 ≥ {need} 级）",
                  "TRL only {trl}: far from ready to adopt (adoption needs ≥ {need})"),
    "trl_research": ("技术就绪水平 {trl} 级，适合联合研发或技术攻关", "TRL {trl}: suits joint R&D or problem solving"),
    "modes_fit": ("转化方式与合作方式相符：{modes}", "Transfer mode fits the cooperation wanted: {modes}"),
    "modes_differ": ("转化方式（{offered}）与需求的合作方式（{wanted}）不符",
                     "Transfer modes ({offered}) differ from the cooperation wanted ({wanted})"),
    "within_budget": ("价格 {price} 万元，在预算 {budget} 万元以内",
                      "Price {price} (10k CNY) within the budget of {budget}"),
    "over_budget": ("价格 {price} 万元，超出预算 {budget} 万元",
                    "Price {price} (10k CNY) above the budget of {budget}"),
    "same_city": ("同一城市", "Same city"),
    "same_province": ("同一省份", "Same province"),
    "other_province": ("不在同一省份", "In another province"),
    "same_owner": ("同一单位的记录（需求企业自己的成果，或成果单位自己的需求）",
                   "The same institution's record (the enterprise's own achievement, or its own demand)"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    params: tuple[tuple[str, str], ...] = ()
    effect: float = 0.0  # what it added to the score (negative: counts against)

    @property
    def against(self) -> bool:
        return self.effect < 0


# Parameters holding code values (comma-separated), shown by their labels.
_CODE_PARAMS = {"modes": codes.TRANSFER_MODE, "offered": codes.TRANSFER_MODE, "wanted": codes.COOP_MODE}


def render(reason: Reason, lang: str = "zh_CN") -> str:
    sep = messages.render("enum_sep", lang)
    params = {k: sep.join(_CODE_PARAMS[k].label(v, lang) for v in val.split(",")) if k in _CODE_PARAMS else val
              for k, val in reason.params}
    if "terms" in params:
        params["terms"] = params["terms"].replace(",", sep)
    return messages.fill(TEXTS, reason.code, lang, **params)
