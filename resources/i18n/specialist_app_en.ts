<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Specialist workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync protocol</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This version is sent to the server with every sync, so the market can tell you when an update is needed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AchievementsModel</name>
    <message>
        <source>TRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Attachments</name>
    <message>
        <source>“%1” is not on this computer yet and the server cannot be reached. Open it again when you are online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not on this computer and the server does not offer it to you (it was removed, or you are not allowed to see it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments (photos and documents; drop files here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected file (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the selected file (deleted when you save)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add photos or documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Photos and documents (*.jpg *.jpeg *.png *.webp *.heic *.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading “%1” from the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is a type the app does not open itself (it may contain macros): it is shown in its folder. Open it only if you trust its sender.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogPage</name>
    <message>
        <source>Achievements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search title, keywords, people… (Chinese or English)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any organisation type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any transfer mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transfer mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any TRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TRL ≥ </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lowest TRL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any cooperation mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cooperation mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best match</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Newest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sort:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than %1 found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Counting stops at %1 so that search keeps up with typing; the list goes on as you scroll. Type more characters or set a filter to narrow it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 found: %2 in title/text, %3 by institution or people</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to search for in “%1”: type Chinese characters, letters or digits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No results for “%1” in titles, keywords, texts, units and people.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did you mean %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;a href=&quot;clear&quot;&gt;Clear the filters&lt;/a&gt; to search everything.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try fewer characters or one keyword.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CatalogRefInput</name>
    <message>
        <source>Type part of its title or name to search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(your institution)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in the catalog matches</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChildTable</name>
    <message>
        <source>Add row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <source>Resolve conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same field was changed here and on the server. For each field choose which value to keep, or type the value it should have. Your choice is sent at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed on the server by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merged value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply choices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the server&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the value to keep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type a merged value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose what to keep for at least one field.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Position</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Notes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardPage</name>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievements collected this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demands collected this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matches this month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upcoming visits (next 14 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Upcoming visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 12 months</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark the selected follow-up done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the selected follow-up a new due date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All matches: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demands</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DateInput</name>
    <message>
        <source>Type 2026-12-02, 2026/12/2, 2026年12月2日 or 12/2 (this year); F4 opens a calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Beijing time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Market time (UTC+8), whatever this computer&apos;s time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose on a calendar (F4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose on a calendar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 2026-12-02</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. 2026-12-02 14:30</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DemandsModel</name>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DigestView</name>
    <message>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This digest is no longer in the catalog.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A record of %1, read in full from the server (kept on this computer).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Digest of a record of %1: fetching the full text from the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is only a digest of a record of %1: the full text comes when you are online.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (digest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP items</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DuplicateHint</name>
    <message>
        <source>same name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>similar name, %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same patent number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same registration number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same phone or e-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in this institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in the catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible duplicate: %1 (%2, %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>It is a different one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add to it instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Possible duplicate: the market holds a similar record; an administrator will check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed duplicate of another record: kept, but no longer listed in the catalog.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (confirmed duplicate)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EditorDialog</name>
    <message>
        <source>New %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save (Ctrl+S)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close (Esc); what you typed is kept as a draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You have unsaved changes from %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct the fields marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Please correct the rows marked in red.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending review: other specialists see this institution once the market approves it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected by the market: it stays out of the catalog; your records of it are kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy as a new record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new record with these values, for an institution assigned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose a correction…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A note to the market&apos;s administrators saying what should be corrected; sent at the next sync</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EntityForm</name>
    <message>
        <source>“%1” is not in the list: type part of a name and pick one of the names offered. A unit that is not listed can be proposed on My institutions (Propose a new institution).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“%1” is not in the list: type part of a name and pick one of the names offered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown only to the specialists assigned to the institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confidential: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved and Returned are the market&apos;s review decisions; only administrators choose them</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldInput</name>
    <message>
        <source>Separate with 、 or commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> ×10k CNY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type to search</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FieldValues</name>
    <message>
        <source>Deleted or kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FollowUpActions</name>
    <message>
        <source>Due tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in a week</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in two weeks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due in a month</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This follow-up is gone (deleted since).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mark done</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GuideWindow</name>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide is missing from this installation (%1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <source>Import spreadsheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spreadsheets and exports (*.xlsx *.csv *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records by type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bad rows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rows with problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import the good rows anyway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 records; left out %2 rows with problems.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported %1 records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rows have problems, so nothing was imported yet. Fix the file and import it again, or import the %2 good rows now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rows have problems and no row can be imported. Fix the file and import it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The file holds no records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot import this file: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InstitutionMatchTab</name>
    <message>
        <source>Suggestions for:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record to find suggestions for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This institution has no demands or achievements yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demand: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievement: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InstitutionWindow</name>
    <message>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New achievement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New demand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add contact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visit history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit this institution&apos;s profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InstitutionsModel</name>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open demands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue follow-ups</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InstitutionsPage</name>
    <message>
        <source>My institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name or credit code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Organisation type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region code, e.g. 2201</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Region code prefix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 institutions, %2 assigned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Propose a new institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An institution met in the field; an administrator reviews it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My institutions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demands</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Specialist workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send your changes and get the market&apos;s (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchList</name>
    <message>
        <source>(not on this computer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match records: %1 (double-click to open)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No match records yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchPanel</name>
    <message>
        <source>Suggest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggestions from the records on this computer, best first:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show %1 more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create match record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record this suggestion as a match record: suggested by the algorithm, stage Recommended, dated today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the record first: suggestions are made from the saved record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding suggestions…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record is not in the local store.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No suggestions: no record shares a telling word with this one. Add keywords or describe the problem in more words, then refresh.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 records sharing the most telling words with this one (more share a few).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 records share words with this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggestions failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a digest is on this computer: double-click to read it in full from the server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a digest of this record is on this computer (another province): it was compared on its title, keywords, field, maturity, transfer modes and price; its summary was not compared and does not count against it. Open it to read it in full.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This pair already has a match record; it is open in its editor (no second one was made).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match record created (stage Recommended); it is open in its editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A match record is yours to make when its demand or its achievement belongs to an institution assigned to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The match record was not created: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchRecordEditor</name>
    <message>
        <source>Pick a demand or an achievement of an institution assigned to you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fixed once saved: for another demand or achievement, make another match record</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchableEditor</name>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchesModel</name>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recommended on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievement or expert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested by</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MatchesPage</name>
    <message>
        <source>Matching</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New match record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A match arranged by you or at an event: pick its demand and achievement or expert from the catalog</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match records are made from a suggestion on a demand&apos;s or an achievement&apos;s Matching tab, or by hand with New match record; double-click one to move it on.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Match records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 match records</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OverdueFollowUpsModel</name>
    <message>
        <source>Overdue 1 day</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue %1 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow-up item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
From the visit of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alias</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <source>&amp;Look in:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files of &amp;type:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QuitGuard</name>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 change(s) have not reached the market yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some changes may not have reached the market yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now and quit when it is done?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are offline: they stay on this computer and are sent at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync and quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing before quitting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The app quits when the sync is done.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep working</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecentVisitsModel</name>
    <message>
        <source>Visited at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Refused</name>
    <message>
        <source>%1 change(s) refused by the market: they did not reach it. Fix or dismiss them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes the market refused: they did not reach it. Click to see why.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show refused changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The market refused %1 change(s) of this sync: they did not reach it. The refused changes list says why; fix the record and sync again, or dismiss the entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Later</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RejectedChangeDialog</name>
    <message>
        <source>Change refused by the market</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the record in its editor and save: the corrected change is sent at the next sync. Then dismiss this entry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This record is no longer on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchResultsModel</name>
    <message>
        <source>Only a digest is on this computer: the full text is fetched from the server when you open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Found only by its institution or people (owner, completing units, inventors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another province</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[Digest · %1]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit and field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demanding unit and field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Owner and domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matching text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <source>unencrypted http: password and data travel in clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import spreadsheet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot open the data file</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch account…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Same as the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies when the app starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Market catalog on a first sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my data…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import spreadsheet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic (by the network&apos;s speed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Always the snapshot (fast network)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page by page (slow network, fewer bytes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export my data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Excel workbook (*.xlsx);;JSON (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported %1 records to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign-in failed (%1). Check the server address and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a server…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. https://market.example.cn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in needs the network once; afterwards the app opens without it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the server address, your user name and your password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Click Sign in again to sign in anyway.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignOutDialog</name>
    <message>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign out %1 from %2? Your data stays on this computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also erase this account&apos;s data on this computer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Erase local data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes not yet sent to the market will be lost. Erase this account&apos;s data?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Done, some changes refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No network</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Did not finish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to a server to sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Field</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open conflicts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve conflicts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Send your changes and get the market&apos;s (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refused changes (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 MB): %3 % uploaded; the next sync goes on from there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 MB): the last upload failed (%3); it is tried again at the next sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncProgress</name>
    <message>
        <source>Sending your changes: %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading attachments: %1 / %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Building the full-text search index: %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Downloading the market catalog: %1 / %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Installing the market catalog and its search index…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Market catalog installed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving the market&apos;s changes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Network unstable, retrying (%1/%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Receiving the market&apos;s changes: %1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Market catalog installed; writing it to disk (you can search already)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, about %2 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, about %2 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, about %2 h left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync done: %1 sent, %2 received, %3 conflicts, %4 rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 attachment file(s) not uploaded yet; tried again at the next sync.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel sync</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the server…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Files to upload: %1, %2 MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Times: Beijing (UTC+8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every time in the app is market time (Beijing, UTC+8), whatever this computer&apos;s time zone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved: %1 “%2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Online</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pending changes: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last sync: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Conflicts: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UpcomingVisitsModel</name>
    <message>
        <source>Planned at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitEditor</name>
    <message>
        <source>Plan a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Collected on this visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Achievements and demands collected on this visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click one to open it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New achievement…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saves the visit, then opens an achievement linked to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New demand…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saves the visit, then opens a demand linked to it</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitHistoryModel</name>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type / owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Purpose / follow-up item</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VisitsPage</name>
    <message>
        <source>Visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log a visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log the selected planned visit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned visits (next 60 days)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Planned visits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent visits</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
