package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ChangelogOptions;
import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.DroppedColumnMode;
import io.pgwalstream.flink.rowdata.TruncateMode;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.StreamingMode;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.ReconnectPolicy;
import io.pgwalstream.replication.SessionSettings;
import io.pgwalstream.replication.SlotName;
import io.pgwalstream.replication.SqlIdentifier;
import io.pgwalstream.snapshot.SnapshotSettings;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.pgwalstream.flink.table.PgWalStreamOptions.*;

/**
 * The table options, read and checked once at planning time. Every problem is a {@link
 * ValidationException} naming the option key and what to write instead; no message contains the
 * password ({@link PgConnectionConfig#toString()} masks it). Used on the client only: the source
 * and the deserializer get what they need from it.
 */
@Internal
public record PgWalStreamTableConfig(
        PgConnectionConfig connection,
        StreamKind stream,
        List<String> messagePrefixes,
        String schemaPattern,
        String tablePattern,
        String slotName,
        boolean slotAutoCreate,
        boolean slotFailover,
        int shards,
        String publicationName,
        boolean publicationAutoCreate,
        ScanStartupMode startupMode,
        Lsn startLsn,
        SnapshotSettings snapshot,
        ScanBoundedMode boundedMode,
        Lsn stopLsn,
        ChangelogModeChoice changelogMode,
        TruncateMode truncateMode,
        DroppedColumnMode droppedColumnMode,
        boolean acceptRestoreGap,
        int protocolVersion,
        boolean binary,
        StreamingMode streaming,
        boolean twoPhase,
        boolean messages,
        String origin,
        Duration statusInterval,
        Duration receiveLinger,
        Duration receiveTimeout,
        ReconnectPolicy reconnectPolicy,
        long transactionBufferBytes,
        String spillDirectory,
        ConversionPolicies conversion,
        UnchangedToastOptions toast) {

    public PgWalStreamTableConfig {
        Objects.requireNonNull(connection, "connection");
    }

    /**
     * Reads and checks the options.
     *
     * @param driverProperties the {@code properties.*} options with the prefix removed
     */
    public static PgWalStreamTableConfig from(
            ReadableConfig options, Map<String, String> driverProperties) {
        checkPort(options.get(PORT));
        String host = required(options, HOSTNAME);
        String database = required(options, DATABASE_NAME);
        String user = required(options, USERNAME);
        checkConnectionValue(HOSTNAME, () -> PgConnectionConfig.checkHost(host));
        checkConnectionValue(DATABASE_NAME, () -> PgConnectionConfig.checkDatabase(database));
        checkConnectionValue(USERNAME, () -> PgConnectionConfig.checkUser(user));
        checkDriverProperties(driverProperties);
        PgConnectionConfig connection =
                new PgConnectionConfig(
                        host,
                        options.get(PORT),
                        database,
                        user,
                        options.getOptional(PASSWORD).orElse(null),
                        new TreeMap<>(driverProperties));
        StreamKind stream = options.get(STREAM);
        boolean messageStream = stream == StreamKind.MESSAGES;
        List<String> prefixes = messagePrefixes(options, messageStream);
        String schemaPattern = regex(options, SCHEMA_NAME, options.get(SCHEMA_NAME));
        String tablePattern =
                messageStream
                        ? noTables(options)
                        : regex(options, TABLE_NAME, required(options, TABLE_NAME));
        String slot = required(options, SLOT_NAME);
        int shards = options.get(SLOT_SHARDS);
        if (shards < 1) {
            throw invalid(SLOT_SHARDS, "must be at least 1, got " + shards);
        }
        if (messageStream && shards > 1) {
            throw invalid(
                    SLOT_SHARDS,
                    "must be 1 with stream = messages: the messages of a database are not split"
                            + " by table, one slot reads them all");
        }
        String publication = options.getOptional(PUBLICATION_NAME).orElse(slot);
        checkSlotName(slot, shards);
        checkIdentifier(
                PUBLICATION_NAME, shards > 1 ? publication + "_" + (shards - 1) : publication);

        ScanStartupMode startup =
                messageStream ? messageStartup(options) : options.get(SCAN_STARTUP_MODE);
        Lsn startLsn =
                lsnFor(
                        options,
                        SCAN_STARTUP_SPECIFIC_LSN,
                        startup == ScanStartupMode.SPECIFIC_LSN,
                        SCAN_STARTUP_MODE,
                        ScanStartupMode.SPECIFIC_LSN.toString());
        SnapshotSettings snapshot = snapshotSettings(options);
        ScanBoundedMode bounded = options.get(SCAN_BOUNDED_MODE);
        if (startup == ScanStartupMode.SNAPSHOT && bounded != ScanBoundedMode.UNBOUNDED) {
            throw invalid(
                    SCAN_BOUNDED_MODE,
                    "cannot be combined with scan.startup.mode = snapshot, which already ends after"
                            + " the existing rows; use scan.startup.mode = initial to stream"
                            + " changes up to a bound");
        }
        Lsn stopLsn =
                lsnFor(
                        options,
                        SCAN_BOUNDED_SPECIFIC_LSN,
                        bounded == ScanBoundedMode.SPECIFIC_LSN,
                        SCAN_BOUNDED_MODE,
                        ScanBoundedMode.SPECIFIC_LSN.toString());

        int proto = options.get(DECODING_PROTOCOL_VERSION);
        if (proto < 0 || proto > 4) {
            throw invalid(
                    DECODING_PROTOCOL_VERSION,
                    "must be 0 (the server's highest) or 1-4, got " + proto);
        }
        String origin = options.getOptional(DECODING_ORIGIN).orElse(null);
        if (origin != null && !origin.equals("none") && !origin.equals("any")) {
            throw invalid(DECODING_ORIGIN, "must be 'none' or 'any', got '" + origin + "'");
        }
        return new PgWalStreamTableConfig(
                connection,
                stream,
                prefixes,
                schemaPattern,
                tablePattern,
                slot,
                options.get(SLOT_AUTO_CREATE),
                options.get(SLOT_FAILOVER),
                shards,
                publication,
                options.get(PUBLICATION_AUTO_CREATE),
                startup,
                startLsn,
                snapshot,
                bounded,
                stopLsn,
                options.get(CHANGELOG_MODE),
                options.get(ChangelogOptions.TRUNCATE_MODE),
                options.get(ChangelogOptions.DROPPED_COLUMN_MODE),
                options.get(SCAN_ACCEPT_RESTORE_GAP),
                proto,
                options.get(DECODING_BINARY),
                options.get(DECODING_STREAMING),
                options.get(DECODING_TWO_PHASE),
                messageStream || options.get(DECODING_MESSAGES),
                origin,
                positive(options, STATUS_INTERVAL),
                receiveLinger(options),
                receiveTimeout(options),
                reconnectPolicy(options),
                options.get(TRANSACTION_BUFFER_MEMORY).getBytes(),
                options.getOptional(TRANSACTION_BUFFER_SPILL_DIR).orElse(null),
                ConversionPolicies.fromConfig(options),
                UnchangedToastOptions.from(options));
    }

    private static List<String> messagePrefixes(ReadableConfig options, boolean messageStream) {
        List<String> prefixes = options.getOptional(MESSAGES_PREFIX).orElse(List.of());
        if (!prefixes.isEmpty() && !messageStream) {
            throw invalid(
                    MESSAGES_PREFIX,
                    "applies to a message stream only: add 'stream' = 'messages', or remove it");
        }
        return List.copyOf(prefixes);
    }

    private static String noTables(ReadableConfig options) {
        if (options.getOptional(TABLE_NAME).isPresent()) {
            throw invalid(
                    TABLE_NAME,
                    "has no meaning with stream = messages, which reads the slot's logical"
                            + " decoding messages, not rows; remove it");
        }
        return null;
    }

    /** A message stream has nothing to snapshot: it starts at the slot's position by default. */
    private static ScanStartupMode messageStartup(ReadableConfig options) {
        ScanStartupMode startup =
                options.getOptional(SCAN_STARTUP_MODE).orElse(ScanStartupMode.COMMITTED_OFFSET);
        if (startup == ScanStartupMode.INITIAL || startup == ScanStartupMode.SNAPSHOT) {
            throw invalid(
                    SCAN_STARTUP_MODE,
                    "is '"
                            + startup
                            + "', but a message stream has no rows to snapshot; use"
                            + " committed-offset (its default), latest-offset or specific-lsn");
        }
        return startup;
    }

    private static SnapshotSettings snapshotSettings(ReadableConfig options) {
        int rows = options.get(SCAN_SNAPSHOT_CHUNK_SIZE);
        if (rows < 1) {
            throw invalid(SCAN_SNAPSHOT_CHUNK_SIZE, "must be at least 1 row, got " + rows);
        }
        String key = options.getOptional(SCAN_SNAPSHOT_CHUNK_KEY_COLUMN).orElse(null);
        if (key != null && key.isBlank()) {
            throw invalid(
                    SCAN_SNAPSHOT_CHUNK_KEY_COLUMN,
                    "is empty; name a column, or leave the option out to use the primary key");
        }
        long bytes = options.get(SCAN_SNAPSHOT_CHUNK_MAX_BYTES).getBytes();
        if (bytes < 1024) {
            throw invalid(SCAN_SNAPSHOT_CHUNK_MAX_BYTES, "must be at least 1 kb, got " + bytes);
        }
        int readers = options.get(SCAN_SNAPSHOT_READERS);
        if (readers < 0) {
            throw invalid(
                    SCAN_SNAPSHOT_READERS,
                    "must be 0 (every reader) or a positive count, got " + readers);
        }
        return new SnapshotSettings(
                rows, key, bytes, readers, options.get(SCAN_SNAPSHOT_TABLE_METRICS));
    }

    /** Whether the matched tables are spread over several slot groups. */
    public boolean sharded() {
        return shards > 1;
    }

    private static String required(ReadableConfig options, ConfigOption<String> option) {
        String value = options.getOptional(option).orElse(null);
        if (value == null || value.isBlank()) {
            throw invalid(
                    option, "is required: add '" + option.key() + "' = '…' to the WITH clause");
        }
        return value;
    }

    private static void checkConnectionValue(ConfigOption<String> option, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw invalid(option, "cannot be used. " + e.getMessage());
        }
    }

    private static void checkDriverProperties(Map<String, String> driverProperties) {
        for (String name : PgConnectionConfig.SERVER_PROPERTIES) {
            if (driverProperties.containsKey(name)) {
                throw new ValidationException(
                        "Option '"
                                + PROPERTIES_PREFIX
                                + name
                                + "' cannot be set: the connector passes '"
                                + HOSTNAME.key()
                                + "', '"
                                + PORT.key()
                                + "' and '"
                                + DATABASE_NAME.key()
                                + "' to pgjdbc as "
                                + String.join(", ", PgConnectionConfig.SERVER_PROPERTIES)
                                + "; remove it and use those options");
            }
        }
    }

    private static void checkPort(int port) {
        if (port < 1 || port > 65535) {
            throw invalid(PORT, "must be between 1 and 65535, got " + port);
        }
    }

    private static String regex(ReadableConfig options, ConfigOption<String> option, String value) {
        try {
            Pattern.compile(value);
            return value;
        } catch (PatternSyntaxException e) {
            throw invalid(
                    option,
                    "is not a valid Java regular expression ("
                            + e.getDescription()
                            + "); escape dots and other special characters, e.g. 'orders\\.v2'");
        }
    }

    private static void checkSlotName(String slot, int shards) {
        try {
            SlotName.validate(shards > 1 ? slot + "_" + (shards - 1) : slot);
        } catch (IllegalArgumentException e) {
            throw invalid(SLOT_NAME, e.getMessage());
        }
    }

    private static void checkIdentifier(ConfigOption<String> option, String name) {
        try {
            SqlIdentifier.validate(name, "publication");
        } catch (IllegalArgumentException e) {
            throw invalid(option, e.getMessage());
        }
    }

    private static Lsn lsnFor(
            ReadableConfig options,
            ConfigOption<String> lsnOption,
            boolean needed,
            ConfigOption<?> modeOption,
            String modeValue) {
        String text = options.getOptional(lsnOption).orElse(null);
        if (!needed) {
            if (text != null) {
                throw invalid(
                        lsnOption,
                        "is only used with '"
                                + modeOption.key()
                                + "' = '"
                                + modeValue
                                + "'; set that mode or remove the option");
            }
            return Lsn.INVALID;
        }
        if (text == null) {
            throw invalid(
                    lsnOption,
                    "is required when '"
                            + modeOption.key()
                            + "' = '"
                            + modeValue
                            + "': give an LSN such as '0/16B3748'");
        }
        try {
            Lsn lsn = Lsn.parse(text.trim());
            if (!lsn.isValid()) {
                throw invalid(lsnOption, "must not be 0/0");
            }
            return lsn;
        } catch (IllegalArgumentException e) {
            throw invalid(
                    lsnOption,
                    "'"
                            + text
                            + "' is not an LSN; write it as PostgreSQL prints it, e.g."
                            + " '0/16B3748' (SELECT pg_current_wal_lsn())");
        }
    }

    private static Duration positive(ReadableConfig options, ConfigOption<Duration> option) {
        Duration value = options.get(option);
        if (value.isNegative() || value.isZero()) {
            throw invalid(option, "must be positive, got " + value);
        }
        return value;
    }

    private static Duration receiveTimeout(ReadableConfig options) {
        Duration value = options.get(RECEIVE_TIMEOUT);
        Duration least = SessionSettings.DEFAULT.readTimeout();
        if (value.isNegative() || (!value.isZero() && value.compareTo(least) <= 0)) {
            throw invalid(
                    RECEIVE_TIMEOUT,
                    "must be 0 (the server's wal_sender_timeout) or longer than "
                            + least.toMillis()
                            + " ms, got "
                            + value.toMillis()
                            + " ms");
        }
        return value;
    }

    private static Duration receiveLinger(ReadableConfig options) {
        Duration value = options.get(RECEIVE_LINGER);
        Duration most = SessionSettings.DEFAULT.readTimeout();
        if (value.isNegative() || value.compareTo(most) > 0) {
            throw invalid(
                    RECEIVE_LINGER,
                    "must be between 0 and "
                            + most.toMillis()
                            + " ms, got "
                            + value.toMillis()
                            + " ms");
        }
        return value;
    }

    private static ReconnectPolicy reconnectPolicy(ReadableConfig options) {
        Duration initial = options.get(RECONNECT_INITIAL_BACKOFF);
        Duration max = options.get(RECONNECT_MAX_BACKOFF);
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw invalid(
                    RECONNECT_MAX_BACKOFF,
                    "must be at least '"
                            + RECONNECT_INITIAL_BACKOFF.key()
                            + "' ("
                            + initial
                            + "), got "
                            + max);
        }
        int attempts = options.get(RECONNECT_MAX_ATTEMPTS);
        if (attempts < 0) {
            throw invalid(RECONNECT_MAX_ATTEMPTS, "must not be negative, got " + attempts);
        }
        Duration total = options.get(RECONNECT_MAX_TOTAL_TIME);
        if (total.isNegative()) {
            throw invalid(RECONNECT_MAX_TOTAL_TIME, "must not be negative, got " + total);
        }
        ReconnectPolicy d = ReconnectPolicy.DEFAULT;
        return new ReconnectPolicy(initial, max, d.multiplier(), d.jitter(), attempts, total);
    }

    static ValidationException invalid(ConfigOption<?> option, String problem) {
        return new ValidationException("Option '" + option.key() + "' " + problem);
    }
}
