-- Schema v1 of the local store, frozen: never edit (later versions are migrations in migrations.py).

CREATE TABLE achievement (
	id VARCHAR(36) NOT NULL,
	reg_no TEXT,
	title TEXT,
	institution_id VARCHAR(36),
	completing_units JSON,
	inventors JSON,
	keywords JSON,
	category VARCHAR(32),
	attribute VARCHAR(32),
	stage VARCHAR(32),
	trl INTEGER,
	domain TEXT,
	industry TEXT,
	strategic_industry TEXT,
	summary TEXT,
	indicators TEXT,
	advantages TEXT,
	transfer_modes JSON,
	price_mode VARCHAR(32),
	price FLOAT,
	contact_name TEXT,
	contact_phone TEXT,
	contact_email TEXT,
	confidential_fields JSON,
	review_status VARCHAR(32),
	source_visit_id VARCHAR(36),
	collected_by TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_achievement_institution_id ON achievement (institution_id);

CREATE INDEX ix_achievement_source_visit_id ON achievement (source_visit_id);

CREATE TABLE assigned_institution (
	institution_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (institution_id)
);

CREATE TABLE attachment (
	id VARCHAR(36) NOT NULL,
	owner_entity VARCHAR(32),
	owner_id VARCHAR(36),
	filename TEXT,
	mime_type TEXT,
	size INTEGER,
	sha256 TEXT,
	caption TEXT,
	taken_at VARCHAR(20),
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_attachment_owner_id ON attachment (owner_id);

CREATE TABLE "conflict" (
	id VARCHAR(36) NOT NULL,
	entity VARCHAR(32) NOT NULL,
	row_id VARCHAR(36) NOT NULL,
	field VARCHAR(64) NOT NULL,
	base JSON,
	theirs JSON,
	mine JSON,
	theirs_by VARCHAR(64),
	theirs_at VARCHAR(20),
	created_at VARCHAR(20) NOT NULL,
	resolved_at VARCHAR(20),
	PRIMARY KEY (id)
);

CREATE TABLE contact (
	id VARCHAR(36) NOT NULL,
	institution_id VARCHAR(36),
	name TEXT,
	position TEXT,
	phone TEXT,
	email TEXT,
	notes TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_contact_institution_id ON contact (institution_id);

CREATE TABLE demand (
	id VARCHAR(36) NOT NULL,
	title TEXT,
	institution_id VARCHAR(36),
	demand_type VARCHAR(32),
	problem TEXT,
	key_tech TEXT,
	indicators TEXT,
	goal TEXT,
	keywords JSON,
	industry TEXT,
	budget FLOAT,
	coop_modes JSON,
	intended_partner TEXT,
	valid_until VARCHAR(10),
	confidentiality VARCHAR(32),
	contact_name TEXT,
	contact_phone TEXT,
	contact_email TEXT,
	confidential_fields JSON,
	status VARCHAR(32),
	source_visit_id VARCHAR(36),
	collected_by TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_demand_institution_id ON demand (institution_id);

CREATE INDEX ix_demand_source_visit_id ON demand (source_visit_id);

CREATE TABLE expert (
	id VARCHAR(36) NOT NULL,
	name TEXT,
	title TEXT,
	unit TEXT,
	discipline TEXT,
	specialties TEXT,
	industry TEXT,
	phone TEXT,
	email TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE TABLE follow_up (
	id VARCHAR(36) NOT NULL,
	visit_id VARCHAR(36),
	action TEXT,
	owner TEXT,
	due_date VARCHAR(10),
	done BOOLEAN,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_follow_up_visit_id ON follow_up (visit_id);

CREATE TABLE institution (
	id VARCHAR(36) NOT NULL,
	name TEXT,
	credit_code TEXT,
	org_type VARCHAR(32),
	region_code TEXT,
	address TEXT,
	website TEXT,
	profile TEXT,
	key_technologies TEXT,
	status VARCHAR(32),
	proposed_by TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE TABLE ip_item (
	id VARCHAR(36) NOT NULL,
	achievement_id VARCHAR(36),
	kind VARCHAR(32),
	number TEXT,
	title TEXT,
	status VARCHAR(32),
	filed_on VARCHAR(10),
	granted_on VARCHAR(10),
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_ip_item_achievement_id ON ip_item (achievement_id);

CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL,
	value TEXT,
	PRIMARY KEY ("key")
);

CREATE TABLE outbox (
	seq INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
	entity VARCHAR(32) NOT NULL,
	row_id VARCHAR(36) NOT NULL,
	op VARCHAR(8) NOT NULL,
	fields JSON NOT NULL,
	base JSON NOT NULL,
	base_version INTEGER,
	resolves VARCHAR(36),
	created_at VARCHAR(20) NOT NULL,
	sent_at VARCHAR(20)
);

CREATE INDEX ix_outbox_row ON outbox (entity, row_id);

CREATE TABLE rejection (
	seq INTEGER NOT NULL,
	entity VARCHAR(32) NOT NULL,
	row_id VARCHAR(36) NOT NULL,
	op VARCHAR(8) NOT NULL,
	fields JSON NOT NULL,
	reason VARCHAR(32) NOT NULL,
	problems JSON,
	message TEXT,
	created_at VARCHAR(20) NOT NULL,
	dismissed_at VARCHAR(20),
	PRIMARY KEY (seq)
);

CREATE TABLE sync_cursor (
	bucket VARCHAR(64) NOT NULL,
	cursor INTEGER NOT NULL,
	PRIMARY KEY (bucket)
);

CREATE TABLE visit (
	id VARCHAR(36) NOT NULL,
	institution_id VARCHAR(36),
	specialists JSON,
	status VARCHAR(32),
	planned_at VARCHAR(20),
	visited_at VARCHAR(20),
	visit_type VARCHAR(32),
	people_met JSON,
	contacts_met JSON,
	purpose TEXT,
	notes TEXT,
	next_visit_at VARCHAR(20),
	location TEXT,
	server_version INTEGER,
	base_version INTEGER,
	updated_at VARCHAR(20) NOT NULL,
	deleted BOOLEAN NOT NULL,
	masked JSON,
	PRIMARY KEY (id)
);

CREATE INDEX ix_visit_institution_id ON visit (institution_id);

INSERT INTO meta (key, value) VALUES ('schema_version', '1');
