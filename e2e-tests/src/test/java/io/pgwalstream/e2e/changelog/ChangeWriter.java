package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.cluster.Waiting;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes transactions into a {@link ChangelogDatabase} at a steady pace on a background thread,
 * while the test kills TaskManagers or stops and resumes the job, and remembers exactly which
 * changes it committed, in commit order: the source's change history the job's output must equal.
 *
 * <p>Each transaction inserts, updates and deletes 1–3 rows of one table, or of every table (one
 * transaction, several slot groups); every tenth is rolled back and must not appear. One thread and
 * one connection, so the commit order is the order of {@link #committed()}.
 */
public final class ChangeWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChangeWriter.class);

    private final ChangelogDatabase db;
    private final Random random;
    private final Connection connection;
    private final ScheduledExecutorService thread;
    private final Map<String, TreeMap<Integer, String>> rows = new HashMap<>();
    private final List<Change> committed = new ArrayList<>();
    private final List<List<Change>> transactions = new ArrayList<>();
    private int committedTransactions;
    private int rolledBackTransactions;
    private int nextId = 1;
    private volatile Throwable failure;

    private ChangeWriter(ChangelogDatabase db, long seed) throws SQLException {
        this.db = db;
        this.random = new Random(seed);
        this.connection = db.connect();
        connection.setAutoCommit(false);
        db.tables().forEach(table -> rows.put(table, new TreeMap<>()));
        this.thread =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "change-writer-" + db.name());
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts writing one transaction every {@code period}. */
    public static ChangeWriter start(ChangelogDatabase db, long seed, Duration period)
            throws SQLException {
        ChangeWriter writer = new ChangeWriter(db, seed);
        writer.thread.scheduleAtFixedRate(
                writer::writeOneTransaction, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return writer;
    }

    private void writeOneTransaction() {
        if (failure != null) {
            return;
        }
        try {
            int number = committedTransactions + rolledBackTransactions + 1;
            List<String> tables =
                    number % 7 == 0
                            ? db.tables()
                            : List.of(db.tables().get(random.nextInt(db.tables().size())));
            Map<String, TreeMap<Integer, String>> after = new HashMap<>();
            List<Change> changes = new ArrayList<>();
            int op = 0;
            for (String table : tables) {
                TreeMap<Integer, String> live = new TreeMap<>(rows.get(table));
                int ops = 1 + random.nextInt(3);
                for (int i = 0; i < ops; i++) {
                    changes.add(writeOneChange(table, live, "t" + number + "." + ++op));
                }
                after.put(table, live);
            }
            if (number % 10 == 0) {
                connection.rollback();
                rolledBackTransactions++;
                return;
            }
            connection.commit();
            synchronized (this) {
                rows.putAll(after);
                committed.addAll(changes);
                transactions.add(List.copyOf(changes));
                committedTransactions++;
            }
        } catch (Throwable t) {
            LOG.error("The change writer failed", t);
            failure = t;
        }
    }

    /** An insert when the table is (almost) empty or by chance, else an update or a delete. */
    private Change writeOneChange(String table, TreeMap<Integer, String> live, String value)
            throws SQLException {
        int choice = live.size() < 3 ? 0 : random.nextInt(4);
        if (choice <= 1) {
            int id = nextId++;
            execute("INSERT INTO " + table + " (id, v) VALUES (?, ?)", id, value);
            live.put(id, value);
            return Change.insert(table, id, value);
        }
        int id = randomKey(live);
        String before = live.get(id);
        if (choice == 2) {
            execute("UPDATE " + table + " SET v = ? WHERE id = ?", value, id);
            live.put(id, value);
            return Change.update(table, id, before, value);
        }
        execute("DELETE FROM " + table + " WHERE id = ?", id);
        live.remove(id);
        return Change.delete(table, id, before);
    }

    private int randomKey(TreeMap<Integer, String> live) {
        int first = live.firstKey();
        return live.ceilingKey(first + random.nextInt(live.lastKey() - first + 1));
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("Not exactly one row changed by: " + sql);
            }
        }
    }

    /** How many transactions were committed so far. */
    public synchronized int committedTransactions() {
        return committedTransactions;
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

    /** Stops writing and returns every committed change in commit order. */
    public List<Change> stop() throws InterruptedException {
        thread.shutdown();
        if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The change writer did not stop");
        }
        close();
        checkHealthy();
        LOG.info(
                "Wrote {} changes in {} committed transactions ({} rolled back)",
                committed().size(),
                committedTransactions(),
                rolledBackTransactions);
        return committed();
    }

    public synchronized List<Change> committed() {
        return List.copyOf(committed);
    }

    /** The committed changes grouped by transaction, in commit order. */
    public synchronized List<List<Change>> transactions() {
        return List.copyOf(transactions);
    }

    private void checkHealthy() {
        if (failure != null) {
            throw new IllegalStateException("The change writer failed", failure);
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
