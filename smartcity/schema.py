"""Numbered schema migrations. A migration is applied once, in order, in its own transaction.

Never edit a migration that has shipped: add the next number.
"""
from __future__ import annotations

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);
    INSERT INTO meta VALUES ('data_version', '0');

    CREATE SEQUENCE upload_id_seq START 1;
    CREATE TABLE uploads (
        id BIGINT PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        size_bytes BIGINT NOT NULL,
        uploaded_by VARCHAR NOT NULL,
        uploaded_at TIMESTAMP NOT NULL,
        as_of DATE NOT NULL,
        rows_loaded INTEGER NOT NULL,
        rows_rejected INTEGER NOT NULL,
        status VARCHAR NOT NULL          -- loaded | rejected
    );
    -- The bytes of every uploaded file, exactly as they came, once per content hash.
    CREATE TABLE upload_files (
        sha256 VARCHAR PRIMARY KEY,
        content BLOB NOT NULL,
        size_bytes BIGINT NOT NULL,
        first_seen TIMESTAMP NOT NULL
    );
    -- Which agencies an upload reported for (a full plan per agency: an action missing from a
    -- later upload of its agency is no longer in that agency's plan from that date).
    CREATE TABLE upload_agencies (
        upload_id BIGINT NOT NULL,
        agency_code VARCHAR NOT NULL,
        as_of DATE NOT NULL,
        PRIMARY KEY (upload_id, agency_code)
    );
    -- Every problem found in an upload: file-level (row NULL) and per rejected row; also warnings.
    CREATE TABLE upload_problems (
        upload_id BIGINT NOT NULL,
        level VARCHAR NOT NULL,          -- file | row | warning
        sheet VARCHAR,
        row_number INTEGER,
        column_name VARCHAR,
        message_key VARCHAR NOT NULL,
        params JSON,
        message_id VARCHAR NOT NULL,
        message_en VARCHAR NOT NULL
    );
    CREATE TABLE rejected_rows (
        upload_id BIGINT NOT NULL,
        sheet VARCHAR,
        row_number INTEGER,
        raw JSON NOT NULL,
        reasons_id VARCHAR NOT NULL,
        reasons_en VARCHAR NOT NULL
    );

    CREATE TABLE agencies (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        short_name VARCHAR NOT NULL,
        aliases VARCHAR[]
    );

    CREATE SEQUENCE action_id_seq START 1;
    -- An action's identity: agency + its code. Everything that changes lives in progress.
    CREATE TABLE actions (
        id BIGINT PRIMARY KEY,
        agency_code VARCHAR NOT NULL,
        action_code VARCHAR NOT NULL,
        created_upload BIGINT,
        UNIQUE (agency_code, action_code)
    );

    CREATE SEQUENCE progress_id_seq START 1;
    -- One row per action per snapshot; never updated or deleted.
    CREATE TABLE progress (
        id BIGINT PRIMARY KEY,
        action_id BIGINT NOT NULL,
        as_of DATE NOT NULL,
        upload_id BIGINT,
        source VARCHAR NOT NULL,          -- upload | edit
        recorded_at TIMESTAMP NOT NULL,
        recorded_by VARCHAR NOT NULL,
        pillar VARCHAR NOT NULL,
        dimension VARCHAR,
        program VARCHAR,
        activity VARCHAR NOT NULL,
        indicator VARCHAR,
        unit VARCHAR,
        baseline DOUBLE,
        target DOUBLE,
        actual DOUBLE,
        actual_q1 DOUBLE,
        actual_q2 DOUBLE,
        actual_q3 DOUBLE,
        actual_q4 DOUBLE,
        quarter_rule VARCHAR,
        direction VARCHAR NOT NULL DEFAULT 'higher',
        budget DOUBLE,
        budget_spent DOUBLE,
        start_date DATE,
        due_date DATE,
        reported_status VARCHAR,
        notes VARCHAR,
        owner VARCHAR,
        obstacle VARCHAR,
        follow_up VARCHAR,
        sheet VARCHAR,
        source_row INTEGER
    );
    CREATE INDEX progress_action_asof ON progress (action_id, as_of);

    CREATE TABLE kpi_values (
        kpi_id VARCHAR NOT NULL,
        scope_type VARCHAR NOT NULL,      -- all | pillar | agency
        scope_key VARCHAR NOT NULL,       -- '' for all
        as_of DATE NOT NULL,
        value DOUBLE,
        target DOUBLE,
        status VARCHAR NOT NULL,          -- green | amber | red | none
        n INTEGER NOT NULL,               -- actions the value was computed from
        computed_at TIMESTAMP NOT NULL,
        PRIMARY KEY (kpi_id, scope_type, scope_key, as_of)
    );
    """),
    (2, """
    -- Who did what, when, with the values before and after. Rows are only ever inserted.
    CREATE SEQUENCE audit_id_seq START 1;
    CREATE TABLE audit_log (
        id BIGINT PRIMARY KEY,
        changed_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL,          -- upload | progress_edit | revert | user_add | user_change | ...
        entity VARCHAR NOT NULL,          -- upload | action | user | kpi | agency_alias | decision
        entity_key VARCHAR,
        agency_code VARCHAR,
        before JSON,
        after JSON
    );
    CREATE TABLE users (
        username VARCHAR PRIMARY KEY,
        display_name VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,            -- admin | editor | viewer
        agencies VARCHAR[] NOT NULL,
        active BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        last_failed_at TIMESTAMP
    );
    -- Evidence attached to a browser update (a photo or PDF), kept by content hash.
    CREATE TABLE evidence (
        progress_id BIGINT NOT NULL,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        content BLOB NOT NULL,
        uploaded_at TIMESTAMP NOT NULL
    );
    """),
    (3, """
    -- Decisions taken in a weekly review, per agency or per action; never edited.
    CREATE SEQUENCE decision_id_seq START 1;
    CREATE TABLE decisions (
        id BIGINT PRIMARY KEY,
        review_date DATE NOT NULL,
        agency_code VARCHAR NOT NULL,
        action_id BIGINT,
        text VARCHAR NOT NULL,
        due_date DATE,
        decided_by VARCHAR NOT NULL,
        decided_at TIMESTAMP NOT NULL
    );
    -- Follow-ups of a decision: each a new row; the latest says whether it was carried out.
    CREATE TABLE decision_followups (
        decision_id BIGINT NOT NULL,
        done BOOLEAN NOT NULL,
        note VARCHAR,
        recorded_by VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL
    );
    """),
    (4, """
    -- A name an agency wrote that an admin mapped to a known agency ("Kominfo Sampit Baru" -> DISKOMINFO).
    -- Store.registry() adds these to the registry so the next upload resolves the name by itself.
    CREATE TABLE agency_aliases (
        alias_normalized VARCHAR PRIMARY KEY,   -- smartcity.agencies.normalize_name(alias_as_written)
        alias_as_written VARCHAR NOT NULL,
        agency_code VARCHAR NOT NULL,
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    );
    -- The pillar of the actions under a programme/activity code (the Renja form names no pillar);
    -- the longest prefix of an action's code (or its programme's code) wins.
    CREATE TABLE pillar_assignments (
        code_prefix VARCHAR PRIMARY KEY,
        pillar VARCHAR NOT NULL,                -- integration | collaboration | sustainability
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    );
    -- Column mappings saved for a header layout the ingester does not recognise by itself,
    -- applied to later files whose header signature matches.
    CREATE TABLE column_profiles (
        name VARCHAR PRIMARY KEY,
        header_signature VARCHAR NOT NULL,
        mapping JSON NOT NULL,                  -- {field: header text as written}
        created_by VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
    );
    """),
    (5, """
    -- What an admin changed of a KPI of kpi_definitions.yaml, in the app (smartcity.registry_admin):
    -- only fields safe to change (target, thresholds, public flag, names). `fields` holds the
    -- changed fields only ({"target": 85, "green": 90, ...}); load_kpis(store=...) lays them over the file.
    CREATE TABLE kpi_overrides (
        kpi_id VARCHAR PRIMARY KEY,
        fields JSON NOT NULL,
        changed_by VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL
    );
    -- Agencies an admin added or edited in the app. The registry file is loaded into `agencies` on
    -- every start; these rows are laid over it afterwards so an admin's change is not lost.
    CREATE TABLE agency_edits (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        short_name VARCHAR NOT NULL,
        aliases VARCHAR[] NOT NULL,
        changed_by VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL
    );
    """),
    (6, """
    -- Actions an admin marked public (smartcity.publication): the public page shows the notes
    -- (keterangan) of a completed action only when it is marked here. One row per action ever
    -- marked, holding the latest choice; the audit log keeps every change.
    CREATE TABLE action_publication (
        action_id BIGINT PRIMARY KEY,
        public BOOLEAN NOT NULL,
        changed_by VARCHAR NOT NULL,
        changed_at TIMESTAMP NOT NULL
    );
    """),
    (7, """
    -- Rupiah spent in each quarter (the Renja form's "Realisasi Triwulan I..IV Rp", a template's
    -- "Realisasi Anggaran TW I"), kept so the action detail can show the trend inside the year.
    -- budget_spent stays the year to date (their sum, when the file has no column of its own).
    ALTER TABLE progress ADD COLUMN IF NOT EXISTS budget_spent_q1 DOUBLE;
    ALTER TABLE progress ADD COLUMN IF NOT EXISTS budget_spent_q2 DOUBLE;
    ALTER TABLE progress ADD COLUMN IF NOT EXISTS budget_spent_q3 DOUBLE;
    ALTER TABLE progress ADD COLUMN IF NOT EXISTS budget_spent_q4 DOUBLE;
    """),
    (8, """
    -- The history's figures (smartcity.history.history_grid) per snapshot date, pillar and agency, kept
    -- when the KPIs are recomputed, so that the history of every date is read, not computed (issue 7).
    -- Derived data, like kpi_values: a date's rows are replaced as a whole.
    CREATE TABLE history_figures (
        as_of DATE NOT NULL,
        pillar VARCHAR NOT NULL,
        agency_code VARCHAR NOT NULL,
        actions INTEGER NOT NULL,
        achievement_sum DOUBLE,
        achievement_n INTEGER NOT NULL,
        budget DOUBLE,
        budget_spent DOUBLE,
        not_started INTEGER NOT NULL,
        on_track INTEGER NOT NULL,
        at_risk INTEGER NOT NULL,
        late INTEGER NOT NULL,
        done INTEGER NOT NULL
    );
    -- The dates whose figures history_figures holds (a date may have none: no action on it), with the
    -- status gaps they were judged by (settings at_risk_gap and late_gap: other gaps, other statuses).
    CREATE TABLE history_dates (
        as_of DATE PRIMARY KEY,
        at_risk_gap DOUBLE NOT NULL,
        late_gap DOUBLE NOT NULL,
        computed_at TIMESTAMP NOT NULL
    );
    """),
    (9, """
    -- Three indexes that cost every upload and served no query (issue 7): DuckDB keeps an index up to
    -- date on each insert and merges it at commit, and finds `action_id = ?` with its zone maps, not
    -- through progress_action_asof (EXPLAIN: Seq Scan); nothing looks a snapshot up by its id. Measured
    -- on a 100,000-row upload: the UNIQUE (agency_code, action_code) of actions ~0.08 s, the primary key
    -- of progress ~0.03 s. What they guarded holds by construction: an action is created only by
    -- smartcity.pipeline._insert_actions (each new key once, under the store's write lock), a snapshot's
    -- id comes from progress_id_seq, and an upload that would write other than one snapshot per row of
    -- its file (say, for an action held twice) is refused whole.
    DROP INDEX IF EXISTS progress_action_asof;
    CREATE TABLE actions_by_id (
        id BIGINT PRIMARY KEY,
        agency_code VARCHAR NOT NULL,
        action_code VARCHAR NOT NULL,
        created_upload BIGINT
    );
    INSERT INTO actions_by_id SELECT id, agency_code, action_code, created_upload FROM actions;
    DROP TABLE actions;
    ALTER TABLE actions_by_id RENAME TO actions;
    CREATE TABLE progress_by_id (
        id BIGINT NOT NULL,
        action_id BIGINT NOT NULL,
        as_of DATE NOT NULL,
        upload_id BIGINT,
        source VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL,
        recorded_by VARCHAR NOT NULL,
        pillar VARCHAR NOT NULL,
        dimension VARCHAR,
        program VARCHAR,
        activity VARCHAR NOT NULL,
        indicator VARCHAR,
        unit VARCHAR,
        baseline DOUBLE,
        target DOUBLE,
        actual DOUBLE,
        actual_q1 DOUBLE,
        actual_q2 DOUBLE,
        actual_q3 DOUBLE,
        actual_q4 DOUBLE,
        quarter_rule VARCHAR,
        direction VARCHAR NOT NULL DEFAULT 'higher',
        budget DOUBLE,
        budget_spent DOUBLE,
        start_date DATE,
        due_date DATE,
        reported_status VARCHAR,
        notes VARCHAR,
        owner VARCHAR,
        obstacle VARCHAR,
        follow_up VARCHAR,
        sheet VARCHAR,
        source_row INTEGER,
        budget_spent_q1 DOUBLE,
        budget_spent_q2 DOUBLE,
        budget_spent_q3 DOUBLE,
        budget_spent_q4 DOUBLE
    );
    INSERT INTO progress_by_id SELECT * FROM progress;
    DROP TABLE progress;
    ALTER TABLE progress_by_id RENAME TO progress;
    """),
]
