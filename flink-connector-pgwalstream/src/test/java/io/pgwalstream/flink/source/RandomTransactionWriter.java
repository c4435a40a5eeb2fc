package io.pgwalstream.flink.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Commits random transactions to {@code items (id int PRIMARY KEY, v text)} and keeps the change
 * history they commit, per key, in the form {@link RowTextDeserializer} prints. Kinds: small
 * commits, rollbacks, aborted subtransactions (ROLLBACK TO SAVEPOINT), two-phase commits and
 * rollbacks, and transactions larger than {@code logical_decoding_work_mem} (streamed) — committed,
 * rolled back, prepared, or with an aborted subtransaction.
 *
 * <p>One connection, one transaction at a time: commit order is the order of this writer.
 */
final class RandomTransactionWriter {

    /** Small transactions work on this key range, so updates and deletes hit existing rows. */
    private static final int SMALL_KEYS = 2_000;

    private static final int LARGE_ROWS = 200;
    private static final int LARGE_PAD = 400;

    private final Random random;
    private final Map<Integer, String> committed = new HashMap<>();
    private final Map<Integer, List<String>> history = new LinkedHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private long events;
    private int nextLargeKey = 1_000_000;

    RandomTransactionWriter(long seed) {
        this.random = new Random(seed);
    }

    /** Transactions finished so far (committed or not); readable from any thread. */
    long transactions() {
        return transactions.get();
    }

    /** Committed change events so far. */
    long events() {
        return events;
    }

    /** Committed changes per key, in commit order. */
    Map<Integer, List<String>> history() {
        return history;
    }

    /** Runs {@code count} transactions, calling {@code beforeEach} with each one's number. */
    void run(Connection sql, int count, TransactionHook beforeEach)
            throws SQLException, InterruptedException {
        try (Statement s = sql.createStatement()) {
            for (int i = 0; i < count; i++) {
                beforeEach.before(i);
                one(s, i);
                transactions.incrementAndGet();
            }
        }
    }

    private void one(Statement s, int n) throws SQLException {
        Transaction tx = new Transaction(n);
        int kind = random.nextInt(1000);
        if (kind < 10) {
            // Large and committed: streamed in segments, then Stream Commit.
            tx.large();
            tx.sql.add("COMMIT");
            execute(s, tx);
            tx.commit();
        } else if (kind < 15) {
            tx.large();
            tx.sql.add("ROLLBACK");
            execute(s, tx);
        } else if (kind < 20) {
            // Large with an aborted subtransaction: the streamed subxact is aborted on its own.
            tx.large();
            tx.sql.add("SAVEPOINT big");
            tx.mark();
            tx.large();
            tx.sql.add("ROLLBACK TO SAVEPOINT big");
            tx.rollbackToMark();
            tx.small(1 + random.nextInt(3));
            tx.sql.add("COMMIT");
            execute(s, tx);
            tx.commit();
        } else if (kind < 25) {
            // Large and two-phase: Stream Prepare, then Commit Prepared.
            tx.large();
            prepareAndFinish(s, tx, true);
        } else if (kind < 80) {
            tx.small(1 + random.nextInt(5));
            prepareAndFinish(s, tx, random.nextInt(4) != 0);
        } else if (kind < 160) {
            tx.small(1 + random.nextInt(5));
            tx.sql.add("ROLLBACK");
            execute(s, tx);
        } else if (kind < 300) {
            tx.small(1 + random.nextInt(3));
            tx.sql.add("SAVEPOINT a");
            tx.mark();
            tx.small(1 + random.nextInt(3));
            tx.sql.add("ROLLBACK TO SAVEPOINT a");
            tx.rollbackToMark();
            tx.small(random.nextInt(3));
            tx.sql.add("COMMIT");
            execute(s, tx);
            tx.commit();
        } else {
            tx.small(1 + random.nextInt(5));
            tx.sql.add("COMMIT");
            execute(s, tx);
            tx.commit();
        }
    }

    private void prepareAndFinish(Statement s, Transaction tx, boolean commit) throws SQLException {
        String gid = "walstream_gid_" + tx.number;
        tx.sql.add("PREPARE TRANSACTION '" + gid + "'");
        execute(s, tx);
        s.execute((commit ? "COMMIT PREPARED '" : "ROLLBACK PREPARED '") + gid + "'");
        if (commit) {
            tx.commit();
        }
    }

    private static void execute(Statement s, Transaction tx) throws SQLException {
        s.execute(String.join(";\n", tx.sql));
    }

    /** Lets a test hold the writer at chosen points. */
    interface TransactionHook {
        void before(int transaction) throws InterruptedException;
    }

    /** A savepoint: the transaction's view of the rows and its change count when it was set. */
    private record Mark(Map<Integer, Optional<String>> overlay, int changes) {}

    /** One transaction's statements and the changes they make, with one savepoint level. */
    private final class Transaction {
        final int number;
        final List<String> sql = new ArrayList<>();
        final Map<Integer, Optional<String>> overlay = new HashMap<>();
        final List<Map.Entry<Integer, String>> changes = new ArrayList<>();
        final Deque<Mark> marks = new ArrayDeque<>();
        int op;

        Transaction(int number) {
            this.number = number;
            sql.add("BEGIN");
        }

        Optional<String> current(int key) {
            Optional<String> local = overlay.get(key);
            return local != null ? local : Optional.ofNullable(committed.get(key));
        }

        void small(int ops) {
            for (int i = 0; i < ops; i++) {
                int key = 1 + random.nextInt(SMALL_KEYS);
                String value = "t" + number + "_" + (op++);
                if (current(key).isEmpty()) {
                    sql.add("INSERT INTO items VALUES (" + key + ", '" + value + "')");
                    change(key, Optional.of(value), "+I items " + key + " " + value);
                } else if (random.nextBoolean()) {
                    sql.add("UPDATE items SET v = '" + value + "' WHERE id = " + key);
                    change(key, Optional.of(value), "+U items " + key + " " + value);
                } else {
                    sql.add("DELETE FROM items WHERE id = " + key);
                    change(key, Optional.empty(), "-D items " + key);
                }
            }
        }

        /** More rows than logical_decoding_work_mem (64kB in the harness) holds. */
        void large() {
            int first = nextLargeKey;
            int last = first + LARGE_ROWS - 1;
            nextLargeKey = last + 1;
            String prefix = "L" + number + "_";
            sql.add(
                    "INSERT INTO items SELECT g, '"
                            + prefix
                            + "' || g || repeat('x', "
                            + LARGE_PAD
                            + ") FROM generate_series("
                            + first
                            + ", "
                            + last
                            + ") g");
            String pad = "x".repeat(LARGE_PAD);
            for (int key = first; key <= last; key++) {
                String value = prefix + key + pad;
                change(key, Optional.of(value), "+I items " + key + " " + value);
            }
        }

        void change(int key, Optional<String> value, String event) {
            overlay.put(key, value);
            changes.add(Map.entry(key, event));
        }

        void mark() {
            marks.push(new Mark(new HashMap<>(overlay), changes.size()));
        }

        void rollbackToMark() {
            Mark mark = marks.pop();
            overlay.clear();
            overlay.putAll(mark.overlay());
            changes.subList(mark.changes(), changes.size()).clear();
        }

        void commit() {
            overlay.forEach(
                    (key, value) -> {
                        if (value.isPresent()) {
                            committed.put(key, value.get());
                        } else {
                            committed.remove(key);
                        }
                    });
            for (Map.Entry<Integer, String> c : changes) {
                history.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(c.getValue());
                events++;
            }
        }
    }
}
