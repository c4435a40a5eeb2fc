package io.pgwalstream.flink.source;

import io.pgwalstream.changes.AssemblerSettings;
import io.pgwalstream.flink.source.split.SlotGroup;
import io.pgwalstream.flink.source.split.SlotGroupSharding;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.LogicalStreamSpec;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.SessionSettings;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.snapshot.SnapshotSettings;

import org.apache.flink.annotation.PublicEvolving;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link PgWalStreamSource}. Only the connection, the slot groups and a deserializer are
 * required; everything else has a default that suits a production job.
 *
 * <pre>{@code
 * PgWalStreamSource<RowData> source =
 *         PgWalStreamSource.<RowData>builder()
 *                 .connection(PgConnectionConfig.of("db.example", 5432, "shop", "cdc")
 *                         .withPassword(password))
 *                 .slotGroup("orders_slot", "orders_pub",
 *                         List.of(TableName.of("public", "orders")))
 *                 .createPublications(true)
 *                 .createSlots(true)
 *                 .startWithSnapshot()              // existing rows first, then the changes
 *                 .deserializer(myDeserializer)
 *                 .build();
 * env.enableCheckpointing(10_000);                   // positions are confirmed on checkpoints
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "postgres");
 * }</pre>
 *
 * <p>Settings that contradict each other (two startup modes, two stop positions, a stop position
 * with {@link #snapshotOnly()}) are refused with an {@link IllegalArgumentException} naming both.
 */
@PublicEvolving
public final class PgWalStreamSourceBuilder<T> {

    private PgConnectionConfig connection;
    private final List<SlotGroup> groups = new ArrayList<>();
    private boolean createPublications;
    private boolean createSlots;
    private int protoVersion;
    private StreamingMode streaming = StreamingMode.OFF;
    private boolean binary;
    private boolean messages;
    private boolean twoPhase;
    private boolean failoverSlots;
    private String origin;
    private StartupMode startupMode = StartupMode.COMMITTED;
    private String startupCall;
    private String stopCall;
    private Lsn startLsn = Lsn.INVALID;
    private Lsn stopLsn = Lsn.INVALID;
    private boolean stopAtCurrentLsn;
    private Duration statusInterval = LogicalStreamSpec.DEFAULT_STATUS_INTERVAL;
    private ReconnectPolicy reconnectPolicy = ReconnectPolicy.DEFAULT;
    private SessionSettings session = SessionSettings.DEFAULT;
    private long assemblerMemoryBytes = AssemblerSettings.DEFAULT_MEMORY_LIMIT_BYTES;
    private String spillDirectory;
    private boolean acceptRestoreGap;
    private Duration serverPollInterval = DEFAULT_SERVER_POLL_INTERVAL;
    private String discoverySlotPrefix;
    private Duration discoveryInterval;
    private SnapshotSettings snapshot = SnapshotSettings.DEFAULT;
    private ChangeEventDeserializer<T> deserializer;

    /** How often a reader asks the server for WAL positions by default: cheap, but not free. */
    public static final Duration DEFAULT_SERVER_POLL_INTERVAL = Duration.ofSeconds(10);

    PgWalStreamSourceBuilder() {}

    /** The server, database and role to read from (required). */
    public PgWalStreamSourceBuilder<T> connection(PgConnectionConfig value) {
        this.connection = value;
        return this;
    }

    /** Adds a slot group: a slot, its publication and the tables it publishes. */
    public PgWalStreamSourceBuilder<T> slotGroup(
            String slotName, String publication, List<TableName> tables) {
        groups.add(new SlotGroup(slotName, publication, tables));
        return this;
    }

    /** Spreads {@code tables} over {@code shards} groups named {@code <prefix>_<i>}. */
    public PgWalStreamSourceBuilder<T> shardedTables(
            List<TableName> tables, int shards, String slotPrefix, String publicationPrefix) {
        groups.addAll(SlotGroupSharding.shard(tables, shards, slotPrefix, publicationPrefix));
        return this;
    }

    /**
     * Also reads every pgoutput slot of the database whose name starts with {@code slotPrefix},
     * each as a slot group streaming the publication of the same name (create the publication
     * first). Slots are looked for when the job starts and then every {@code interval}; a bounded
     * job reads only those found at the start. A slot without its publication is picked up once the
     * publication exists.
     */
    public PgWalStreamSourceBuilder<T> discoverSlotGroups(String slotPrefix, Duration interval) {
        if (slotPrefix == null || slotPrefix.isEmpty()) {
            throw new IllegalArgumentException("The slot prefix to discover groups by is empty");
        }
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException(
                    "The discovery interval must be positive, got " + interval);
        }
        this.discoverySlotPrefix = slotPrefix;
        this.discoveryInterval = interval;
        return this;
    }

    /**
     * Create missing publications and add missing tables to them (default false: a missing
     * publication fails the job at start with the {@code CREATE PUBLICATION} that fixes it).
     */
    public PgWalStreamSourceBuilder<T> createPublications(boolean value) {
        this.createPublications = value;
        return this;
    }

    /**
     * Create missing replication slots (default false). A slot keeps WAL on the server until it is
     * dropped: drop it when the job is retired.
     */
    public PgWalStreamSourceBuilder<T> createSlots(boolean value) {
        this.createSlots = value;
        return this;
    }

    /**
     * pgoutput protocol version 1-4; 0 (the default) takes the server's highest (PostgreSQL 14: 2,
     * 15: 3, 16+: 4).
     */
    public PgWalStreamSourceBuilder<T> protoVersion(int value) {
        this.protoVersion = value;
        return this;
    }

    /**
     * Whether the server may send a large transaction while it is still running ({@link
     * StreamingMode#ON}, protocol 2+; {@link StreamingMode#PARALLEL}, protocol 4) instead of
     * spilling it to disk until it commits (default {@link StreamingMode#OFF}). The source still
     * emits a transaction only once it has committed, buffering it (see {@link
     * #transactionBuffer}).
     */
    public PgWalStreamSourceBuilder<T> streaming(StreamingMode value) {
        this.streaming = Objects.requireNonNull(value);
        return this;
    }

    /**
     * Ask for column values in binary form (default false: text): cheaper to convert. The
     * converters read either form.
     */
    public PgWalStreamSourceBuilder<T> binary(boolean value) {
        this.binary = value;
        return this;
    }

    /**
     * Receive the messages of {@code pg_logical_emit_message} as {@code MESSAGE} events (default
     * false).
     */
    public PgWalStreamSourceBuilder<T> messages(boolean value) {
        this.messages = value;
        return this;
    }

    /**
     * Decode prepared transactions at PREPARE TRANSACTION (PostgreSQL 15+, default false); their
     * changes are still emitted at COMMIT PREPARED, and dropped at ROLLBACK PREPARED.
     */
    public PgWalStreamSourceBuilder<T> twoPhase(boolean value) {
        this.twoPhase = value;
        return this;
    }

    /**
     * Create the slots this source creates as failover slots (PostgreSQL 17+, default false): a
     * physical standby with {@code sync_replication_slots = on} keeps a copy of each, so that after
     * the standby is promoted the job goes on from it. Give the connection both servers ({@code
     * "primary:5432,standby:5432"}) and the driver property {@code targetServerType=primary}. An
     * existing slot without FAILOVER is switched to it.
     */
    public PgWalStreamSourceBuilder<T> failoverSlots(boolean value) {
        this.failoverSlots = value;
        return this;
    }

    /**
     * Which changes to receive by replication origin (PostgreSQL 16+; unset: the server's default,
     * {@link OriginFilter#ANY}). {@link OriginFilter#NONE} drops changes that logical replication
     * applied from another server.
     */
    public PgWalStreamSourceBuilder<T> origin(OriginFilter value) {
        this.origin = value == null ? null : value.option();
        return this;
    }

    /** Start at each slot's confirmed position (the default): nothing committed is skipped. */
    public PgWalStreamSourceBuilder<T> startFromCommitted() {
        return startup(StartupMode.COMMITTED, "startFromCommitted()");
    }

    /**
     * Start at {@code value}: transactions committing before it are skipped. A slot cannot go back
     * before its confirmed position.
     */
    public PgWalStreamSourceBuilder<T> startFromLsn(Lsn value) {
        if (value == null || !value.isValid()) {
            throw new IllegalArgumentException("startFromLsn needs a valid LSN, got " + value);
        }
        startup(StartupMode.SPECIFIC_LSN, "startFromLsn(" + value + ")");
        this.startLsn = value;
        return this;
    }

    /** Start at the server's current WAL position: what was committed before the job is skipped. */
    public PgWalStreamSourceBuilder<T> startFromLatest() {
        return startup(StartupMode.LATEST, "startFromLatest()");
    }

    // One startup mode per source: a second, different one is a mistake, not an override.
    private PgWalStreamSourceBuilder<T> startup(StartupMode mode, String call) {
        if (startupCall != null && !startupCall.equals(call)) {
            throw new IllegalArgumentException(
                    call
                            + " conflicts with "
                            + startupCall
                            + " called before: a source has one startup mode; keep one of them");
        }
        this.startupMode = mode;
        this.startupCall = call;
        return this;
    }

    /**
     * Reads the rows the tables hold first — an initial snapshot, chunked by key and read by every
     * reader — then every change committed after it, each row and change exactly once. A slot that
     * already exists is fine: the stream starts where the snapshot was taken.
     */
    public PgWalStreamSourceBuilder<T> startWithSnapshot() {
        return startup(StartupMode.INITIAL, "startWithSnapshot()");
    }

    /** Bounded: reads the rows the tables hold (an initial snapshot) and finishes. */
    public PgWalStreamSourceBuilder<T> snapshotOnly() {
        return startup(StartupMode.SNAPSHOT, "snapshotOnly()");
    }

    /**
     * How the initial snapshot chunks tables: about {@code chunkRows} rows per chunk (each is held
     * in a reader's memory while it is emitted; default {@value
     * SnapshotSettings#DEFAULT_CHUNK_ROWS}), by {@code chunkKeyColumn} or, when null, by each
     * table's first primary key column.
     */
    public PgWalStreamSourceBuilder<T> snapshotChunks(int chunkRows, String chunkKeyColumn) {
        this.snapshot = snapshot.withChunks(chunkRows, chunkKeyColumn);
        return this;
    }

    /**
     * About how many bytes a snapshot chunk may hold (default 64 MiB): a table whose rows are wide
     * gets fewer rows per chunk than {@link #snapshotChunks}, from the average width of a sample of
     * its rows when the snapshot is planned.
     */
    public PgWalStreamSourceBuilder<T> snapshotChunkBytes(long bytes) {
        this.snapshot = snapshot.withChunkBytes(bytes);
        return this;
    }

    /**
     * How many readers read snapshot chunks (default 0: every reader). Fewer keep the load on the
     * server down while the job runs at a higher parallelism; the readers are subtasks 0 to {@code
     * count - 1}.
     */
    public PgWalStreamSourceBuilder<T> snapshotReaders(int count) {
        this.snapshot = snapshot.withReaders(count);
        return this;
    }

    /**
     * Whether the snapshot's progress gauges also exist per table (default true; four per table
     * under {@code snapshot.table.<table>}). Turn them off for a job over hundreds of tables: the
     * totals remain.
     */
    public PgWalStreamSourceBuilder<T> snapshotTableMetrics(boolean value) {
        this.snapshot = snapshot.withTableMetrics(value);
        return this;
    }

    /** Bounded mode: stop at the first transaction committing at or after {@code value}. */
    public PgWalStreamSourceBuilder<T> stopAt(Lsn value) {
        if (value == null || !value.isValid()) {
            throw new IllegalArgumentException("stopAt needs a valid LSN, got " + value);
        }
        stop("stopAt(" + value + ")");
        this.stopLsn = value;
        return this;
    }

    /** Bounded mode: stop at the server's WAL position when the job starts. */
    public PgWalStreamSourceBuilder<T> stopAtCurrentLsn() {
        stop("stopAtCurrentLsn()");
        this.stopAtCurrentLsn = true;
        return this;
    }

    private void stop(String call) {
        if (stopCall != null && !stopCall.equals(call)) {
            throw new IllegalArgumentException(
                    call
                            + " conflicts with "
                            + stopCall
                            + " called before: a bounded source has one stop position; keep one"
                            + " of them");
        }
        this.stopLsn = Lsn.INVALID;
        this.stopAtCurrentLsn = false;
        this.stopCall = call;
    }

    /**
     * How often each connection reports its position to the server (default 10 s, shortened to a
     * third of the server's {@code wal_sender_timeout}); positions are confirmed only for completed
     * checkpoints.
     */
    public PgWalStreamSourceBuilder<T> statusInterval(Duration value) {
        this.statusInterval = value;
        return this;
    }

    /**
     * How a lost replication connection is retried: exponential backoff with jitter, bounded in
     * attempts and total time ({@link ReconnectPolicy#DEFAULT}); then the job fails.
     */
    public PgWalStreamSourceBuilder<T> reconnectPolicy(ReconnectPolicy value) {
        this.reconnectPolicy = value;
        return this;
    }

    /** Bounds of the buffer between each replication connection and Flink. */
    public PgWalStreamSourceBuilder<T> receiveBuffer(int messages, long bytes) {
        this.session =
                new SessionSettings(
                        messages,
                        bytes,
                        session.readTimeout(),
                        session.handshakeTimeout(),
                        session.receiveLinger(),
                        session.slotReleaseWait(),
                        session.receiveTimeout());
        return this;
    }

    /**
     * How long a replication connection may bring nothing before it is presumed dead and replaced
     * (default 0: the server's {@code wal_sender_timeout}, 60 s when that is off). Halfway the
     * server is asked for a reply, so an idle stream stays up; a silent network (a half-open TCP
     * connection after a partition) is noticed after this long instead of after TCP's minutes.
     */
    public PgWalStreamSourceBuilder<T> receiveTimeout(Duration value) {
        this.session = session.withReceiveTimeout(Objects.requireNonNull(value));
        return this;
    }

    /**
     * How long a replication connection waits before reading again after a read that brought only a
     * few messages (default 1 ms): many small transactions then cost far fewer wake-ups and CPU,
     * for at most this much added latency. {@link Duration#ZERO} reads again at once.
     */
    public PgWalStreamSourceBuilder<T> receiveLinger(Duration value) {
        this.session = session.withReceiveLinger(Objects.requireNonNull(value));
        return this;
    }

    /**
     * How long a reader's first connection waits for a slot that another walsender still holds
     * (default 60 s, PostgreSQL's default {@code wal_sender_timeout}): after a TaskManager died or
     * a job was stopped for a restore, the old walsender keeps the slot until the server notices.
     * Zero fails at once.
     */
    public PgWalStreamSourceBuilder<T> slotReleaseWait(Duration value) {
        this.session = session.withSlotReleaseWait(Objects.requireNonNull(value));
        return this;
    }

    /**
     * Memory for buffered streamed and prepared transactions before they spill to disk, and the
     * directory (null: {@code java.io.tmpdir}) under which each reader spills into an owner-only
     * {@code pgwalstream-spill-*} subdirectory; a starting reader deletes those a killed process
     * left behind.
     */
    public PgWalStreamSourceBuilder<T> transactionBuffer(long memoryBytes, String spillDir) {
        this.assemblerMemoryBytes = memoryBytes;
        this.spillDirectory = spillDir;
        return this;
    }

    /** Resume even when the slot confirmed past the restored position (the gap is lost; logged). */
    public PgWalStreamSourceBuilder<T> acceptRestoreGap(boolean value) {
        this.acceptRestoreGap = value;
        return this;
    }

    /**
     * How often each reader asks the server, on its own SQL connection, for its WAL position and
     * the WAL its slots retain (metrics {@code pendingBytes}, {@code serverWalLsn}, {@code
     * slotRetainedWalBytes}); {@link Duration#ZERO} turns the query off.
     */
    public PgWalStreamSourceBuilder<T> serverPollInterval(Duration value) {
        this.serverPollInterval = Objects.requireNonNull(value);
        return this;
    }

    /** Turns change events into the source's records (required). */
    public PgWalStreamSourceBuilder<T> deserializer(ChangeEventDeserializer<T> value) {
        this.deserializer = value;
        return this;
    }

    /**
     * The source.
     *
     * @throws IllegalArgumentException when the connection, the slot groups (or a prefix to
     *     discover them by) or the deserializer is missing, or settings contradict each other
     */
    public PgWalStreamSource<T> build() {
        if (connection == null) {
            throw new IllegalArgumentException("The PostgreSQL connection is required");
        }
        if (deserializer == null) {
            throw new IllegalArgumentException("A deserializer is required");
        }
        return new PgWalStreamSource<>(
                new PgWalStreamSourceConfig(
                        connection,
                        groups,
                        createPublications,
                        createSlots,
                        protoVersion,
                        streaming,
                        binary,
                        messages,
                        twoPhase,
                        failoverSlots,
                        origin,
                        startupMode,
                        startLsn,
                        stopLsn,
                        stopAtCurrentLsn,
                        statusInterval,
                        reconnectPolicy,
                        session,
                        assemblerMemoryBytes,
                        spillDirectory,
                        acceptRestoreGap,
                        serverPollInterval,
                        discoverySlotPrefix,
                        discoveryInterval,
                        snapshot),
                deserializer);
    }
}
