package io.pgwalstream.flink.table;

import io.pgwalstream.changes.AssemblerSettings;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.LogicalStreamSpec;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.SessionSettings;
import io.pgwalstream.snapshot.SnapshotSettings;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.time.Duration;
import java.util.List;

/**
 * The options of the {@code pg-walstream} table connector. Where the concept is the same, keys
 * follow Flink CDC's {@code postgres-cdc} connector, so a table can switch by changing {@code
 * connector}. The conversion options ({@code types.*}) are in {@link
 * io.pgwalstream.flink.rowdata.PgConversionOptions}. {@code docs/sql.md} lists them all; a test
 * keeps that table in step with these definitions.
 */
@PublicEvolving
public final class PgWalStreamOptions {

    private PgWalStreamOptions() {}

    /** pgjdbc connection properties: {@code properties.sslmode}, {@code properties.sslrootcert}… */
    public static final String PROPERTIES_PREFIX = "properties.";

    // --- Connection ---------------------------------------------------------------------------

    public static final ConfigOption<String> HOSTNAME =
            ConfigOptions.key("hostname")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Host name or IP address of the PostgreSQL server; several,"
                                    + " separated by commas, are tried in order, all on 'port'.");

    public static final ConfigOption<Integer> PORT =
            ConfigOptions.key("port")
                    .intType()
                    .defaultValue(PgConnectionConfig.DEFAULT_PORT)
                    .withDescription("Port of the PostgreSQL server.");

    public static final ConfigOption<String> USERNAME =
            ConfigOptions.key("username")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Role to connect as; needs REPLICATION (or superuser) and access to"
                                    + " the tables.");

    public static final ConfigOption<String> PASSWORD =
            ConfigOptions.key("password")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Password of the role. Optional: without it pgjdbc reads a .pgpass"
                                    + " file, which keeps the password out of the DDL.");

    public static final ConfigOption<String> DATABASE_NAME =
            ConfigOptions.key("database-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Database holding the tables; the name is passed to pgjdbc as a"
                                    + " property and taken literally.");

    // --- Tables -------------------------------------------------------------------------------

    public static final ConfigOption<String> SCHEMA_NAME =
            ConfigOptions.key("schema-name")
                    .stringType()
                    .defaultValue("public")
                    .withDescription("Java regular expression matched against whole schema names.");

    public static final ConfigOption<String> TABLE_NAME =
            ConfigOptions.key("table-name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Java regular expression matched against whole table names; several"
                                    + " matching tables feed one Flink table when their declared"
                                    + " columns agree.");

    // --- Slots and publications ---------------------------------------------------------------

    public static final ConfigOption<String> SLOT_NAME =
            ConfigOptions.key("slot.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Logical replication slot (with slot.shards > 1: the prefix of the"
                                    + " slots <slot.name>_0 … _<n-1>).");

    public static final ConfigOption<Boolean> SLOT_AUTO_CREATE =
            ConfigOptions.key("slot.auto-create")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Create missing slots (pgoutput). A slot keeps WAL until it is"
                                    + " dropped: drop it when the table is no longer read.");

    public static final ConfigOption<Boolean> SLOT_FAILOVER =
            ConfigOptions.key("slot.failover")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Make the slots failover slots (PostgreSQL 17+): standbys with"
                                    + " sync_replication_slots keep copies, and after a promotion"
                                    + " the job goes on from the promoted standby (list both in"
                                    + " hostname, with properties.targetServerType = primary).");

    public static final ConfigOption<Integer> SLOT_SHARDS =
            ConfigOptions.key("slot.shards")
                    .intType()
                    .defaultValue(1)
                    .withDescription(
                            "Spread the matched tables over this many slot groups (slot and"
                                    + " publication each), decoded and read in parallel."
                                    + " Transactions are atomic within a group only.");

    public static final ConfigOption<String> PUBLICATION_NAME =
            ConfigOptions.key("publication.name")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Publication of the tables; by default the value of slot.name"
                                    + " (with slot.shards > 1: the prefix of <name>_0 … _<n-1>).");

    public static final ConfigOption<Boolean> PUBLICATION_AUTO_CREATE =
            ConfigOptions.key("publication.auto-create")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Create a missing publication, or add missing tables to it. Needs"
                                    + " CREATE on the database and ownership of the tables.");

    // --- Start, stop, changelog ---------------------------------------------------------------

    public static final ConfigOption<ScanStartupMode> SCAN_STARTUP_MODE =
            ConfigOptions.key("scan.startup.mode")
                    .enumType(ScanStartupMode.class)
                    .defaultValue(ScanStartupMode.INITIAL)
                    .withDescription(
                            "Where a job without state starts: initial (the default: the rows"
                                    + " the tables hold, then the changes after them), snapshot"
                                    + " (only the rows; the job ends), committed-offset (the slot's"
                                    + " confirmed position), latest-offset or specific-lsn.");

    public static final ConfigOption<Integer> SCAN_SNAPSHOT_CHUNK_SIZE =
            ConfigOptions.key("scan.incremental.snapshot.chunk.size")
                    .intType()
                    .defaultValue(SnapshotSettings.DEFAULT_CHUNK_ROWS)
                    .withDescription(
                            "Rows per chunk of the initial snapshot (about): chunks are read in"
                                    + " parallel by every reader, each held in memory while it is"
                                    + " emitted.");

    public static final ConfigOption<String> SCAN_SNAPSHOT_CHUNK_KEY_COLUMN =
            ConfigOptions.key("scan.incremental.snapshot.chunk.key-column")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "The column chunks are key ranges of: a NOT NULL column of the primary"
                                    + " key or replica identity index, led by a B-tree index."
                                    + " Default: the first primary key column; tables without a"
                                    + " key are read in block ranges.");

    public static final ConfigOption<Integer> SCAN_SNAPSHOT_FETCH_SIZE =
            ConfigOptions.key("scan.snapshot.fetch.size")
                    .intType()
                    .defaultValue(1024)
                    .withDescription(
                            "Accepted for postgres-cdc compatibility, without effect: a chunk is"
                                    + " read with one COPY that streams its rows, so there is no"
                                    + " fetch to size. Bound a chunk's memory with"
                                    + " scan.snapshot.chunk.max-bytes.");

    public static final ConfigOption<MemorySize> SCAN_SNAPSHOT_CHUNK_MAX_BYTES =
            ConfigOptions.key("scan.snapshot.chunk.max-bytes")
                    .memoryType()
                    .defaultValue(new MemorySize(SnapshotSettings.DEFAULT_CHUNK_BYTES))
                    .withDescription(
                            "About how many bytes a snapshot chunk may hold: tables of wide rows"
                                    + " get fewer rows per chunk than"
                                    + " scan.incremental.snapshot.chunk.size, from the average"
                                    + " width of a sample of their rows.");

    public static final ConfigOption<Boolean> SCAN_SNAPSHOT_TABLE_METRICS =
            ConfigOptions.key("scan.snapshot.table-metrics")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "Report the snapshot's progress per table too (four gauges per"
                                    + " table); turn it off for hundreds of tables, the totals"
                                    + " remain.");

    public static final ConfigOption<Integer> SCAN_SNAPSHOT_READERS =
            ConfigOptions.key("scan.snapshot.readers")
                    .intType()
                    .defaultValue(0)
                    .withDescription(
                            "How many readers (subtasks 0 to n-1) read snapshot chunks; 0 = every"
                                    + " reader. Fewer spare the server while the job runs at a"
                                    + " higher parallelism.");

    public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_LSN =
            ConfigOptions.key("scan.startup.specific-lsn")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Start LSN for scan.startup.mode = specific-lsn, e.g. 0/16B3748; never"
                                    + " before the slot's confirmed position.");

    public static final ConfigOption<ScanBoundedMode> SCAN_BOUNDED_MODE =
            ConfigOptions.key("scan.bounded.mode")
                    .enumType(ScanBoundedMode.class)
                    .defaultValue(ScanBoundedMode.UNBOUNDED)
                    .withDescription(
                            "unbounded, latest-offset (stop at the WAL position when the job"
                                    + " starts) or specific-lsn (scan.bounded.specific-lsn).");

    public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_LSN =
            ConfigOptions.key("scan.bounded.specific-lsn")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Stop at the first transaction committing at or after this LSN.");

    public static final ConfigOption<StreamKind> STREAM =
            ConfigOptions.key("stream")
                    .enumType(StreamKind.class)
                    .defaultValue(StreamKind.CHANGES)
                    .withDescription(
                            "changes: the rows of the tables table-name matches; messages: the"
                                    + " logical decoding messages of the slot (prefix, content,"
                                    + " transactional, lsn, xid, commit_time), insert-only.");

    public static final ConfigOption<List<String>> MESSAGES_PREFIX =
            ConfigOptions.key("messages.prefix")
                    .stringType()
                    .asList()
                    .noDefaultValue()
                    .withDescription(
                            "stream = messages: keep only messages whose prefix is one of these"
                                    + " (separated by ';'); unset: every prefix.");

    public static final ConfigOption<ChangelogModeChoice> CHANGELOG_MODE =
            ConfigOptions.key("changelog-mode")
                    .enumType(ChangelogModeChoice.class)
                    .defaultValue(ChangelogModeChoice.AUTO)
                    .withDescription(
                            "auto (from REPLICA IDENTITY), all (+I/-U/+U/-D, needs REPLICA"
                                    + " IDENTITY FULL) or upsert (+I/+U/-D on the PRIMARY KEY).");

    public static final ConfigOption<Boolean> SCAN_ACCEPT_RESTORE_GAP =
            ConfigOptions.key("scan.restore.accept-gap")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Resume from a checkpoint older than the slot's confirmed position"
                                    + " (the changes in between are lost; logged) instead of"
                                    + " failing.");

    // --- pgoutput decoding --------------------------------------------------------------------

    public static final ConfigOption<Integer> DECODING_PROTOCOL_VERSION =
            ConfigOptions.key("decoding.protocol-version")
                    .intType()
                    .defaultValue(0)
                    .withDescription("pgoutput protocol version 1-4; 0 = the server's highest.");

    public static final ConfigOption<Boolean> DECODING_BINARY =
            ConfigOptions.key("decoding.binary")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Ask pgoutput for binary column values (less parsing; every type's"
                                    + " binary form must be known).");

    public static final ConfigOption<StreamingMode> DECODING_STREAMING =
            ConfigOptions.key("decoding.streaming")
                    .enumType(StreamingMode.class)
                    .defaultValue(StreamingMode.OFF)
                    .withDescription(
                            "Stream large in-progress transactions: off, on (PostgreSQL 14+) or"
                                    + " parallel (16+). Rows are still emitted at commit.");

    public static final ConfigOption<Boolean> DECODING_TWO_PHASE =
            ConfigOptions.key("decoding.two-phase")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Decode prepared transactions at PREPARE (PostgreSQL 15+); rows are"
                                    + " emitted at COMMIT PREPARED.");

    public static final ConfigOption<Boolean> DECODING_MESSAGES =
            ConfigOptions.key("decoding.messages")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription(
                            "Receive logical decoding messages; a table has no rows for them, so"
                                    + " they are counted and dropped.");

    public static final ConfigOption<String> DECODING_ORIGIN =
            ConfigOptions.key("decoding.origin")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "none: drop changes that carry a replication origin (PostgreSQL 16+);"
                                    + " any: keep them. Unset: the server's default (any).");

    // --- Session ------------------------------------------------------------------------------

    public static final ConfigOption<Duration> STATUS_INTERVAL =
            ConfigOptions.key("replication.status-interval")
                    .durationType()
                    .defaultValue(LogicalStreamSpec.DEFAULT_STATUS_INTERVAL)
                    .withDescription(
                            "How often a standby status update is sent; keep it well below the"
                                    + " server's wal_sender_timeout.");

    public static final ConfigOption<Duration> RECEIVE_LINGER =
            ConfigOptions.key("replication.receive-linger")
                    .durationType()
                    .defaultValue(SessionSettings.DEFAULT.receiveLinger())
                    .withDescription(
                            "After a socket read that found only a trickle (under 2 KB), wait"
                                    + " this long before reading again: many small transactions"
                                    + " cost far fewer reads and wake-ups, for at most this much"
                                    + " added latency. 0 reads again at once.");

    public static final ConfigOption<Duration> RECEIVE_TIMEOUT =
            ConfigOptions.key("replication.receive-timeout")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "A replication connection that brings nothing for this long is presumed"
                                    + " dead and replaced (halfway, the server is asked for a"
                                    + " reply, so an idle stream stays up). 0: the server's"
                                    + " wal_sender_timeout, or 60 s when that is off.");

    public static final ConfigOption<Duration> RECONNECT_INITIAL_BACKOFF =
            ConfigOptions.key("replication.reconnect.initial-backoff")
                    .durationType()
                    .defaultValue(ReconnectPolicy.DEFAULT.initialBackoff())
                    .withDescription("First delay before reconnecting after a transient failure.");

    public static final ConfigOption<Duration> RECONNECT_MAX_BACKOFF =
            ConfigOptions.key("replication.reconnect.max-backoff")
                    .durationType()
                    .defaultValue(ReconnectPolicy.DEFAULT.maxBackoff())
                    .withDescription("Longest delay between reconnect attempts.");

    public static final ConfigOption<Integer> RECONNECT_MAX_ATTEMPTS =
            ConfigOptions.key("replication.reconnect.max-attempts")
                    .intType()
                    .defaultValue(ReconnectPolicy.DEFAULT.maxAttempts())
                    .withDescription(
                            "Reconnect attempts before the failure is handed to Flink's restart"
                                    + " strategy; 0 = none.");

    public static final ConfigOption<Duration> RECONNECT_MAX_TOTAL_TIME =
            ConfigOptions.key("replication.reconnect.max-total-time")
                    .durationType()
                    .defaultValue(ReconnectPolicy.DEFAULT.maxTotalTime())
                    .withDescription("Longest time spent reconnecting after one failure.");

    public static final ConfigOption<MemorySize> TRANSACTION_BUFFER_MEMORY =
            ConfigOptions.key("transaction-buffer.memory")
                    .memoryType()
                    .defaultValue(new MemorySize(AssemblerSettings.DEFAULT_MEMORY_LIMIT_BYTES))
                    .withDescription(
                            "Memory for streamed and prepared transactions held until commit;"
                                    + " beyond it they spill to disk.");

    public static final ConfigOption<String> TRANSACTION_BUFFER_SPILL_DIR =
            ConfigOptions.key("transaction-buffer.spill-dir")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Directory for spilled transactions (their row contents); default"
                                    + " java.io.tmpdir. Each reader spills into an owner-only"
                                    + " subdirectory pgwalstream-spill-*, locked while in use; a"
                                    + " starting reader deletes those a killed TaskManager left"
                                    + " behind.");
}
