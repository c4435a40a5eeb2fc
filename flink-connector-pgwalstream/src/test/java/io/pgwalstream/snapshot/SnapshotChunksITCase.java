package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.TupleData;
import io.pgwalstream.replication.CreatedSlot;
import io.pgwalstream.replication.LogicalSlotSpec;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.replication.PgSlotManager;
import io.pgwalstream.replication.SnapshotAction;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.testing.Await;
import io.pgwalstream.testing.postgres.EveryPostgresVersion;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresTest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Planning and reading chunks under an exported snapshot on real PostgreSQL 14–18: every row of the
 * snapshot in exactly one chunk, nothing committed later, for each way of choosing bounds.
 */
@PostgresTest
@Timeout(180)
class SnapshotChunksITCase {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final String PUBLICATION = "snap_pub";

    /** Under the exported snapshot, on a fresh database with the given tables published. */
    private record Fixture(PostgresServer pg, String database, PgConnectionConfig config) {

        static Fixture create(PostgresServer pg, String... ddl) {
            String database = pg.createDatabase("snap");
            PgConnectionConfig config =
                    PgConnectionConfig.of(pg.host(), pg.port(), database, PostgresServer.SUPERUSER);
            Fixture f = new Fixture(pg, database, config);
            f.execute(ddl);
            f.execute("CREATE PUBLICATION " + PUBLICATION + " FOR ALL TABLES");
            return f;
        }

        void execute(String... statements) {
            try (Connection c = pg.connect(database);
                    Statement s = c.createStatement()) {
                for (String sql : statements) {
                    s.execute(sql);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        PgSlotManager exporter() throws SQLException {
            return PgSlotManager.open(config);
        }

        CreatedSlot export(PgSlotManager slots) {
            return slots.createLogical(
                    LogicalSlotSpec.of("snap_" + SEQUENCE.incrementAndGet())
                            .withTemporary(true)
                            .withSnapshot(SnapshotAction.EXPORT));
        }

        /** Plans and reads every chunk of {@code table}; returns the chunks and the rows by key. */
        <K extends Comparable<K>> Map<K, List<Object>> readAll(
                CreatedSlot slot,
                TableName table,
                String keyColumn,
                int chunkRows,
                Function<TupleData, K> key,
                List<SnapshotChunk> chunksOut)
                throws SQLException {
            return readAll(
                    slot,
                    table,
                    keyColumn,
                    SnapshotSettings.DEFAULT.withChunks(chunkRows, null),
                    key,
                    chunksOut);
        }

        <K extends Comparable<K>> Map<K, List<Object>> readAll(
                CreatedSlot slot,
                TableName table,
                String keyColumn,
                SnapshotSettings settings,
                Function<TupleData, K> key,
                List<SnapshotChunk> chunksOut)
                throws SQLException {
            SnapshotTable described;
            List<SnapshotChunk> chunks;
            try (Connection c = pg.connect(database);
                    Statement s = c.createStatement()) {
                s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
                s.execute("SET TRANSACTION SNAPSHOT '" + slot.snapshotName() + "'");
                described = SnapshotCatalog.read(c, table, PUBLICATION, keyColumn);
                chunks = new ChunkPlanner(settings).plan(c, described);
                s.execute("COMMIT");
            }
            chunksOut.addAll(chunks);
            Map<K, List<Object>> rows = new TreeMap<>();
            try (ChunkReader reader = new ChunkReader(config)) {
                for (SnapshotChunk chunk : chunks) {
                    SnapshotRows read = reader.read(described, chunk, slot.snapshotName());
                    for (int i = 0; i < read.count(); i++) {
                        TupleData row = read.row(i);
                        List<Object> values = new ArrayList<>();
                        for (int col = 0; col < row.columnCount(); col++) {
                            values.add(row.isNull(col) ? null : row.valueBytes(col).length);
                        }
                        values.add(chunk.index());
                        K k = key.apply(row);
                        assertThat(rows.put(k, values)).as("row %s read twice", k).isNull();
                    }
                }
            }
            return rows;
        }
    }

    private static int int4(TupleData row, int column) {
        return ByteBuffer.wrap(row.valueBytes(column)).getInt();
    }

    private static long int8(TupleData row, int column) {
        return ByteBuffer.wrap(row.valueBytes(column)).getLong();
    }

    private static String text(TupleData row, int column) {
        return new String(row.valueBytes(column), StandardCharsets.UTF_8);
    }

    /**
     * A dense integer key (arithmetic bounds) and a sparse one (bounds walked through the index):
     * each row of the snapshot once, and none of the inserts, updates and deletes committed after.
     */
    @EveryPostgresVersion
    void integerKeysChunkExactlyTheSnapshotsRows(PostgresServer pg) throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE dense (id int PRIMARY KEY, note text)",
                        "INSERT INTO dense SELECT g, 'n' || g FROM generate_series(1, 5000) g",
                        "CREATE TABLE sparse (id bigint PRIMARY KEY, note text)",
                        "INSERT INTO sparse SELECT g::bigint * 1000003, 'n' FROM generate_series(1,"
                                + " 3000) g",
                        "ANALYZE dense",
                        "ANALYZE sparse");
        try (PgSlotManager exporter = f.exporter()) {
            CreatedSlot slot = f.export(exporter);
            f.execute(
                    "INSERT INTO dense VALUES (5001, 'late'), (0, 'late')",
                    "DELETE FROM dense WHERE id BETWEEN 100 AND 199",
                    "UPDATE dense SET note = 'changed-after-the-snapshot' WHERE id = 7",
                    "INSERT INTO sparse VALUES (5, 'late')",
                    "DELETE FROM sparse WHERE id = 1000003");

            List<SnapshotChunk> denseChunks = new ArrayList<>();
            Map<Integer, List<Object>> dense =
                    f.readAll(
                            slot,
                            TableName.of("public", "dense"),
                            null,
                            700,
                            r -> int4(r, 0),
                            denseChunks);
            assertThat(dense.keySet()).hasSize(5000);
            assertThat(dense).containsKeys(1, 150, 5000).doesNotContainKeys(0, 5001);
            assertThat(dense.get(7).get(1)).isEqualTo("n7".length());
            assertThat(denseChunks).hasSize(8);
            assertThat(denseChunks.get(0).upper()).isEqualTo("701");

            List<SnapshotChunk> sparseChunks = new ArrayList<>();
            Map<Long, List<Object>> sparse =
                    f.readAll(
                            slot,
                            TableName.of("public", "sparse"),
                            null,
                            500,
                            r -> int8(r, 0),
                            sparseChunks);
            assertThat(sparse.keySet()).hasSize(3000).contains(1000003L).doesNotContain(5L);
            assertThat(sparseChunks).hasSize(6);
            for (int i = 0; i < 6; i++) {
                int chunk = i;
                assertThat(sparse.values().stream().filter(v -> v.get(2).equals(chunk)))
                        .hasSize(500);
            }
        }
    }

    /**
     * A composite text key whose first column repeats far more often than a chunk holds: bounds
     * come from PostgreSQL's order (its collation), and the crowded value stays in one chunk.
     */
    @Test
    void textKeysWithRepeatedLeadingValuesChunkByPostgresOrder(PostgresServer pg)
            throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE docs (tenant text, id int, body text, PRIMARY KEY (tenant,"
                                + " id))",
                        "INSERT INTO docs SELECT 'Tenant ''' || (g % 3) || ' ü', g, 'b'"
                                + " FROM generate_series(1, 2000) g",
                        "INSERT INTO docs SELECT 'a' || g, g, 'b' FROM generate_series(1, 300) g");
        try (PgSlotManager exporter = f.exporter()) {
            CreatedSlot slot = f.export(exporter);
            List<SnapshotChunk> chunks = new ArrayList<>();
            Map<String, List<Object>> rows =
                    f.readAll(
                            slot,
                            TableName.of("public", "docs"),
                            null,
                            100,
                            r -> text(r, 0) + "/" + int4(r, 1),
                            chunks);
            assertThat(rows).hasSize(2300).containsKey("Tenant '1 ü/1");
            assertThat(chunks.size()).isBetween(4, 10);
            // All rows of one tenant are in one chunk: ranges are of the leading key column.
            assertThat(
                            rows.entrySet().stream()
                                    .filter(e -> e.getKey().startsWith("Tenant '2 ü/"))
                                    .map(e -> e.getValue().get(3))
                                    .distinct())
                    .hasSize(1);
        }
    }

    /** Wide rows make smaller chunks: the bytes bound wins over the row count. */
    @Test
    void wideRowsAreChunkedByTheBytesBound(PostgresServer pg) throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE docs (id int PRIMARY KEY, body text)",
                        "INSERT INTO docs SELECT g, repeat('d', 2000) FROM generate_series(1, 300)"
                                + " g");
        try (PgSlotManager exporter = f.exporter()) {
            CreatedSlot slot = f.export(exporter);
            List<SnapshotChunk> chunks = new ArrayList<>();
            Map<Integer, List<Object>> rows =
                    f.readAll(
                            slot,
                            TableName.of("public", "docs"),
                            null,
                            SnapshotSettings.DEFAULT.withChunks(1000, null).withChunkBytes(20_000),
                            r -> int4(r, 0),
                            chunks);
            assertThat(rows).hasSize(300);
            // About 2 KB a row: 9 rows per 20 KB chunk, so 34 chunks instead of one of 1000 rows.
            assertThat(chunks).hasSizeBetween(30, 40);
        }
    }

    /** A table without a key is read in block ranges under the one snapshot. */
    @Test
    void aTableWithoutAKeyIsReadInBlockRanges(PostgresServer pg) throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE log (n int, line text)",
                        "INSERT INTO log SELECT g, repeat('x', 100) FROM generate_series(1, 4000)"
                                + " g",
                        "ANALYZE log");
        try (PgSlotManager exporter = f.exporter()) {
            CreatedSlot slot = f.export(exporter);
            f.execute("INSERT INTO log VALUES (-1, 'late')");
            List<SnapshotChunk> chunks = new ArrayList<>();
            Map<Integer, List<Object>> rows =
                    f.readAll(
                            slot,
                            TableName.of("public", "log"),
                            null,
                            500,
                            r -> int4(r, 0),
                            chunks);
            assertThat(rows).hasSize(4000).containsKey(1).doesNotContainKey(-1);
            assertThat(chunks.size()).isGreaterThan(4);
            assertThat(chunks.get(1).lower()).matches("\\(\\d+,0\\)");
        }
    }

    /**
     * PostgreSQL 15+: the publication's column list and row filter shape what the snapshot reads.
     */
    @Test
    void columnListsAndRowFiltersAreHonoured(PostgresServer pg) throws SQLException {
        if (pg.serverVersionNum() < 150000) {
            return; // column lists and row filters are PostgreSQL 15+
        }
        String database = pg.createDatabase("snap_filter");
        PgConnectionConfig config =
                PgConnectionConfig.of(pg.host(), pg.port(), database, PostgresServer.SUPERUSER);
        try (Connection c = pg.connect(database);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, secret text, visible int)");
            s.execute("INSERT INTO t SELECT g, 's', g % 2 FROM generate_series(1, 100) g");
            s.execute(
                    "CREATE PUBLICATION "
                            + PUBLICATION
                            + " FOR TABLE t (id, visible)"
                            + " WHERE (visible = 1)");
        }
        try (PgSlotManager exporter = PgSlotManager.open(config);
                Connection c = pg.connect(database);
                Statement s = c.createStatement();
                ChunkReader reader = new ChunkReader(config)) {
            CreatedSlot slot =
                    exporter.createLogical(
                            LogicalSlotSpec.of("snap_" + SEQUENCE.incrementAndGet())
                                    .withTemporary(true)
                                    .withSnapshot(SnapshotAction.EXPORT));
            s.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            s.execute("SET TRANSACTION SNAPSHOT '" + slot.snapshotName() + "'");
            SnapshotTable t =
                    SnapshotCatalog.read(c, TableName.of("public", "t"), PUBLICATION, null);
            s.execute("COMMIT");
            assertThat(t.columns()).extracting(col -> col.name()).containsExactly("id", "visible");
            assertThat(t.columns().get(0).isKey()).isTrue();
            assertThat(t.rowFilter()).contains("visible = 1");
            SnapshotRows rows =
                    reader.read(
                            t, new SnapshotChunk(t.name(), 0, 1, null, null), slot.snapshotName());
            assertThat(rows.count()).isEqualTo(50);
            for (int i = 0; i < rows.count(); i++) {
                assertThat(rows.row(i).columnCount()).isEqualTo(2);
                assertThat(int4(rows.row(i), 1)).isEqualTo(1);
            }
        }
    }

    /** Each refusal names the table, the problem and the fix. */
    @Test
    void badChunkKeysMissingGrantsAndLostSnapshotsAreTypedErrors(PostgresServer pg)
            throws Exception {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE t (id int PRIMARY KEY, maybe int, dup int NOT NULL, u int"
                                + " NOT NULL UNIQUE)",
                        "INSERT INTO t VALUES (1, 1, 1, 1)",
                        "CREATE ROLE snap_reader_"
                                + SEQUENCE.incrementAndGet()
                                + " LOGIN PASSWORD 'reader-pw'");
        TableName t = TableName.of("public", "t");
        try (Connection c = f.pg().connect(f.database())) {
            for (String[] bad :
                    new String[][] {
                        {"nope", "has no column \"nope\""},
                        {"maybe", "allows NULL in \"maybe\""},
                        {"dup", "has no unique index or primary key containing \"dup\""},
                        {"u", "not in the replica identity"}
                    }) {
                assertThatThrownBy(() -> SnapshotCatalog.read(c, t, PUBLICATION, bad[0]))
                        .isInstanceOfSatisfying(
                                SnapshotException.class,
                                e ->
                                        assertThat(e.reason())
                                                .as(e.getMessage())
                                                .isEqualTo(SnapshotException.Reason.BAD_CHUNK_KEY))
                        .hasMessageContaining(bad[1])
                        .hasMessageContaining("scan.incremental.snapshot.chunk.key-column");
            }
            assertThat(SnapshotCatalog.read(c, t, PUBLICATION, "id").chunkKey().column())
                    .isEqualTo("id");
            assertThatThrownBy(
                            () ->
                                    SnapshotCatalog.read(
                                            c, TableName.of("public", "absent"), PUBLICATION, null))
                    .hasMessageContaining("does not exist");
        }

        String role = "snap_reader_" + SEQUENCE.get();
        SnapshotTable described;
        try (Connection c = f.pg().connect(f.database())) {
            described = SnapshotCatalog.read(c, t, PUBLICATION, null);
        }
        SnapshotChunk all = new SnapshotChunk(t, 0, 1, null, null);
        String lostName;
        String exporterSlot;
        try (PgSlotManager exporter = f.exporter()) {
            CreatedSlot slot = f.export(exporter);
            lostName = slot.snapshotName();
            exporterSlot = slot.slotName();
            PgConnectionConfig asRole =
                    PgConnectionConfig.of(pg.host(), pg.port(), f.database(), role)
                            .withPassword("reader-pw");
            try (Connection c = PgConnections.openSql(asRole)) {
                assertThatThrownBy(() -> SnapshotCatalog.requireSelect(c, described))
                        .isInstanceOfSatisfying(
                                SnapshotException.class,
                                e ->
                                        assertThat(e.reason())
                                                .isEqualTo(SnapshotException.Reason.NO_PERMISSION))
                        .hasMessageContaining("may not SELECT from \"public\".\"t\"")
                        .hasMessageContaining("GRANT SELECT ON \"public\".\"t\" TO \"" + role);
            }
            try (ChunkReader reader = new ChunkReader(asRole)) {
                assertThatThrownBy(() -> reader.read(described, all, slot.snapshotName()))
                        .isInstanceOfSatisfying(
                                SnapshotException.class,
                                e ->
                                        assertThat(e.reason())
                                                .as(e.getMessage())
                                                .isEqualTo(SnapshotException.Reason.NO_PERMISSION))
                        .hasMessageContaining("GRANT SELECT ON \"public\".\"t\"");
            }
            try (ChunkReader reader = new ChunkReader(f.config())) {
                assertThat(reader.read(described, all, slot.snapshotName()).count()).isEqualTo(1);
            }
        }
        // The exporting connection closed: its snapshot is gone once its backend has exited, which
        // the server does after the client hung up (the temporary slot goes with it).
        try (Connection c = f.pg().connect(f.database())) {
            Await.until(
                    "the exporting backend has exited",
                    Duration.ofSeconds(30),
                    () -> {
                        try (Statement s = c.createStatement();
                                ResultSet rs =
                                        s.executeQuery(
                                                "SELECT count(*) FROM pg_replication_slots"
                                                        + " WHERE slot_name = '"
                                                        + exporterSlot
                                                        + "'")) {
                            rs.next();
                            return rs.getInt(1) == 0;
                        }
                    });
        }
        try (ChunkReader reader = new ChunkReader(f.config())) {
            assertThatThrownBy(() -> reader.read(described, all, lostName))
                    .isInstanceOfSatisfying(
                            SnapshotException.class,
                            e ->
                                    assertThat(e.reason())
                                            .as(e.getMessage())
                                            .isEqualTo(SnapshotException.Reason.SNAPSHOT_LOST));
        }
    }

    /**
     * A table without a key whose identity is not FULL can be snapshotted, but its changes cannot
     * follow unless its publication publishes no updates or deletes.
     */
    @Test
    void aKeylessTableWithoutFullIdentityCannotBeFollowedByItsChanges(PostgresServer pg)
            throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE log (n int, line text)",
                        "CREATE TABLE audit (n int, line text)",
                        "ALTER TABLE audit REPLICA IDENTITY FULL",
                        "CREATE PUBLICATION inserts_only FOR TABLE log WITH (publish = 'insert')");
        TableName log = TableName.of("public", "log");
        try (Connection c = f.pg().connect(f.database())) {
            SnapshotTable table = SnapshotCatalog.read(c, log, null, null);
            assertThat(table.chunkKey().isPhysical()).isTrue();
            assertThatThrownBy(() -> SnapshotCatalog.requireRowIdentity(c, table, PUBLICATION))
                    .isInstanceOfSatisfying(
                            SnapshotException.class,
                            e ->
                                    assertThat(e.reason())
                                            .isEqualTo(SnapshotException.Reason.NO_ROW_IDENTITY))
                    .hasMessageContaining("has no primary key or replica identity index")
                    .hasMessageContaining("ALTER TABLE \"public\".\"log\" REPLICA IDENTITY FULL");
            // A publication yet to be created publishes updates and deletes too.
            assertThatThrownBy(() -> SnapshotCatalog.requireRowIdentity(c, table, null))
                    .isInstanceOf(SnapshotException.class);
            SnapshotCatalog.requireRowIdentity(c, table, "inserts_only");
            SnapshotCatalog.requireRowIdentity(
                    c,
                    SnapshotCatalog.read(c, TableName.of("public", "audit"), null, null),
                    PUBLICATION);
            SnapshotCatalog.requireSelect(c, table);
        }
    }

    /** Nothing stays open: no transaction of the reader survives a chunk. */
    @Test
    void readersHoldNoTransactionBetweenChunks(PostgresServer pg) throws SQLException {
        Fixture f =
                Fixture.create(
                        pg,
                        "CREATE TABLE t (id int PRIMARY KEY)",
                        "INSERT INTO t SELECT generate_series(1, 10)");
        try (PgSlotManager exporter = f.exporter();
                ChunkReader reader = new ChunkReader(f.config());
                Connection c = pg.connect(f.database())) {
            CreatedSlot slot = f.export(exporter);
            SnapshotTable t =
                    SnapshotCatalog.read(c, TableName.of("public", "t"), PUBLICATION, null);
            reader.read(t, new SnapshotChunk(t.name(), 0, 1, null, null), slot.snapshotName());
            try (Statement s = c.createStatement();
                    ResultSet rs =
                            s.executeQuery(
                                    "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                                            + " current_database() AND state LIKE 'idle in"
                                            + " transaction%' AND pid <> pg_backend_pid()"
                                            + " AND backend_type = 'client backend'")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }
}
