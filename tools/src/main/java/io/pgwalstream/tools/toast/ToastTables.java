package io.pgwalstream.tools.toast;

import io.pgwalstream.tools.drain.BenchDatabase;
import io.pgwalstream.tools.toast.ToastRun.Contender;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The two tables of the TOAST benchmark, one per {@link Contender}, of the same shape and rows:
 * {@code (id bigint primary key, n int, note text, big text)}, where {@code big} is {@link
 * #BIG_BYTES} of md5 hex — incompressible enough that PostgreSQL stores it out of line,
 * uncompressed — and every update changes {@code n} only. {@code toast_fill} keeps REPLICA IDENTITY
 * DEFAULT, {@code toast_full} has FULL; each has a publication of its own, so a slot decodes only
 * its table's changes.
 */
final class ToastTables implements AutoCloseable {

    /** Length of every {@code big} value: 128 md5 hex digests. */
    static final int BIG_BYTES = 128 * 32;

    /** A new random value per row (random() is volatile, so the subquery runs for every row). */
    private static final String BIG_VALUE =
            "(SELECT string_agg(md5(random()::text || g || i), '') FROM generate_series(1, "
                    + BIG_BYTES / 32
                    + ") i)";

    /**
     * No autovacuum: the benchmark measures what an update writes and how it is streamed, the same
     * for every run; an autovacuum in the middle of one would write WAL of its own.
     */
    private static final String NO_AUTOVACUUM = " WITH (autovacuum_enabled = false)";

    private final BenchDatabase db;
    private boolean created;

    /** The tables in {@code db}'s database, through its connection. */
    ToastTables(BenchDatabase db) {
        this.db = db;
    }

    /**
     * Creates both tables and their publications and fills them with rows 1 to {@code rows}, the
     * same values in both; then {@code VACUUM ANALYZE} and a checkpoint.
     */
    void create(long rows) throws SQLException {
        for (Contender c : Contender.values()) {
            if (db.exists("SELECT 1 FROM pg_class WHERE relname = '" + c.table + "'")
                    || db.exists(
                            "SELECT 1 FROM pg_publication WHERE pubname = '"
                                    + c.publication()
                                    + "'")) {
                throw new IllegalStateException(
                        "The database already has a table "
                                + c.table
                                + " or a publication "
                                + c.publication()
                                + "; use another --database");
            }
        }
        created = true;
        for (Contender c : Contender.values()) {
            db.execute(
                    "CREATE TABLE "
                            + c.table
                            + " (id bigint PRIMARY KEY, n int NOT NULL, note text, big text)"
                            + NO_AUTOVACUUM,
                    "ALTER TABLE " + c.table + " REPLICA IDENTITY " + c.replicaIdentity,
                    "CREATE PUBLICATION " + c.publication() + " FOR TABLE " + c.table);
        }
        try (PreparedStatement insert =
                db.prepare(
                        "INSERT INTO "
                                + Contender.FILL.table
                                + " SELECT g, 0, 'row ' || g, "
                                + BIG_VALUE
                                + " FROM generate_series(?::bigint, ?::bigint) g")) {
            for (long first = 1; first <= rows; first += 10_000) {
                insert.setLong(1, first);
                insert.setLong(2, Math.min(rows, first + 9_999));
                insert.executeUpdate();
            }
        }
        db.execute(
                "INSERT INTO " + Contender.FULL.table + " SELECT * FROM " + Contender.FILL.table,
                "VACUUM ANALYZE " + Contender.FILL.table,
                "VACUUM ANALYZE " + Contender.FULL.table,
                "CHECKPOINT");
    }

    long countRows(Contender c) throws SQLException {
        return queryLong("SELECT count(*) FROM " + c.table);
    }

    /** Size of the table's TOAST relation in bytes: where the {@code big} values are. */
    long toastBytes(Contender c) throws SQLException {
        return queryLong(
                "SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE relname = '"
                        + c.table
                        + "'");
    }

    /** Size of the table's heap in bytes. */
    long heapBytes(Contender c) throws SQLException {
        return queryLong("SELECT pg_relation_size('" + c.table + "')");
    }

    /** How many rows' {@code big} values are {@link #BIG_BYTES} long. */
    long fullLengthValues(Contender c) throws SQLException {
        return queryLong(
                "SELECT count(*) FROM " + c.table + " WHERE octet_length(big) = " + BIG_BYTES);
    }

    /** The table's REPLICA IDENTITY as {@code pg_class.relreplident} has it (d, f, …). */
    String replicaIdentity(Contender c) throws SQLException {
        return db.queryString(
                "SELECT relreplident::text FROM pg_class WHERE relname = '" + c.table + "'");
    }

    /** One update of row 1's {@code n}: proves a running job streams (after its snapshot). */
    void touchFirstRow(Contender c) throws SQLException {
        db.execute("UPDATE " + c.table + " SET n = n + 1 WHERE id = 1");
    }

    /**
     * {@code updates} row updates of {@code n} (the key, {@code note} and {@code big} stay), in
     * transactions of {@code perTransaction} consecutive keys that go round the table as often as
     * needed; returns how many rows they updated.
     */
    long update(Contender c, long rows, long updates, int perTransaction) throws SQLException {
        long updated = 0;
        try (PreparedStatement update =
                db.prepare("UPDATE " + c.table + " SET n = n + 1 WHERE id BETWEEN ? AND ?")) {
            long first = 1;
            while (updated < updates) {
                long last = Math.min(rows, first + Math.min(perTransaction, updates - updated) - 1);
                update.setLong(1, first);
                update.setLong(2, last);
                updated += update.executeUpdate();
                first = last == rows ? 1 : last + 1;
            }
        }
        return updated;
    }

    /** {@code CHECKPOINT}: each run's updates start on a clean buffer cache and WAL segment. */
    void checkpoint() throws SQLException {
        db.execute("CHECKPOINT");
    }

    /** The server's current WAL write position as a byte offset. */
    long currentWalBytes() throws SQLException {
        return queryLong("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");
    }

    /** Drops the tables and publications if {@link #create} made them. */
    @Override
    public void close() {
        if (!created) {
            return;
        }
        try {
            for (Contender c : Contender.values()) {
                db.execute(
                        "DROP PUBLICATION IF EXISTS " + c.publication(),
                        "DROP TABLE IF EXISTS " + c.table);
            }
        } catch (SQLException e) {
            System.err.println("Could not drop the TOAST benchmark tables: " + e.getMessage());
        }
    }

    private long queryLong(String query) throws SQLException {
        return Long.parseLong(db.queryString(query));
    }
}
