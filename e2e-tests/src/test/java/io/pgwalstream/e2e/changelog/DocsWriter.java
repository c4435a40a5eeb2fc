package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.cluster.Waiting;
import io.pgwalstream.testing.postgres.PostgresServer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes random transactions into {@code docs (id int PRIMARY KEY, n int, body text, doc jsonb)} on
 * a background thread, with keys from 1 to {@code keys}: inserts with 8–20 KB values, updates that
 * leave both large values alone ({@code n = n + 1}, so pgoutput sends them as unchanged TOAST),
 * updates of {@code body} only and of {@code doc} only (the other one unchanged), key changes (both
 * unchanged, under a key the job has no state for) and deletes; one transaction in ten is rolled
 * back.
 *
 * <p>Like {@link AccountsWriter} it is no oracle: the case compares its mirror with the table. It
 * only knows which keys exist, to write statements that each change one row.
 */
public final class DocsWriter implements AutoCloseable {

    /**
     * 8 to 20 KB of md5 hex (250 to 625 digests): too random for pglz to compress below the TOAST
     * threshold, so PostgreSQL stores it out of line.
     */
    public static final String LARGE_TEXT =
            "(SELECT string_agg(md5(random()::text || i), '') FROM generate_series(1, 250 +"
                    + " (random() * 375)::int) i)";

    /** A jsonb document around a {@link #LARGE_TEXT}. */
    public static final String LARGE_DOC =
            "jsonb_build_object('body', " + LARGE_TEXT + ", 'at', clock_timestamp()::text)";

    private static final Logger LOG = LoggerFactory.getLogger(DocsWriter.class);

    private final Random random;
    private final int keys;
    private final Connection connection;
    private final ScheduledExecutorService thread;
    private final TreeSet<Integer> present = new TreeSet<>();
    private final Map<String, Integer> operations = new TreeMap<>();
    private int committed;
    private int rolledBack;
    private volatile Throwable failure;

    private DocsWriter(PostgresServer server, String database, long seed, int keys, int preloaded)
            throws SQLException {
        this.random = new Random(seed);
        this.keys = keys;
        this.connection = server.connect(database);
        connection.setAutoCommit(false);
        for (int id = 1; id <= preloaded; id++) {
            present.add(id);
        }
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "docs-writer");
                            t.setDaemon(true);
                            return t;
                        });
    }

    /**
     * Starts writing one transaction every {@code period}.
     *
     * @param keys the largest key; inserts and key changes pick keys from 1 to {@code keys}
     * @param preloaded the table holds the keys 1 to {@code preloaded}
     */
    public static DocsWriter start(
            PostgresServer server,
            String database,
            long seed,
            int keys,
            int preloaded,
            Duration period)
            throws SQLException {
        DocsWriter writer = new DocsWriter(server, database, seed, keys, preloaded);
        writer.thread.scheduleAtFixedRate(
                writer::writeOneTransaction, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeOneTransaction() {
        if (failure != null) {
            return;
        }
        TreeSet<Integer> before = new TreeSet<>(present);
        try (Statement statement = connection.createStatement()) {
            List<String> done = new ArrayList<>();
            int statements = 1 + random.nextInt(3);
            for (int i = 0; i < statements; i++) {
                done.add(writeOneChange(statement));
            }
            if (random.nextInt(10) == 0) {
                connection.rollback();
                present.clear();
                present.addAll(before);
                synchronized (this) {
                    rolledBack++;
                }
                return;
            }
            connection.commit();
            synchronized (this) {
                committed++;
                done.forEach(op -> operations.merge(op, 1, Integer::sum));
            }
        } catch (Throwable t) {
            LOG.error("The docs writer failed", t);
            failure = t;
        }
    }

    /** One statement that changes one row, keeping {@link #present} in step; returns its kind. */
    private String writeOneChange(Statement statement) throws SQLException {
        int id = 1 + random.nextInt(keys);
        if (!present.contains(id)) {
            execute(
                    statement,
                    "INSERT INTO docs VALUES ("
                            + id
                            + ", 0, "
                            + LARGE_TEXT
                            + ", "
                            + LARGE_DOC
                            + ")");
            present.add(id);
            return "insert";
        }
        int choice = random.nextInt(12);
        if (choice < 5) {
            execute(statement, "UPDATE docs SET n = n + 1 WHERE id = " + id);
            return "update-small";
        }
        if (choice < 7) {
            execute(statement, "UPDATE docs SET body = " + LARGE_TEXT + " WHERE id = " + id);
            return "update-body";
        }
        if (choice < 8) {
            execute(statement, "UPDATE docs SET doc = " + LARGE_DOC + " WHERE id = " + id);
            return "update-doc";
        }
        if (choice < 10) {
            int to = 1 + random.nextInt(keys);
            if (!present.contains(to)) {
                execute(statement, "UPDATE docs SET id = " + to + " WHERE id = " + id);
                present.remove(id);
                present.add(to);
                return "key-change";
            }
        }
        execute(statement, "DELETE FROM docs WHERE id = " + id);
        present.remove(id);
        return "delete";
    }

    private static void execute(Statement statement, String sql) throws SQLException {
        if (statement.executeUpdate(sql) != 1) {
            throw new IllegalStateException("Not exactly one row changed by: " + sql);
        }
    }

    public synchronized int committedTransactions() {
        return committed;
    }

    public synchronized int rolledBackTransactions() {
        return rolledBack;
    }

    /**
     * Committed statements by kind: insert, update-small (both large values unchanged),
     * update-body, update-doc, key-change, delete.
     */
    public synchronized Map<String, Integer> committedOperations() {
        return Map.copyOf(operations);
    }

    /** Waits until {@code more} transactions beyond the current count are committed. */
    public void awaitMoreTransactions(int more, Duration timeout) throws TimeoutException {
        int target = committedTransactions() + more;
        Waiting.until(
                target + " committed transactions",
                timeout,
                () -> {
                    checkHealthy();
                    return committedTransactions() >= target;
                },
                () -> committedTransactions() + " committed");
    }

    /** Stops writing (the transaction under way completes first). */
    public void stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The docs writer did not stop");
        }
        close();
        checkHealthy();
        LOG.info(
                "Committed {} transactions ({}), rolled back {}",
                committedTransactions(),
                committedOperations(),
                rolledBackTransactions());
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("The docs writer failed", failure);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the writer's connection: {}", e.getMessage());
        }
    }
}
