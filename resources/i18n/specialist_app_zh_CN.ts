<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
    <message>
        <source>Specialist workbench</source>
        <translation>技术专员工作台</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Sync protocol</source>
        <translation>同步协议</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>This version is sent to the server with every sync, so the market can tell you when an update is needed.</source>
        <translation>每次同步都会把此版本号发送给服务器，以便大市场在需要升级时通知您。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>AchievementsModel</name>
    <message>
        <source>TRL</source>
        <translation>成熟度</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>“%1” is not on this computer yet and the server cannot be reached. Open it again when you are online.</source>
        <translation>“%1”尚未下载到本机，且无法连接服务器。请联网后再打开。</translation>
    </message>
    <message>
        <source>“%1” is not on this computer and the server does not offer it to you (it was removed, or you are not allowed to see it).</source>
        <translation>“%1”不在本机，服务器也不提供该文件（文件已删除，或您无权查看）。</translation>
    </message>
    <message>
        <source>Attachments (photos and documents; drop files here)</source>
        <translation>附件（照片和文档，可直接拖入）</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>添加文件…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Open the selected file (Enter)</source>
        <translation>打开选中的文件（回车）</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove the selected file (deleted when you save)</source>
        <translation>移除选中的文件（保存时删除）</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>附件</translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation>下载进度</translation>
    </message>
    <message>
        <source>Add photos or documents</source>
        <translation>添加照片或文档</translation>
    </message>
    <message>
        <source>Photos and documents (*.jpg *.jpeg *.png *.webp *.heic *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt);;All files (*)</source>
        <translation>照片和文档 (*.jpg *.jpeg *.png *.webp *.heic *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Downloading “%1” from the server…</source>
        <translation>正在从服务器下载“%1”…</translation>
    </message>
    <message>
        <source>“%1” is a type the app does not open itself (it may contain macros): it is shown in its folder. Open it only if you trust its sender.</source>
        <translation>“%1”属于本程序不直接打开的类型（可能含有宏），已在文件夹中显示。只有在信任发送者时才打开它。</translation>
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
        <source>More than %1 found</source>
        <translation>超过 %1 条</translation>
    </message>
    <message>
        <source>Counting stops at %1 so that search keeps up with typing; the list goes on as you scroll. Type more characters or set a filter to narrow it.</source>
        <translation>只统计到 %1 条，以便边输入边搜索；向下滚动可继续列出更多。多输入几个字或设置筛选条件可缩小范围。</translation>
    </message>
    <message>
        <source>%1 found</source>
        <translation>共 %1 条</translation>
    </message>
    <message>
        <source>%1 found: %2 in title/text, %3 by institution or people</source>
        <translation>共 %1 条：标题/正文中 %2 条，按单位或人员找到 %3 条</translation>
    </message>
    <message>
        <source>Nothing to search for in “%1”: type Chinese characters, letters or digits.</source>
        <translation>“%1”中没有可搜索的内容：请输入汉字、字母或数字。</translation>
    </message>
    <message>
        <source>No results for “%1” in titles, keywords, texts, units and people.</source>
        <translation>在标题、关键词、正文、单位和人员中均未找到“%1”。</translation>
    </message>
    <message>
        <source>No records.</source>
        <translation>暂无记录。</translation>
    </message>
    <message>
        <source>Did you mean %1?</source>
        <translation>您是不是要找 %1？</translation>
    </message>
    <message>
        <source>&lt;a href=&quot;clear&quot;&gt;Clear the filters&lt;/a&gt; to search everything.</source>
        <translation>&lt;a href=&quot;clear&quot;&gt;清除筛选条件&lt;/a&gt;以搜索全部。</translation>
    </message>
    <message>
        <source>Try fewer characters or one keyword.</source>
        <translation>可减少字数或只用一个关键词再试。</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
</context>
<context>
    <name>CatalogRefInput</name>
    <message>
        <source>Type part of its title or name to search</source>
        <translation>输入标题或名称中的几个字搜索</translation>
    </message>
    <message>
        <source>(not on this computer)</source>
        <translation>（本机没有此记录）</translation>
    </message>
    <message>
        <source>(your institution)</source>
        <translation>（您负责的机构）</translation>
    </message>
    <message>
        <source>Nothing in the catalog matches</source>
        <translation>本机目录中没有相符的记录</translation>
    </message>
</context>
<context>
    <name>ChildTable</name>
    <message>
        <source>Add row</source>
        <translation>添加一行</translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation>删除一行</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Resolve conflicts</source>
        <translation>处理冲突</translation>
    </message>
    <message>
        <source>The same field was changed here and on the server. For each field choose which value to keep, or type the value it should have. Your choice is sent at the next sync.</source>
        <translation>同一字段在本机和服务器上都被修改了。请为每个字段选择保留哪个值，或输入它应有的值。您的选择会在下次同步时发送。</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>修改前</translation>
    </message>
    <message>
        <source>Server value</source>
        <translation>服务器上的值</translation>
    </message>
    <message>
        <source>Changed on the server by</source>
        <translation>服务器上的修改人</translation>
    </message>
    <message>
        <source>My value</source>
        <translation>我的值</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Merged value</source>
        <translation>合并后的值</translation>
    </message>
    <message>
        <source>Apply choices</source>
        <translation>应用选择</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>保留我的</translation>
    </message>
    <message>
        <source>Keep the server&apos;s</source>
        <translation>保留服务器的</translation>
    </message>
    <message>
        <source>Type the value to keep</source>
        <translation>输入要保留的值</translation>
    </message>
    <message>
        <source>Type a merged value</source>
        <translation>输入合并后的值</translation>
    </message>
    <message>
        <source>Choose what to keep for at least one field.</source>
        <translation>请至少为一个字段选择要保留的值。</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>职务</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
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
        <source>Matches this month</source>
        <translation>本月对接</translation>
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
        <source>Upcoming visits</source>
        <translation>近期走访</translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation>近 12 个月</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
    <message>
        <source>Mark the selected follow-up done</source>
        <translation>把选中的后续事项标记为已完成</translation>
    </message>
    <message>
        <source>Move due date</source>
        <translation>改到期日</translation>
    </message>
    <message>
        <source>Give the selected follow-up a new due date</source>
        <translation>给选中的后续事项换一个到期日</translation>
    </message>
    <message>
        <source>All matches: %1</source>
        <translation>全部对接：%1</translation>
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
    <name>DateInput</name>
    <message>
        <source>Type 2026-12-02, 2026/12/2, 2026年12月2日 or 12/2 (this year); F4 opens a calendar</source>
        <translation>可输入 2026-12-02、2026/12/2、2026年12月2日 或 12/2（当年）；按 F4 打开日历</translation>
    </message>
    <message>
        <source>Beijing time</source>
        <translation>北京时间</translation>
    </message>
    <message>
        <source>Market time (UTC+8), whatever this computer&apos;s time zone</source>
        <translation>市场时间（北京时间，UTC+8），与本机时区无关</translation>
    </message>
    <message>
        <source>Choose on a calendar (F4)</source>
        <translation>在日历上选择（F4）</translation>
    </message>
    <message>
        <source>Choose on a calendar</source>
        <translation>在日历上选择</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>e.g. 2026-12-02</source>
        <translation>如 2026-12-02</translation>
    </message>
    <message>
        <source>e.g. 2026-12-02 14:30</source>
        <translation>如 2026-12-02 14:30</translation>
    </message>
</context>
<context>
    <name>DemandsModel</name>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>名称</translation>
    </message>
</context>
<context>
    <name>DigestView</name>
    <message>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <source>This digest is no longer in the catalog.</source>
        <translation>这条摘要已不在目录中。</translation>
    </message>
    <message>
        <source>A record of %1, read in full from the server (kept on this computer).</source>
        <translation>%1的记录，全文已从服务器获取（保存在本机）。</translation>
    </message>
    <message>
        <source>Digest of a record of %1: fetching the full text from the server…</source>
        <translation>%1记录的摘要：正在从服务器获取全文…</translation>
    </message>
    <message>
        <source>This is only a digest of a record of %1: the full text comes when you are online.</source>
        <translation>这是%1记录的摘要（仅摘要）：全文需联网后获取。</translation>
    </message>
    <message>
        <source>another province</source>
        <translation>外省</translation>
    </message>
    <message>
        <source>%1 (digest)</source>
        <translation>%1（摘要）</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>IP items</source>
        <translation>知识产权</translation>
    </message>
</context>
<context>
    <name>DuplicateHint</name>
    <message>
        <source>same name</source>
        <translation>名称相同</translation>
    </message>
    <message>
        <source>similar name, %1%</source>
        <translation>名称相似 %1%</translation>
    </message>
    <message>
        <source>same patent number</source>
        <translation>专利号相同</translation>
    </message>
    <message>
        <source>same registration number</source>
        <translation>登记号相同</translation>
    </message>
    <message>
        <source>same credit code</source>
        <translation>统一社会信用代码相同</translation>
    </message>
    <message>
        <source>same phone or e-mail</source>
        <translation>电话或邮箱相同</translation>
    </message>
    <message>
        <source>in this institution</source>
        <translation>本机构</translation>
    </message>
    <message>
        <source>in the catalog</source>
        <translation>目录中</translation>
    </message>
    <message>
        <source>Possible duplicate: %1 (%2, %3)</source>
        <translation>可能重复：%1（%2，%3）</translation>
    </message>
    <message>
        <source>Open it</source>
        <translation>打开它</translation>
    </message>
    <message>
        <source>It is a different one</source>
        <translation>不是同一个</translation>
    </message>
    <message>
        <source>Add to it instead</source>
        <translation>改为补充到它</translation>
    </message>
    <message>
        <source>Possible duplicate: the market holds a similar record; an administrator will check.</source>
        <translation>疑似重复：大市场发现了与本记录相似的记录，管理员将核对。</translation>
    </message>
    <message>
        <source>Confirmed duplicate of another record: kept, but no longer listed in the catalog.</source>
        <translation>已确认与另一条记录重复：记录保留，但不再在目录中列出。</translation>
    </message>
    <message>
        <source>%1 (confirmed duplicate)</source>
        <translation>%1（已确认重复）</translation>
    </message>
</context>
<context>
    <name>EditorDialog</name>
    <message>
        <source>New %1</source>
        <translation>新建%1</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑%1</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation>保存（Ctrl+S）</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Close (Esc); what you typed is kept as a draft</source>
        <translation>关闭（Esc）；已输入的内容会保存为草稿</translation>
    </message>
    <message>
        <source>View %1</source>
        <translation>查看%1</translation>
    </message>
    <message>
        <source>Restore draft</source>
        <translation>恢复草稿</translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation>丢弃草稿</translation>
    </message>
    <message>
        <source>You have unsaved changes from %1.</source>
        <translation>有一份 %1 未保存的草稿。</translation>
    </message>
    <message>
        <source>Please correct the fields marked in red.</source>
        <translation>请修改标红的字段。</translation>
    </message>
    <message>
        <source>Please correct the rows marked in red.</source>
        <translation>请修改标红的行。</translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation>无法保存：%1</translation>
    </message>
    <message>
        <source>Pending review: other specialists see this institution once the market approves it.</source>
        <translation>待审核：大市场审核通过后，其他专员才能看到该机构。</translation>
    </message>
    <message>
        <source>Rejected by the market: it stays out of the catalog; your records of it are kept.</source>
        <translation>已被大市场驳回：该机构不进入目录，您为它记录的内容仍会保留。</translation>
    </message>
    <message>
        <source>Copy as a new record</source>
        <translation>复制为新记录</translation>
    </message>
    <message>
        <source>A new record with these values, for an institution assigned to you</source>
        <translation>以这些内容新建一条记录，归属分配给您的机构</translation>
    </message>
    <message>
        <source>Propose a correction…</source>
        <translation>建议更正…</translation>
    </message>
    <message>
        <source>A note to the market&apos;s administrators saying what should be corrected; sent at the next sync</source>
        <translation>给大市场管理员的留言，说明哪里需要更正；下次同步时发送</translation>
    </message>
</context>
<context>
    <name>EntityForm</name>
    <message>
        <source>“%1” is not in the list: type part of a name and pick one of the names offered. A unit that is not listed can be proposed on My institutions (Propose a new institution).</source>
        <translation>名单中没有“%1”：请输入名称中的几个字，再从弹出的名单中选择。不在名单中的单位，可在“我的机构”页点“提议新机构”。</translation>
    </message>
    <message>
        <source>“%1” is not in the list: type part of a name and pick one of the names offered.</source>
        <translation>名单中没有“%1”：请输入名称中的几个字，再从弹出的名单中选择。</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation>保密</translation>
    </message>
    <message>
        <source>Shown only to the specialists assigned to the institution</source>
        <translation>仅对负责该机构的专员可见</translation>
    </message>
    <message>
        <source>Confidential: %1</source>
        <translation>保密：%1</translation>
    </message>
    <message>
        <source>Approved and Returned are the market&apos;s review decisions; only administrators choose them</source>
        <translation>“已通过”和“已退回”是大市场的审核结论，只有管理员可以选择</translation>
    </message>
</context>
<context>
    <name>FieldInput</name>
    <message>
        <source>Separate with 、 or commas</source>
        <translation>用“、”或逗号分隔</translation>
    </message>
    <message>
        <source> ×10k CNY</source>
        <translation> 万元</translation>
    </message>
    <message>
        <source>Type to search</source>
        <translation>输入以搜索</translation>
    </message>
</context>
<context>
    <name>FieldValues</name>
    <message>
        <source>Deleted or kept</source>
        <translation>删除还是保留</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>已修改</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>FollowUpActions</name>
    <message>
        <source>Due tomorrow</source>
        <translation>改为明天到期</translation>
    </message>
    <message>
        <source>Due in a week</source>
        <translation>改为一周后到期</translation>
    </message>
    <message>
        <source>Due in two weeks</source>
        <translation>改为两周后到期</translation>
    </message>
    <message>
        <source>Due in a month</source>
        <translation>改为一个月后到期</translation>
    </message>
    <message>
        <source>This follow-up is gone (deleted since).</source>
        <translation>这条后续事项已不存在（已被删除）。</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>后续事项</translation>
    </message>
    <message>
        <source>Open the visit</source>
        <translation>打开这次走访</translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation>标记完成</translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>User guide</source>
        <translation>使用手册</translation>
    </message>
    <message>
        <source>The user guide is missing from this installation (%1).</source>
        <translation>此安装中缺少使用手册（%1）。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import spreadsheet</source>
        <translation>导入表格</translation>
    </message>
    <message>
        <source>Spreadsheets and exports (*.xlsx *.csv *.json)</source>
        <translation>表格和导出文件 (*.xlsx *.csv *.json)</translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation>正在读取文件…</translation>
    </message>
    <message>
        <source>Records by type</source>
        <translation>各类记录数</translation>
    </message>
    <message>
        <source>Record type</source>
        <translation>记录类型</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Imported</source>
        <translation>已导入</translation>
    </message>
    <message>
        <source>Bad rows</source>
        <translation>有问题的行</translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation>有问题的行</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Import the good rows anyway</source>
        <translation>仍然导入无误的行</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation>正在导入…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Imported %1 records; left out %2 rows with problems.</source>
        <translation>已导入 %1 条记录；跳过 %2 个有问题的行。</translation>
    </message>
    <message>
        <source>Imported %1 records.</source>
        <translation>已导入 %1 条记录。</translation>
    </message>
    <message>
        <source>%1 rows have problems, so nothing was imported yet. Fix the file and import it again, or import the %2 good rows now.</source>
        <translation>有 %1 行存在问题，因此尚未导入任何记录。请修改文件后重新导入，或现在导入其余 %2 个无误的行。</translation>
    </message>
    <message>
        <source>%1 rows have problems and no row can be imported. Fix the file and import it again.</source>
        <translation>有 %1 行存在问题，没有可导入的行。请修改文件后重新导入。</translation>
    </message>
    <message>
        <source>The file holds no records.</source>
        <translation>文件中没有任何记录。</translation>
    </message>
    <message>
        <source>Cannot import this file: %1</source>
        <translation>无法导入此文件：%1</translation>
    </message>
</context>
<context>
    <name>InstitutionMatchTab</name>
    <message>
        <source>Suggestions for:</source>
        <translation>推荐对象：</translation>
    </message>
    <message>
        <source>Record to find suggestions for</source>
        <translation>要查找推荐的记录</translation>
    </message>
    <message>
        <source>This institution has no demands or achievements yet.</source>
        <translation>该机构还没有技术需求或科技成果。</translation>
    </message>
    <message>
        <source>Demand: %1</source>
        <translation>需求：%1</translation>
    </message>
    <message>
        <source>Achievement: %1</source>
        <translation>成果：%1</translation>
    </message>
</context>
<context>
    <name>InstitutionWindow</name>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Plan visit</source>
        <translation>计划走访</translation>
    </message>
    <message>
        <source>Log visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <source>New achievement</source>
        <translation>新建成果</translation>
    </message>
    <message>
        <source>New demand</source>
        <translation>新建需求</translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation>添加联系人</translation>
    </message>
    <message>
        <source>Edit profile</source>
        <translation>编辑简介</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>简介</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>联系人</translation>
    </message>
    <message>
        <source>Visit history</source>
        <translation>走访记录</translation>
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
        <source>Matching</source>
        <translation>对接</translation>
    </message>
    <message>
        <source>Edit this institution&apos;s profile</source>
        <translation>修改该机构的简介</translation>
    </message>
    <message>
        <source>Institution: %1</source>
        <translation>机构：%1</translation>
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
    <message>
        <source>Propose a new institution</source>
        <translation>提议新机构</translation>
    </message>
    <message>
        <source>An institution met in the field; an administrator reviews it</source>
        <translation>走访中遇到的新机构，由管理员审核</translation>
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
        <source>Matching</source>
        <translation>对接</translation>
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
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>使用手册</translation>
    </message>
    <message>
        <source>About</source>
        <translation>关于</translation>
    </message>
</context>
<context>
    <name>MatchList</name>
    <message>
        <source>(not on this computer)</source>
        <translation>（本机没有此记录）</translation>
    </message>
    <message>
        <source>Match records</source>
        <translation>对接记录</translation>
    </message>
    <message>
        <source>Match records: %1 (double-click to open)</source>
        <translation>对接记录：%1 条（双击打开）</translation>
    </message>
    <message>
        <source>No match records yet.</source>
        <translation>尚无对接记录。</translation>
    </message>
</context>
<context>
    <name>MatchPanel</name>
    <message>
        <source>Suggest</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>Suggestions from the records on this computer, best first:</source>
        <translation>根据本机已有记录推荐（按匹配度排序）：</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Show %1 more</source>
        <translation>再显示 %1 条</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Create match record</source>
        <translation>创建对接记录</translation>
    </message>
    <message>
        <source>Record this suggestion as a match record: suggested by the algorithm, stage Recommended, dated today</source>
        <translation>把这条推荐记为对接记录：推荐来源为算法推荐，阶段为推荐，日期为今天</translation>
    </message>
    <message>
        <source>Save the record first: suggestions are made from the saved record.</source>
        <translation>请先保存：推荐依据已保存的记录内容。</translation>
    </message>
    <message>
        <source>Finding suggestions…</source>
        <translation>正在查找推荐…</translation>
    </message>
    <message>
        <source>This record is not in the local store.</source>
        <translation>本机数据中没有这条记录。</translation>
    </message>
    <message>
        <source>No suggestions: no record shares a telling word with this one. Add keywords or describe the problem in more words, then refresh.</source>
        <translation>暂无推荐：没有记录与它有共同的关键词。请补充关键词或更详细地描述问题后再刷新。</translation>
    </message>
    <message>
        <source>The %1 records sharing the most telling words with this one (more share a few).</source>
        <translation>列出与它共同关键词最多的 %1 条记录（另有更多记录与它有个别共同关键词）。</translation>
    </message>
    <message>
        <source>%1 records share words with this one.</source>
        <translation>共有 %1 条记录与它有共同关键词。</translation>
    </message>
    <message>
        <source>Suggestions failed: %1</source>
        <translation>推荐失败：%1</translation>
    </message>
    <message>
        <source>Only a digest is on this computer: double-click to read it in full from the server</source>
        <translation>本机仅有摘要：双击从服务器获取全文</translation>
    </message>
    <message>
        <source>Only a digest of this record is on this computer (another province): it was compared on its title, keywords, field, maturity, transfer modes and price; its summary was not compared and does not count against it. Open it to read it in full.</source>
        <translation>本机仅有此记录的摘要（外省）：按标题、关键词、领域、技术就绪水平、转化方式和价格比较；简介未参与比较，也不因此扣分。打开可查看全文。</translation>
    </message>
    <message>
        <source>This pair already has a match record; it is open in its editor (no second one was made).</source>
        <translation>这一对已有对接记录，已在编辑窗口中打开（未重复创建）。</translation>
    </message>
    <message>
        <source>Match record created (stage Recommended); it is open in its editor.</source>
        <translation>已创建对接记录（阶段：推荐），已在编辑窗口中打开。</translation>
    </message>
    <message>
        <source>A match record is yours to make when its demand or its achievement belongs to an institution assigned to you.</source>
        <translation>只有技术需求或科技成果所属机构已分配给您时，才能创建其对接记录。</translation>
    </message>
    <message>
        <source>The match record was not created: %1</source>
        <translation>未能创建对接记录：%1</translation>
    </message>
</context>
<context>
    <name>MatchRecordEditor</name>
    <message>
        <source>Pick a demand or an achievement of an institution assigned to you.</source>
        <translation>请选择分配给您的机构的技术需求或科技成果。</translation>
    </message>
    <message>
        <source>Fixed once saved: for another demand or achievement, make another match record</source>
        <translation>保存后不能更改：如需对接其他需求或成果，请另建一条对接记录</translation>
    </message>
</context>
<context>
    <name>MatchableEditor</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Matching</source>
        <translation>对接</translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Recommended on</source>
        <translation>推荐日期</translation>
    </message>
    <message>
        <source>Demand</source>
        <translation>技术需求</translation>
    </message>
    <message>
        <source>Achievement or expert</source>
        <translation>科技成果或专家</translation>
    </message>
    <message>
        <source>Suggested by</source>
        <translation>推荐来源</translation>
    </message>
</context>
<context>
    <name>MatchesPage</name>
    <message>
        <source>Matching</source>
        <translation>对接</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>对接阶段：</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Every stage</source>
        <translation>全部阶段</translation>
    </message>
    <message>
        <source>New match record…</source>
        <translation>新建对接记录…</translation>
    </message>
    <message>
        <source>A match arranged by you or at an event: pick its demand and achievement or expert from the catalog</source>
        <translation>您促成或在对接活动上达成的对接：从目录中选择需求以及成果或专家</translation>
    </message>
    <message>
        <source>Match records are made from a suggestion on a demand&apos;s or an achievement&apos;s Matching tab, or by hand with New match record; double-click one to move it on.</source>
        <translation>对接记录由技术需求或科技成果“对接”标签页中的推荐创建，也可点“新建对接记录”手工录入；双击一条可推进其阶段。</translation>
    </message>
    <message>
        <source>Match records</source>
        <translation>对接记录</translation>
    </message>
    <message>
        <source>%1 match records</source>
        <translation>共 %1 条对接记录</translation>
    </message>
</context>
<context>
    <name>OverdueFollowUpsModel</name>
    <message>
        <source>Overdue 1 day</source>
        <translation>逾期 1 天</translation>
    </message>
    <message>
        <source>Overdue %1 days</source>
        <translation>逾期 %1 天</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>到期日</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <source>Follow-up item</source>
        <translation>后续事项</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>%1
From the visit of %2: %3</source>
        <translation>%1
来自 %2 的走访：%3</translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷方式</translation>
    </message>
    <message>
        <source>Alias</source>
        <translation>别名</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation>查找范围(&amp;L)：</translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation>文件类型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>%1 change(s) have not reached the market yet.</source>
        <translation>还有 %1 条修改没有送到市场。</translation>
    </message>
    <message>
        <source>Some changes may not have reached the market yet.</source>
        <translation>可能还有修改没有送到市场。</translation>
    </message>
    <message>
        <source>Sync now and quit when it is done?</source>
        <translation>现在同步，完成后退出？</translation>
    </message>
    <message>
        <source>You are offline: they stay on this computer and are sent at the next sync.</source>
        <translation>当前离线：这些修改保存在本机，下次同步时发送。</translation>
    </message>
    <message>
        <source>Sync and quit</source>
        <translation>同步后退出</translation>
    </message>
    <message>
        <source>Syncing before quitting</source>
        <translation>退出前同步</translation>
    </message>
    <message>
        <source>The app quits when the sync is done.</source>
        <translation>同步完成后程序将退出。</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
    <message>
        <source>Quit now</source>
        <translation>立即退出</translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation>继续工作</translation>
    </message>
</context>
<context>
    <name>RecentVisitsModel</name>
    <message>
        <source>Visited at</source>
        <translation>走访时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <source>%1 change(s) refused by the market: they did not reach it. Fix or dismiss them.</source>
        <translation>有 %1 条修改被大市场退回，没有进入大市场。请修改后重新同步，或忽略。</translation>
    </message>
    <message>
        <source>Changes the market refused: they did not reach it. Click to see why.</source>
        <translation>被大市场退回的修改：没有进入大市场。点击查看原因。</translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>被退回：%1</translation>
    </message>
    <message>
        <source>Show refused changes</source>
        <translation>查看被退回的修改</translation>
    </message>
    <message>
        <source>Changes refused</source>
        <translation>修改被退回</translation>
    </message>
    <message>
        <source>The market refused %1 change(s) of this sync: they did not reach it. The refused changes list says why; fix the record and sync again, or dismiss the entry.</source>
        <translation>本次同步有 %1 条修改被大市场退回，没有进入大市场。“被退回的修改”列表说明了原因：请修改记录后再次同步，或忽略该条。</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>RejectedChangeDialog</name>
    <message>
        <source>Change refused by the market</source>
        <translation>被大市场退回的修改</translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Correct the record in its editor and save: the corrected change is sent at the next sync. Then dismiss this entry.</source>
        <translation>请在编辑窗口中改正这条记录并保存，改正后的内容会在下次同步时发送。然后忽略此条目。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>This record is no longer on this computer.</source>
        <translation>本机上已没有这条记录。</translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Only a digest is on this computer: the full text is fetched from the server when you open it</source>
        <translation>本机仅有摘要：打开时从服务器获取全文</translation>
    </message>
    <message>
        <source>Found only by its institution or people (owner, completing units, inventors)</source>
        <translation>仅在所属单位或人员中找到（成果权属单位、完成单位、主要完成人）</translation>
    </message>
    <message>
        <source>another province</source>
        <translation>外省</translation>
    </message>
    <message>
        <source>[Digest · %1]</source>
        <translation>[摘要 · %1]</translation>
    </message>
    <message>
        <source>Unit and field</source>
        <translation>单位与学科</translation>
    </message>
    <message>
        <source>Demanding unit and field</source>
        <translation>需求单位与领域</translation>
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
    <name>Session</name>
    <message>
        <source>unencrypted http: password and data travel in clear</source>
        <translation>未加密的 http：密码和数据以明文传输</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation>切换账号…</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>退出登录…</translation>
    </message>
    <message>
        <source>Import spreadsheet…</source>
        <translation>导入表格…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Update needed</source>
        <translation>需要升级</translation>
    </message>
    <message>
        <source>Cannot open the data file</source>
        <translation>无法打开数据文件</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation>切换账号…</translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation>退出登录…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>A new language applies when the app starts again.</source>
        <translation>新的语言在程序重新启动后生效。</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>自动同步间隔</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Market catalog on a first sync</source>
        <translation>首次同步时的大市场目录</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Export my data…</source>
        <translation>导出我的数据…</translation>
    </message>
    <message>
        <source>Import spreadsheet…</source>
        <translation>导入表格…</translation>
    </message>
    <message>
        <source>About…</source>
        <translation>关于…</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Automatic (by the network&apos;s speed)</source>
        <translation>自动（按网络速度选择）</translation>
    </message>
    <message>
        <source>Always the snapshot (fast network)</source>
        <translation>总是下载快照（网络快）</translation>
    </message>
    <message>
        <source>Page by page (slow network, fewer bytes)</source>
        <translation>分页接收（网络慢，流量少）</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export my data</source>
        <translation>导出我的数据</translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;JSON (*.json)</source>
        <translation>Excel 工作簿 (*.xlsx);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation>已导出 %1 条记录到 %2</translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign-in failed (%1). Check the server address and try again.</source>
        <translation>登录失败（%1），请检查服务器地址后重试。</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Sign in to a server…</source>
        <translation>登录到服务器…</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>服务器地址</translation>
    </message>
    <message>
        <source>e.g. https://market.example.cn</source>
        <translation>例如 https://market.example.cn</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Signing in needs the network once; afterwards the app opens without it.</source>
        <translation>首次登录需要联网；之后无需网络也能打开程序。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Enter the server address, your user name and your password.</source>
        <translation>请输入服务器地址、用户名和密码。</translation>
    </message>
    <message>
        <source>Click Sign in again to sign in anyway.</source>
        <translation>再次点击“登录”将仍然登录。</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
</context>
<context>
    <name>SignOutDialog</name>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Sign out %1 from %2? Your data stays on this computer.</source>
        <translation>确定让 %1 退出 %2 吗？您的数据会保留在本机。</translation>
    </message>
    <message>
        <source>Also erase this account&apos;s data on this computer</source>
        <translation>同时删除此账号在本机上的数据</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Erase local data</source>
        <translation>删除本机数据</translation>
    </message>
    <message>
        <source>Changes not yet sent to the market will be lost. Erase this account&apos;s data?</source>
        <translation>尚未发送到大市场的修改将会丢失。确定删除此账号的数据吗？</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Done, some changes refused</source>
        <translation>完成，部分修改被退回</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>No network</source>
        <translation>无网络</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>需要重新登录</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>Did not finish</source>
        <translation>未完成</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <source>Sign in to a server to sync</source>
        <translation>登录服务器后才能同步</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>已接收</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>冲突</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>被退回</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation>同步日志</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Server value</source>
        <translation>服务器上的值</translation>
    </message>
    <message>
        <source>My value</source>
        <translation>我的值</translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation>未处理的冲突</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>修改类型</translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation>退回原因</translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation>被退回的修改</translation>
    </message>
    <message>
        <source>Resolve conflicts…</source>
        <translation>处理冲突…</translation>
    </message>
    <message>
        <source>Fix…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>Send your changes and get the market&apos;s (F5)</source>
        <translation>发送您的修改并获取大市场的更新（F5）</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>冲突（%1）</translation>
    </message>
    <message>
        <source>Refused changes (%1)</source>
        <translation>被退回的修改（%1）</translation>
    </message>
    <message>
        <source>%1 (%2 MB): %3 % uploaded; the next sync goes on from there</source>
        <translation>%1（%2 MB）：已上传 %3%，下次同步时从这里继续</translation>
    </message>
    <message>
        <source>%1 (%2 MB): the last upload failed (%3); it is tried again at the next sync</source>
        <translation>%1（%2 MB）：上次上传失败（%3），下次同步时重试</translation>
    </message>
    <message>
        <source>New record</source>
        <translation>新建记录</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>修改</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>SyncProgress</name>
    <message>
        <source>Sending your changes: %1 / %2</source>
        <translation>正在发送您的修改：%1 / %2</translation>
    </message>
    <message>
        <source>Uploading attachments: %1 / %2 MB</source>
        <translation>正在上传附件：%1 / %2 MB</translation>
    </message>
    <message>
        <source>Building the full-text search index: %1 / %2</source>
        <translation>正在建立全文检索索引：%1 / %2</translation>
    </message>
    <message>
        <source>Downloading the market catalog: %1 / %2 MB</source>
        <translation>正在下载大市场目录：%1 / %2 MB</translation>
    </message>
    <message>
        <source>Installing the market catalog and its search index…</source>
        <translation>正在安装大市场目录及其检索索引…</translation>
    </message>
    <message>
        <source>Market catalog installed.</source>
        <translation>大市场目录已安装。</translation>
    </message>
    <message>
        <source>Receiving the market&apos;s changes: %1</source>
        <translation>正在接收大市场的更新：%1</translation>
    </message>
    <message>
        <source>Network unstable, retrying (%1/%2)</source>
        <translation>网络不稳定，正在重试（%1/%2）</translation>
    </message>
    <message>
        <source>Receiving the market&apos;s changes: %1 / %2</source>
        <translation>正在接收更新：%1 / %2 条</translation>
    </message>
    <message>
        <source>Market catalog installed; writing it to disk (you can search already)…</source>
        <translation>大市场目录已安装，正在写入磁盘（现在即可检索）…</translation>
    </message>
    <message>
        <source>%1, about %2 s left</source>
        <translation>%1，约剩 %2 秒</translation>
    </message>
    <message>
        <source>%1, about %2 min left</source>
        <translation>%1，约剩 %2 分钟</translation>
    </message>
    <message>
        <source>%1, about %2 h left</source>
        <translation>%1，约剩 %2 小时</translation>
    </message>
    <message>
        <source>Sync done: %1 sent, %2 received, %3 conflicts, %4 rejected</source>
        <translation>同步完成：发送 %1，接收 %2，冲突 %3，被退回 %4</translation>
    </message>
    <message>
        <source>%1 attachment file(s) not uploaded yet; tried again at the next sync.</source>
        <translation>%1 个附件尚未上传，下次同步时重试。</translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation>同步失败</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>同步进度</translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation>取消同步</translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation>正在连接服务器…</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Files to upload: %1, %2 MB</source>
        <translation>待上传附件 %1 个，%2 MB</translation>
    </message>
    <message>
        <source>Times: Beijing (UTC+8)</source>
        <translation>时间：北京时间（UTC+8）</translation>
    </message>
    <message>
        <source>Every time in the app is market time (Beijing, UTC+8), whatever this computer&apos;s time zone</source>
        <translation>程序中的时间均为市场时间（北京时间，UTC+8），与本机时区无关</translation>
    </message>
    <message>
        <source>Saved: %1 “%2”</source>
        <translation>已保存：%1“%2”</translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation>已保存：%1</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>正在同步</translation>
    </message>
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
    <name>UpcomingVisitsModel</name>
    <message>
        <source>Planned at</source>
        <translation>计划时间</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Institution</source>
        <translation>机构</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>走访目的</translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>Plan a visit</source>
        <translation>计划走访</translation>
    </message>
    <message>
        <source>Log a visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <source>Collected on this visit</source>
        <translation>本次走访采集</translation>
    </message>
    <message>
        <source>Achievements and demands collected on this visit</source>
        <translation>本次走访采集的成果和需求</translation>
    </message>
    <message>
        <source>Double-click one to open it</source>
        <translation>双击打开</translation>
    </message>
    <message>
        <source>New achievement…</source>
        <translation>新建成果…</translation>
    </message>
    <message>
        <source>Saves the visit, then opens an achievement linked to it</source>
        <translation>先保存走访，再新建关联该走访的成果</translation>
    </message>
    <message>
        <source>New demand…</source>
        <translation>新建需求…</translation>
    </message>
    <message>
        <source>Saves the visit, then opens a demand linked to it</source>
        <translation>先保存走访，再新建关联该走访的需求</translation>
    </message>
</context>
<context>
    <name>VisitHistoryModel</name>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Type / owner</source>
        <translation>类型 / 负责人</translation>
    </message>
    <message>
        <source>Purpose / follow-up item</source>
        <translation>目的 / 后续事项</translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation>✓ 已完成</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>待办</translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Visits</source>
        <translation>走访</translation>
    </message>
    <message>
        <source>Plan a visit</source>
        <translation>计划走访</translation>
    </message>
    <message>
        <source>Log a visit</source>
        <translation>记录走访</translation>
    </message>
    <message>
        <source>Log the selected planned visit</source>
        <translation>记录所选计划走访</translation>
    </message>
    <message>
        <source>Planned visits (next 60 days)</source>
        <translation>计划走访（未来 60 天）</translation>
    </message>
    <message>
        <source>Planned visits</source>
        <translation>计划走访</translation>
    </message>
    <message>
        <source>Recent visits</source>
        <translation>最近走访</translation>
    </message>
</context>
</TS>
