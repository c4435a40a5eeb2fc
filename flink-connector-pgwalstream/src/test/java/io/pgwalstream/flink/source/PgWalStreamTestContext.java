package io.pgwalstream.flink.source;

import io.pgwalstream.changes.ChangeEvent;
import io.pgwalstream.changes.ChangeKind;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.PostgresServer;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.testframe.external.ExternalSystemSplitDataWriter;
import org.apache.flink.connector.testframe.external.source.DataStreamSourceExternalContext;
import org.apache.flink.connector.testframe.external.source.TestingSourceSettings;
import org.apache.flink.util.Collector;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The suite's view of PostgreSQL: a database per test; each split is a table {@code t_<n>}, a
 * publication and a slot both named {@code <database>_split_<n>}; records are the inserted rows'
 * text values. With {@code snapshots} the source reads each table's rows with an initial snapshot
 * first (bounded: {@code snapshotOnly()}, unbounded: {@code startWithSnapshot()}), so rows written
 * before the job starts arrive as snapshot rows and later ones as changes.
 */
final class PgWalStreamTestContext implements DataStreamSourceExternalContext<String> {

    private static final Logger LOG = LoggerFactory.getLogger(PgWalStreamTestContext.class);

    private static final int SNAPSHOT_CHUNK_ROWS = 100_000;

    private final PostgresServer pg;
    private final String database;
    private final String slotPrefix;
    private final List<String> slots = new ArrayList<>();
    private final boolean snapshots;

    PgWalStreamTestContext(PostgresServer pg, String testName) {
        this(pg, testName, false);
    }

    PgWalStreamTestContext(PostgresServer pg, String testName, boolean snapshots) {
        this.pg = pg;
        this.snapshots = snapshots;
        this.database = pg.createDatabase("suite");
        this.slotPrefix = database + "_split_";
        LOG.info("{}: database {}", testName, database);
    }

    @Override
    public Source<String, ?, ?> createSource(TestingSourceSettings settings) {
        PgWalStreamSourceBuilder<String> builder =
                PgWalStreamSource.<String>builder()
                        .connection(
                                PgConnectionConfig.of(
                                        pg.host(), pg.port(), database, PostgresServer.SUPERUSER))
                        .discoverSlotGroups(slotPrefix, Duration.ofMillis(200))
                        .statusInterval(Duration.ofSeconds(1))
                        .deserializer(new InsertedValues());
        boolean bounded = settings.getBoundedness() == Boundedness.BOUNDED;
        // The suite expects each split's records in the order they were written; chunks of one
        // table read by different readers have no order between them, so each table (at most
        // 150 rows per write) is one chunk. Parallel chunks are tested by SnapshotHandOverITCase.
        if (snapshots && bounded) {
            builder.snapshotOnly().snapshotChunks(SNAPSHOT_CHUNK_ROWS, null);
        } else if (snapshots) {
            builder.startWithSnapshot().snapshotChunks(SNAPSHOT_CHUNK_ROWS, null);
        } else if (bounded) {
            builder.stopAtCurrentLsn();
        }
        return builder.build();
    }

    @Override
    public ExternalSystemSplitDataWriter<String> createSourceSplitDataWriter(
            TestingSourceSettings settings) {
        int n = slots.size();
        String table = "t_" + n;
        String name = slotPrefix + n;
        // The publication exists before the rows it carries and before the slot.
        execute(
                "CREATE TABLE " + table + " (id serial PRIMARY KEY, v text NOT NULL)",
                "CREATE PUBLICATION " + name + " FOR TABLE " + table,
                "SELECT pg_create_logical_replication_slot('" + name + "', 'pgoutput')");
        slots.add(name);
        return new TableWriter(table);
    }

    @Override
    public List<String> generateTestData(
            TestingSourceSettings settings, int splitIndex, long seed) {
        Random random = new Random(seed);
        int count = 50 + random.nextInt(100);
        List<String> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add("split" + splitIndex + "-" + i + "-" + Long.toHexString(random.nextLong()));
        }
        return records;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }

    @Override
    public List<URL> getConnectorJarPaths() {
        return List.of();
    }

    /** Drops the test's slots once their walsenders let go (slots pin WAL and are limited). */
    @Override
    public void close() throws Exception {
        try (Connection c = pg.connect(database);
                PreparedStatement active =
                        c.prepareStatement(
                                "SELECT active FROM pg_replication_slots WHERE slot_name = ?");
                Statement s = c.createStatement()) {
            for (String slot : slots) {
                try {
                    Await.until(
                            "slot " + slot + " to be released",
                            Duration.ofSeconds(30),
                            () -> {
                                active.setString(1, slot);
                                try (ResultSet rs = active.executeQuery()) {
                                    return !rs.next() || !rs.getBoolean(1);
                                }
                            });
                } catch (AssertionError stillActive) {
                    LOG.warn("Slot {} is still active; leaving it", slot);
                    continue;
                }
                s.execute(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                + " WHERE slot_name = '"
                                + slot
                                + "'");
            }
        }
    }

    private void execute(String... statements) {
        try (Connection c = pg.connect(database);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Preparing a split in " + database + " failed", e);
        }
    }

    /** Writes a batch of records as one transaction into a split's table. */
    private final class TableWriter implements ExternalSystemSplitDataWriter<String> {
        private final String table;

        TableWriter(String table) {
            this.table = table;
        }

        @Override
        public void writeRecords(List<String> records) {
            try (Connection c = pg.connect(database)) {
                c.setAutoCommit(false);
                try (PreparedStatement insert =
                        c.prepareStatement("INSERT INTO " + table + " (v) VALUES (?)")) {
                    for (String record : records) {
                        insert.setString(1, record);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                throw new IllegalStateException("Writing to " + table + " failed", e);
            }
        }

        @Override
        public void close() {}
    }

    /**
     * Emits the {@code v} column of each inserted row (snapshot rows carry it in binary form, the
     * UTF-8 bytes): one record per written test record.
     */
    static final class InsertedValues implements ChangeEventDeserializer<String> {
        @Override
        public void deserialize(ChangeEvent event, Collector<String> out) {
            if (event.kind() == ChangeKind.INSERT || event.kind() == ChangeKind.SNAPSHOT) {
                out.collect(new String(event.after().valueBytes(1), StandardCharsets.UTF_8));
            }
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }
}
