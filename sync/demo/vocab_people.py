"""Vocabulary for people: common surnames and given names (with pinyin for e-mail addresses), titles, positions."""

from __future__ import annotations

# (汉字, pinyin), roughly in order of frequency; 金/朴/崔 reflect Yanbian.
SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
    ("胡", "hu"), ("朱", "zhu"), ("高", "gao"), ("林", "lin"), ("何", "he"), ("郭", "guo"),
    ("马", "ma"), ("罗", "luo"), ("梁", "liang"), ("宋", "song"), ("郑", "zheng"), ("谢", "xie"),
    ("韩", "han"), ("唐", "tang"), ("冯", "feng"), ("于", "yu"), ("董", "dong"), ("程", "cheng"),
    ("曹", "cao"), ("袁", "yuan"), ("邓", "deng"), ("许", "xu"), ("傅", "fu"), ("沈", "shen"),
    ("曾", "zeng"), ("彭", "peng"), ("吕", "lv"), ("苏", "su"), ("卢", "lu"), ("蒋", "jiang"),
    ("蔡", "cai"), ("贾", "jia"), ("丁", "ding"), ("魏", "wei"), ("薛", "xue"), ("叶", "ye"),
    ("姜", "jiang"), ("金", "jin"), ("朴", "piao"), ("崔", "cui"), ("范", "fan"), ("白", "bai"),
    ("孟", "meng"), ("秦", "qin"), ("邵", "shao"), ("付", "fu"), ("田", "tian"), ("石", "shi"),
)

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀英", "xiuying"), ("华", "hua"),
    ("平", "ping"), ("刚", "gang"), ("桂英", "guiying"), ("志强", "zhiqiang"), ("建华", "jianhua"),
    ("海燕", "haiyan"), ("晓东", "xiaodong"), ("丹", "dan"), ("宇", "yu"), ("鹏", "peng"),
    ("浩然", "haoran"), ("子涵", "zihan"), ("思远", "siyuan"), ("文博", "wenbo"), ("雪梅", "xuemei"),
    ("立新", "lixin"), ("国庆", "guoqing"), ("春雷", "chunlei"), ("红梅", "hongmei"), ("玉兰", "yulan"),
    ("振宇", "zhenyu"), ("凤霞", "fengxia"), ("建国", "jianguo"), ("永刚", "yonggang"), ("欣怡", "xinyi"),
    ("俊杰", "junjie"), ("博", "bo"), ("琳", "lin"), ("婷", "ting"), ("颖", "ying"), ("宏伟", "hongwei"),
    ("晓光", "xiaoguang"), ("东升", "dongsheng"), ("丽华", "lihua"), ("铁军", "tiejun"), ("长春", "changchun"),
    ("松涛", "songtao"), ("雪峰", "xuefeng"), ("佳琪", "jiaqi"), ("一鸣", "yiming"), ("晨", "chen"),
    ("亮", "liang"), ("慧", "hui"), ("哲", "zhe"), ("凯", "kai"), ("岩", "yan"), ("冬梅", "dongmei"),
)

# 职称 for experts and inventors, weighted towards senior titles.
EXPERT_TITLES: tuple[str, ...] = (
    "教授", "教授", "教授", "研究员", "研究员", "副教授", "副教授", "副研究员", "高级工程师",
    "高级工程师", "正高级工程师", "研究员级高级工程师", "主任医师", "主任药师", "高级农艺师", "推广研究员",
    "高级畜牧师", "教授级高级工程师", "讲师", "工程师",
)

UNIVERSITY_POSITIONS: tuple[str, ...] = (
    "科技处处长", "科技处副处长", "成果转化办公室主任", "技术转移中心主任", "科技处科长", "学院副院长",
    "科研秘书", "知识产权办公室主任", "产业技术研究院副院长", "重点实验室主任",
)
INSTITUTE_POSITIONS: tuple[str, ...] = (
    "科研处处长", "成果转化处处长", "所长助理", "产业化部部长", "副所长", "科研管理办公室主任",
    "知识产权专员", "课题组长",
)
ENTERPRISE_POSITIONS: tuple[str, ...] = (
    "总经理", "副总经理", "技术总监", "总工程师", "研发中心主任", "技术部经理", "生产部经理",
    "办公室主任", "质量部经理", "董事长", "项目经理",
)
EMAIL_HOSTS: tuple[str, ...] = ("163.com", "126.com", "qq.com", "sina.com", "foxmail.com")
