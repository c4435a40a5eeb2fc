package io.pgwalstream.e2e.changelog;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The committed content of the SQL case's filesystem sink ({@code debezium-json} lines, one per
 * changelog row) checked against the writer's committed transactions.
 *
 * <p>The sink's files carry no order, so the check does not rely on one. Every row of the history
 * is distinct ({@link RowChange}), which makes "lost" and "duplicated" plain counts; the order
 * comes from the metadata: all rows of a transaction must carry one commit LSN and one xid, and the
 * LSNs must rise with the writer's commit order (one writer, one connection: commit order is LSN
 * order).
 */
public final class SqlChangelogOutput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 5;

    private final List<SinkRow> rows;
    private final int files;

    private SqlChangelogOutput(List<SinkRow> rows, int files) {
        this.rows = rows;
        this.files = files;
    }

    /** Reads the committed files under {@code directory} ({@link CommittedFiles}). */
    public static SqlChangelogOutput read(Path directory) {
        List<Path> files = CommittedFiles.list(directory);
        List<SinkRow> rows = new ArrayList<>();
        for (Path file : files) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        rows.add(SinkRow.fromDebeziumJson(JSON.readTree(line)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the sink's file " + file, e);
            }
        }
        return new SqlChangelogOutput(rows, files.size());
    }

    /** How many rows the committed files hold. */
    public int rows() {
        return rows.size();
    }

    /** How many rows a pg-walstream table emits for these transactions. */
    public static int rowCount(List<List<Change>> transactions) {
        return (int)
                transactions.stream()
                        .flatMap(List::stream)
                        .mapToLong(c -> RowChange.of(c).size())
                        .sum();
    }

    /** Every row of every committed transaction exactly once, with its transaction's position. */
    public void assertEqualTo(List<List<Change>> transactions) {
        List<String> problems = problems(transactions, true);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "The sink is not the source's change history, exactly once ("
                            + this
                            + ", "
                            + rowCount(transactions)
                            + " rows expected):\n  "
                            + String.join("\n  ", problems));
        }
    }

    /**
     * Per table, a gap-free prefix of its rows in commit order, each once, with its transaction's
     * position: what a stopped (or still running) job must have committed.
     *
     * @return how many rows of each table were delivered
     */
    public Map<String, Integer> assertPrefixOf(List<List<Change>> transactions) {
        List<String> problems = problems(transactions, false);
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "The sink is not a prefix of the source's change history ("
                            + this
                            + "):\n  "
                            + String.join("\n  ", problems));
        }
        Map<String, Integer> delivered = new TreeMap<>();
        rows.forEach(r -> delivered.merge(r.row().table(), 1, Integer::sum));
        return delivered;
    }

    private List<String> problems(List<List<Change>> transactions, boolean complete) {
        Map<RowChange, Integer> transactionOf = new HashMap<>();
        Map<String, List<RowChange>> expectedByTable = new TreeMap<>();
        for (int t = 0; t < transactions.size(); t++) {
            for (Change change : transactions.get(t)) {
                for (RowChange row : RowChange.of(change)) {
                    if (transactionOf.put(row, t) != null) {
                        throw new IllegalStateException(
                                "The history repeats " + row + ": the check needs distinct rows");
                    }
                    expectedByTable.computeIfAbsent(row.table(), k -> new ArrayList<>()).add(row);
                }
            }
        }

        Map<RowChange, Integer> counts = new LinkedHashMap<>();
        rows.forEach(r -> counts.merge(r.row(), 1, Integer::sum));
        List<String> problems = new ArrayList<>();
        List<RowChange> unexpected =
                counts.keySet().stream().filter(r -> !transactionOf.containsKey(r)).toList();
        if (!unexpected.isEmpty()) {
            problems.add(unexpected.size() + " unexpected rows, first " + first(unexpected));
        }
        List<RowChange> duplicated =
                counts.entrySet().stream()
                        .filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey)
                        .toList();
        if (!duplicated.isEmpty()) {
            int extra = duplicated.stream().mapToInt(r -> counts.get(r) - 1).sum();
            problems.add(extra + " duplicated rows, first " + first(duplicated));
        }
        expectedByTable.forEach(
                (table, expected) -> {
                    Set<RowChange> delivered = new LinkedHashSet<>();
                    expected.stream().filter(counts::containsKey).forEach(delivered::add);
                    int end = complete ? expected.size() : delivered.size();
                    List<RowChange> lost =
                            expected.subList(0, end).stream()
                                    .filter(r -> !counts.containsKey(r))
                                    .toList();
                    if (!lost.isEmpty()) {
                        problems.add(
                                table
                                        + ": "
                                        + lost.size()
                                        + " of "
                                        + expected.size()
                                        + " rows lost"
                                        + (complete ? "" : " before the last delivered one")
                                        + ", first "
                                        + first(lost));
                    }
                });
        problems.addAll(positionProblems(transactionOf));
        return problems;
    }

    /** One commit LSN and xid per transaction, rising in commit order. */
    private List<String> positionProblems(Map<RowChange, Integer> transactionOf) {
        Map<Integer, Set<String>> positions = new TreeMap<>();
        Map<Integer, Long> lsns = new TreeMap<>();
        for (SinkRow row : rows) {
            Integer t = transactionOf.get(row.row());
            if (t != null) {
                positions
                        .computeIfAbsent(t, k -> new LinkedHashSet<>())
                        .add(row.lsn() + " xid " + row.xid());
                lsns.put(t, row.lsnValue());
            }
        }
        List<String> problems = new ArrayList<>();
        positions.forEach(
                (t, seen) -> {
                    if (seen.size() > 1) {
                        problems.add(
                                "transaction #" + t + " has rows at several positions: " + seen);
                    }
                });
        int previous = -1;
        for (Map.Entry<Integer, Long> entry : lsns.entrySet()) {
            if (previous >= 0 && Long.compareUnsigned(lsns.get(previous), entry.getValue()) >= 0) {
                problems.add(
                        "transaction #"
                                + entry.getKey()
                                + " at "
                                + positions.get(entry.getKey())
                                + " does not come after transaction #"
                                + previous
                                + " at "
                                + positions.get(previous));
            }
            previous = entry.getKey();
        }
        return problems;
    }

    private static List<RowChange> first(List<RowChange> rows) {
        return rows.stream().limit(SHOWN).toList();
    }

    @Override
    public String toString() {
        return rows.size() + " rows in " + files + " files";
    }
}
