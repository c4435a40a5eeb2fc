package io.pgwalstream.tools.drain;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.replication.PgConnectionConfig;
import io.pgwalstream.replication.PgConnections;
import io.pgwalstream.testing.postgres.PostgresServer;
import io.pgwalstream.testing.postgres.PostgresServers;
import io.pgwalstream.testing.postgres.PostgresVersion;

import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's objects in one database: table {@code bench} and its publication, a second
 * published table {@code bench_fence} that marks the end of the data, and one logical slot per run.
 *
 * <p>Order matters: the publication exists before the slots (pgoutput reads it with the historic
 * snapshot of the decoded WAL), and every slot exists before the data is written, so all runs
 * decode the same WAL.
 */
public final class BenchDatabase implements AutoCloseable {

    public static final String TABLE = "bench";
    static final String FENCE_TABLE = "bench_fence";
    public static final String PUBLICATION = "bench_pub";
    public static final String SLOT_PREFIX = "bench_";

    /**
     * An autovacuum or autoanalyze of the table commits a relcache invalidation; a walsender that
     * receives it mid-stream sends the Relation message once more. That depends on timing, so runs
     * would not receive identical streams. The benchmark measures the clients, not vacuum.
     */
    private static final String NO_AUTOVACUUM = " WITH (autovacuum_enabled = false)";

    private final PgConnectionConfig config;
    private final Connection sql;
    private final List<String> slots = new ArrayList<>();
    private boolean objectsCreated;
    private BenchTable shape = BenchTable.NARROW;

    private BenchDatabase(PgConnectionConfig config, Connection sql) {
        this.config = config;
        this.sql = sql;
    }

    public static BenchDatabase open(PgConnectionConfig config) throws SQLException {
        Connection c = PgConnections.openSql(config);
        c.setAutoCommit(true);
        return new BenchDatabase(config, c);
    }

    PgConnectionConfig config() {
        return config;
    }

    int serverVersionNum() throws SQLException {
        return Integer.parseInt(queryString("SHOW server_version_num"));
    }

    public String serverVersion() throws SQLException {
        return queryString("SHOW server_version");
    }

    /** The highest pgoutput proto_version the server accepts. */
    static int maxProtoVersion(int serverVersionNum) {
        if (serverVersionNum >= 160000) {
            return 4;
        }
        if (serverVersionNum >= 150000) {
            return 3;
        }
        return serverVersionNum >= 140000 ? 2 : 1;
    }

    /**
     * Sets {@code logical_decoding_work_mem} for new sessions on this database, walsenders
     * included. The harness configures 64kB so that tests really spill and stream; at that size
     * every 1000-row transaction would spill to disk, and the server would measure its disk, not
     * the clients.
     */
    public void setDecodingWorkMem(String value) throws SQLException {
        execute(
                "ALTER DATABASE "
                        + quoteIdent(config.database())
                        + " SET logical_decoding_work_mem = '"
                        + value.replace("'", "''")
                        + "'");
    }

    /** What a new logical walsender on this database runs with. */
    String walsenderSetting(String name) throws SQLException {
        PGConnection replication = PgConnections.openLogicalReplication(config);
        try (Connection c = (Connection) replication;
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public void createObjects(BenchTable shape) throws SQLException {
        if (exists("SELECT 1 FROM pg_class WHERE relname IN ('bench', 'bench_fence')")
                || exists("SELECT 1 FROM pg_publication WHERE pubname = 'bench_pub'")) {
            throw new IllegalStateException(
                    "Database '"
                            + config.database()
                            + "' already has a table bench/bench_fence or a publication"
                            + " bench_pub; use another --database");
        }
        if (exists("SELECT 1 FROM pg_replication_slots WHERE slot_name LIKE 'bench\\_%'")) {
            throw new IllegalStateException(
                    "Slots named bench_* exist on the server; drop them or use another server");
        }
        objectsCreated = true;
        this.shape = shape;
        execute(
                "CREATE TABLE " + TABLE + " (" + shape.postgresColumns() + ")" + NO_AUTOVACUUM,
                "CREATE TABLE " + FENCE_TABLE + " (id int)" + NO_AUTOVACUUM,
                "CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + TABLE + ", " + FENCE_TABLE);
    }

    /** Creates a pgoutput slot now, before the data, and returns its name. */
    String createSlot(String name) throws SQLException {
        String slot = SLOT_PREFIX + name;
        try (PreparedStatement s =
                sql.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            s.setString(1, slot);
            s.execute();
        }
        slots.add(slot);
        return slot;
    }

    /**
     * Inserts {@code rows} rows of the table's shape in transactions of {@code perTransaction} rows
     * (one INSERT … SELECT each, so one WAL insert record per row).
     */
    public void writeRows(long rows, int perTransaction) throws SQLException {
        try (PreparedStatement insert =
                sql.prepareStatement(
                        "INSERT INTO "
                                + TABLE
                                + " SELECT "
                                + shape.selectList()
                                + " FROM generate_series(?::bigint, ?::bigint) g")) {
            for (long first = 1; first <= rows; first += perTransaction) {
                insert.setLong(1, first);
                insert.setLong(2, Math.min(rows, first + perTransaction - 1));
                insert.executeUpdate();
            }
        }
    }

    /**
     * Updates rows 1 to {@code rows} (amount, s1 and ts; the key stays) in transactions of {@code
     * perTransaction} rows: one WAL update record, and one pgoutput Update, per row.
     */
    void updateRows(long rows, int perTransaction) throws SQLException {
        try (PreparedStatement update =
                sql.prepareStatement(
                        "UPDATE "
                                + TABLE
                                + " SET amount = -amount, s1 = s1 || '-v2',"
                                + " ts = ts + interval '1 day'"
                                + " WHERE id BETWEEN ? AND ?")) {
            for (long first = 1; first <= rows; first += perTransaction) {
                update.setLong(1, first);
                update.setLong(2, Math.min(rows, first + perTransaction - 1));
                update.executeUpdate();
            }
        }
    }

    /**
     * Ends the data: returns the WAL insert position after the last row (the {@code --endpos} of
     * every run), then writes a non-transactional logical message (not sent: the stream does not
     * ask for messages) and one row into the fence table. So WAL exists beyond the end position: a
     * walsender that decoded everything has a position past it for keepalives, and the fence's
     * Begin, the first thing sent after the data, starts strictly after it.
     */
    Lsn endData() throws SQLException {
        Lsn end = Lsn.parse(queryString("SELECT pg_current_wal_insert_lsn()::text"));
        execute(
                "SELECT pg_logical_emit_message(false, 'pgwalstream-bench', 'end')",
                "INSERT INTO " + FENCE_TABLE + " VALUES (1)");
        return end;
    }

    /** Drops a slot once its walsender has gone (it lingers briefly after the client leaves). */
    void dropSlot(String slot) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (PreparedStatement s =
                    sql.prepareStatement(
                            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                    + " WHERE slot_name = ?")) {
                s.setString(1, slot);
                s.execute();
                slots.remove(slot);
                return;
            } catch (SQLException e) {
                // 55006: the slot is still active
                if (!"55006".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    /**
     * {@code VACUUM ANALYZE} of the table, then a checkpoint: hint bits set, visibility map and
     * statistics current, no dirty pages left for a reader to find, so every run that reads the
     * table finds it alike.
     */
    public void vacuumAnalyze() throws SQLException {
        execute("VACUUM ANALYZE " + TABLE, "CHECKPOINT");
    }

    /** Rows of the table, counted by the server. */
    public long countRows() throws SQLException {
        return Long.parseLong(queryString("SELECT count(*) FROM " + TABLE));
    }

    /** Size of the table's heap, in bytes. */
    public long tableBytes() throws SQLException {
        return Long.parseLong(queryString("SELECT pg_relation_size('" + TABLE + "')"));
    }

    /**
     * Drops every slot whose name starts with {@code prefix} (e.g. those a contender created for
     * itself), once their walsenders have gone; returns how many.
     */
    public int dropSlotsStartingWith(String prefix) throws SQLException, InterruptedException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement s =
                sql.prepareStatement(
                        "SELECT slot_name FROM pg_replication_slots WHERE starts_with(slot_name,"
                                + " ?)")) {
            s.setString(1, prefix);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
        }
        for (String name : names) {
            dropSlot(name);
        }
        return names.size();
    }

    /**
     * A server to benchmark on: {@code host} if given (then the other arguments apply), otherwise
     * PostgreSQL {@code postgresMajor} started by the test harness, with a new database.
     */
    public static PgConnectionConfig connect(
            String host,
            int port,
            String database,
            String user,
            String password,
            int postgresMajor) {
        if (host != null) {
            return PgConnectionConfig.of(host, port, database, user).withPassword(password);
        }
        PostgresServer pg = PostgresServers.shared(PostgresVersion.ofMajor(postgresMajor));
        return PgConnectionConfig.of(
                pg.host(), pg.port(), pg.createDatabase("bench"), PostgresServer.SUPERUSER);
    }

    @Override
    public void close() {
        for (String slot : new ArrayList<>(slots)) {
            try {
                dropSlot(slot);
            } catch (SQLException | RuntimeException e) {
                System.err.println("Could not drop slot " + slot + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (objectsCreated) {
            try {
                execute(
                        "DROP PUBLICATION IF EXISTS " + PUBLICATION,
                        "DROP TABLE IF EXISTS " + TABLE + ", " + FENCE_TABLE);
            } catch (SQLException e) {
                System.err.println("Could not drop the benchmark tables: " + e.getMessage());
            }
        }
        try {
            sql.close();
        } catch (SQLException e) {
            // nothing left to do
        }
    }

    /** Runs each statement on this database's connection (auto-commit). */
    public void execute(String... statements) throws SQLException {
        try (Statement s = sql.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    /** Whether the query returns a row. */
    public boolean exists(String query) throws SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    /** The first column of the query's first row, as text. */
    public String queryString(String query) throws SQLException {
        try (Statement s = sql.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** A statement on this database's connection, for the caller to close. */
    public PreparedStatement prepare(String statement) throws SQLException {
        return sql.prepareStatement(statement);
    }

    static String quoteIdent(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
