/// The database layout and its forward migrations.
///
/// `PRAGMA application_id` marks a decoy database ('DCOY'); `PRAGMA user_version` holds the
/// schema version. Migration k (1-based) takes a database from version k−1 to k in one
/// transaction. A database with a newer version than ``Schema/current`` is refused.
enum Schema {
    /// 'DCOY' as a big-endian 32-bit integer.
    static let applicationID: Int64 = 0x4443_4F59

    static var current: Int { migrations.count }

    static let migrations: [String] = [
        // 1: runs, arms, channels, postings, contacts.
        """
        CREATE TABLE runs (
            run_id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name            TEXT NOT NULL,
            source          TEXT NOT NULL CHECK (source IN ('simulated', 'observed')),
            status          TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted', 'failed')),
            config_path     TEXT,
            config_text     TEXT NOT NULL,
            resolved_config TEXT NOT NULL,
            config_sha256   TEXT NOT NULL,
            seed            TEXT NOT NULL,
            replicates      INTEGER NOT NULL,
            start_us        INTEGER NOT NULL,
            horizon_us      INTEGER NOT NULL,
            grid_us         INTEGER NOT NULL,
            tool_version    TEXT NOT NULL,
            swift_version   TEXT NOT NULL,
            os              TEXT NOT NULL,
            host            TEXT NOT NULL,
            pid             INTEGER NOT NULL,
            overrides       TEXT NOT NULL DEFAULT '[]',
            started_at      TEXT NOT NULL,
            finished_at     TEXT,
            wall_seconds    REAL,
            postings        INTEGER NOT NULL DEFAULT 0,
            contacts        INTEGER NOT NULL DEFAULT 0,
            digest          TEXT,
            message         TEXT
        );
        CREATE TABLE arms (
            run_id          INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
            arm_id          INTEGER NOT NULL,
            name            TEXT NOT NULL,
            postings        INTEGER NOT NULL,
            population      TEXT NOT NULL,
            population_size INTEGER,
            attributes      TEXT NOT NULL,
            PRIMARY KEY (run_id, arm_id),
            UNIQUE (run_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE channels (
            run_id          INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
            channel_id      INTEGER NOT NULL,
            name            TEXT NOT NULL,
            PRIMARY KEY (run_id, channel_id),
            UNIQUE (run_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE postings (
            run_id          INTEGER NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
            posting_id      INTEGER NOT NULL,
            replicate       INTEGER NOT NULL,
            arm_id          INTEGER NOT NULL,
            idx             INTEGER NOT NULL,
            posted_at_us    INTEGER NOT NULL,
            window_us       INTEGER NOT NULL,
            removed         INTEGER NOT NULL,
            PRIMARY KEY (run_id, posting_id)
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX postings_by_arm ON postings (run_id, arm_id, replicate, idx);
        CREATE TABLE contacts (
            run_id          INTEGER NOT NULL,
            posting_id      INTEGER NOT NULL,
            seq             INTEGER NOT NULL,
            t_us            INTEGER NOT NULL,
            channel_id      INTEGER NOT NULL,
            contactor       INTEGER,
            PRIMARY KEY (run_id, posting_id, seq)
        ) WITHOUT ROWID;
        """,
        // 2: runs belong to sweeps, tagged with their grid point.
        """
        ALTER TABLE runs ADD COLUMN sweep TEXT;
        ALTER TABLE runs ADD COLUMN sweep_point TEXT;
        CREATE INDEX runs_by_sweep ON runs (sweep, sweep_point);
        """,
        // 3: observed field data: postings named by the team, pseudonymous contactors.
        """
        ALTER TABLE postings ADD COLUMN label TEXT;
        CREATE TABLE contactors (
            run_id          INTEGER NOT NULL,
            contactor_id    INTEGER NOT NULL,
            pseudonym       TEXT NOT NULL,
            PRIMARY KEY (run_id, contactor_id),
            UNIQUE (run_id, pseudonym)
        ) WITHOUT ROWID;
        """,
        // 4: the writer's process identity survives pid reuse: boot id and process start time.
        """
        ALTER TABLE runs ADD COLUMN process_start TEXT;
        """,
        // 5: sharded runs: the K-th of N slices of the canonical posting order, postings
        // [shard_first, shard_end); and a run merged from N shards.
        """
        ALTER TABLE runs ADD COLUMN shard_index INTEGER;
        ALTER TABLE runs ADD COLUMN shard_count INTEGER;
        ALTER TABLE runs ADD COLUMN shard_first INTEGER;
        ALTER TABLE runs ADD COLUMN shard_end INTEGER;
        ALTER TABLE runs ADD COLUMN merged_shards INTEGER;
        """,
        // 6: contacts numbered by one increasing id across runs, without their run, posting or
        // seq; each posting holds the id range of its contacts, [first_contact, first_contact +
        // contact_count), in seq order. Rows are smaller and appended at the table's end.
        // Existing contacts are renumbered in (run, posting, seq) order; a contact whose posting
        // is missing had no reader and is not carried over. The view `posting_contacts` shows the
        // contacts with their run, posting and seq, for reading the file with other tools.
        """
        ALTER TABLE contacts RENAME TO contacts_v5;
        CREATE TABLE contacts (
            contact_id      INTEGER PRIMARY KEY,
            t_us            INTEGER NOT NULL,
            channel_id      INTEGER NOT NULL,
            contactor       INTEGER
        );
        ALTER TABLE postings ADD COLUMN first_contact INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE postings ADD COLUMN contact_count INTEGER NOT NULL DEFAULT 0;
        INSERT INTO contacts (contact_id, t_us, channel_id, contactor)
            SELECT row_number() OVER (ORDER BY c.run_id, c.posting_id, c.seq), c.t_us, c.channel_id, c.contactor
            FROM contacts_v5 AS c JOIN postings AS p ON p.run_id = c.run_id AND p.posting_id = c.posting_id
            ORDER BY c.run_id, c.posting_id, c.seq;
        UPDATE postings SET contact_count =
            (SELECT count(*) FROM contacts_v5 AS c WHERE c.run_id = postings.run_id AND c.posting_id = postings.posting_id);
        UPDATE postings SET first_contact = ranges.first
            FROM (SELECT run_id, posting_id,
                         1 + coalesce(sum(contact_count) OVER (ORDER BY run_id, posting_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS first
                  FROM postings) AS ranges
            WHERE ranges.run_id = postings.run_id AND ranges.posting_id = postings.posting_id;
        DROP TABLE contacts_v5;
        CREATE VIEW posting_contacts AS
            SELECT p.run_id, p.posting_id, c.contact_id - p.first_contact AS seq, c.t_us, c.channel_id, c.contactor, c.contact_id
            FROM postings AS p JOIN contacts AS c ON c.contact_id >= p.first_contact AND c.contact_id < p.first_contact + p.contact_count;
        """,
        // 7: an observed posting's own attributes (the postings file's `attr_<name>` columns), a
        // JSON object of texts; NULL where it has none.
        """
        ALTER TABLE postings ADD COLUMN attributes TEXT;
        """,
        // 8: a sweep's grid (its axes, JSON), so that a merge of its shard files knows every point.
        """
        CREATE TABLE sweeps (
            sweep           TEXT PRIMARY KEY,
            grid            TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
        // 9: how an observed run's contact identifiers became contactors, so that a later import or
        // record treats them the same way: `key:` and the fingerprint of the pseudonym key
        // (HMAC-SHA-256 of a fixed text under the key, in hex; never the key), or `dropped`. NULL
        // while no identifier was pseudonymised or dropped, and for runs stored before version 9.
        """
        ALTER TABLE runs ADD COLUMN contact_identifiers TEXT
            CHECK (contact_identifiers IS NULL OR contact_identifiers = 'dropped'
                   OR (contact_identifiers GLOB 'key:*' AND length(contact_identifiers) = 68));
        """,
    ]
}
