<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>App</name>
    <message>
        <source>Cannot open the data file</source>
        <translation>无法打开数据文件</translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <source>Achievements</source>
        <translation>科技成果</translation>
    </message>
    <message>
        <source>Demands</source>
        <translation>技术需求</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Search title, keywords, people… (Chinese or English)</source>
        <translation>搜索名称、关键词、人员……（中英文均可）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Any organisation type</source>
        <translation>不限机构类型</translation>
    </message>
    <message>
        <source>Organisation type</source>
        <translation>机构类型</translation>
    </message>
    <message>
        <source>Any transfer mode</source>
        <translation>不限转化方式</translation>
    </message>
    <message>
        <source>Transfer mode</source>
        <translation>转化方式</translation>
    </message>
    <message>
        <source>Any TRL</source>
        <translation>不限就绪水平</translation>
    </message>
    <message>
        <source>TRL ≥ </source>
        <translation>就绪水平 ≥ </translation>
    </message>
    <message>
        <source>Lowest TRL</source>
        <translation>最低技术就绪水平</translation>
    </message>
    <message>
        <source>Any cooperation mode</source>
        <translation>不限合作方式</translation>
    </message>
    <message>
        <source>Cooperation mode</source>
        <translation>合作方式</translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation>排序方式</translation>
    </message>
    <message>
        <source>Best match</source>
        <translation>最相关</translation>
    </message>
    <message>
        <source>Newest</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Sort:</source>
        <translation>排序：</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>%1 found</source>
        <translation>共 %1 条</translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>Visits this month</source>
        <translation>本月走访</translation>
    </message>
    <message>
        <source>Achievements collected this month</source>
        <translation>本月采集成果</translation>
    </message>
    <message>
        <source>Demands collected this month</source>
        <translation>本月采集需求</translation>
    </message>
    <message>
        <source>Upcoming visits (next 14 days)</source>
        <translation>近期走访（未来 14 天）</translation>
    </message>
    <message>
        <source>Overdue follow-ups</source>
        <translation>逾期后续事项</translation>
    </message>
    <message>
        <source>Planned at</source>
        <translation>计划时间</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
    <message>
        <source>Upcoming visits</source>
        <translation>近期走访</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>事项</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Achievements</source>
        <translation>科技成果</translation>
    </message>
    <message>
        <source>Demands</source>
        <translation>技术需求</translation>
    </message>
</context>
<context>
    <name>InstitutionsModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Region</source>
        <translation>行政区划</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation>最近走访</translation>
    </message>
    <message>
        <source>Open demands</source>
        <translation>未解决需求</translation>
    </message>
    <message>
        <source>Overdue follow-ups</source>
        <translation>逾期后续事项</translation>
    </message>
</context>
<context>
    <name>InstitutionsPage</name>
    <message>
        <source>My institutions</source>
        <translation>我的机构</translation>
    </message>
    <message>
        <source>Name or credit code</source>
        <translation>名称或统一社会信用代码</translation>
    </message>
    <message>
        <source>Search institutions</source>
        <translation>搜索机构</translation>
    </message>
    <message>
        <source>Organisation type</source>
        <translation>机构类型</translation>
    </message>
    <message>
        <source>Any type</source>
        <translation>不限类型</translation>
    </message>
    <message>
        <source>Region code, e.g. 2201</source>
        <translation>行政区划代码，如 2201</translation>
    </message>
    <message>
        <source>Region code prefix</source>
        <translation>行政区划代码前缀</translation>
    </message>
    <message>
        <source>Institutions</source>
        <translation>机构列表</translation>
    </message>
    <message>
        <source>%1 institutions, %2 assigned to you</source>
        <translation>共 %1 家机构，其中 %2 家由您负责</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation>工作台</translation>
    </message>
    <message>
        <source>My institutions</source>
        <translation>我的机构</translation>
    </message>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Achievements</source>
        <translation>科技成果</translation>
    </message>
    <message>
        <source>Demands</source>
        <translation>技术需求</translation>
    </message>
    <message>
        <source>Experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Specialist workbench</source>
        <translation>技术专员工作台</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Send your changes and get the market&apos;s (F5)</source>
        <translation>发送您的修改并获取大市场的更新（F5）</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Unit and field</source>
        <translation>单位与学科</translation>
    </message>
    <message>
        <source>Owner and domain</source>
        <translation>权属单位与领域</translation>
    </message>
    <message>
        <source>Matching text</source>
        <translation>匹配内容</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Each sync run, what it sent and received, and changes the market refused.</source>
        <translation>每次同步的记录：发送和接收了什么，以及被大市场退回的修改。</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Pending changes: %1</source>
        <translation>待同步修改：%1</translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation>上次同步：%1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation>冲突：%1</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Plan a visit, then log it: people met, notes, follow-ups and attachments.</source>
        <translation>计划走访，然后记录：接待人员、纪要、后续事项和附件。</translation>
    </message>
</context>
</TS>
