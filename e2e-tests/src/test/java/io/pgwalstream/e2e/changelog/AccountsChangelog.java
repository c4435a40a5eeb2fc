package io.pgwalstream.e2e.changelog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The committed content of a filesystem sink ({@code debezium-json}) of an {@code accounts(id,
 * version)} table read with {@code 'scan.startup.mode' = 'initial'}: the columns {@code id}, {@code
 * version}, {@code from_snapshot}, {@code row_kind}, {@code lsn} and {@code xid}, one line per
 * changelog row. {@link #replay()} applies it to an empty table, strictly in order, and says where
 * it does not fit PostgreSQL's rules for the writer's statements.
 *
 * <p>The order is rebuilt from the rows: by LSN (the snapshot's rows carry the snapshot's LSN,
 * every change its commit's LSN, and one writer's commits rise), snapshot rows before changes at
 * the same LSN, and within a transaction by the sink's own order: one source reader emits a slot
 * group's stream, into the sink subtask of the same index, whose part files {@code
 * <prefix>-<subtask>-<n>} are numbered as written.
 */
public final class AccountsChangelog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PART_FILE = Pattern.compile(".*-(\\d+)-(\\d+)(\\.[^-]*)?");
    private static final int SHOWN = 10;

    /** One changelog row and where the sink put it. */
    public record Row(
            String kind,
            int id,
            int version,
            boolean fromSnapshot,
            String lsn,
            long xid,
            int subtask,
            long part,
            int line) {

        /** The LSN as a number: {@code X/Y} is {@code X << 32 | Y}. */
        public long lsnValue() {
            int slash = lsn.indexOf('/');
            if (slash < 0) {
                throw new IllegalArgumentException("Not an LSN: " + lsn);
            }
            return Long.parseLong(lsn.substring(0, slash), 16) << 32
                    | Long.parseLong(lsn.substring(slash + 1), 16);
        }

        @Override
        public String toString() {
            return kind
                    + "("
                    + id
                    + " v"
                    + version
                    + (fromSnapshot ? " snapshot" : "")
                    + " @"
                    + lsn
                    + " xid "
                    + xid
                    + ", part "
                    + subtask
                    + "-"
                    + part
                    + ":"
                    + line
                    + ")";
        }
    }

    /** Changelog order: LSN, snapshot rows first, then as the sink wrote them. */
    private static final Comparator<Row> ORDER =
            Comparator.<Row>comparingLong(r -> r.lsnValue() ^ Long.MIN_VALUE)
                    .thenComparing(r -> !r.fromSnapshot())
                    .thenComparingInt(Row::subtask)
                    .thenComparingLong(Row::part)
                    .thenComparingInt(Row::line);

    private final List<Row> rows;
    private final int files;

    private AccountsChangelog(List<Row> rows, int files) {
        this.rows = rows;
        this.files = files;
    }

    /** Reads the committed files under {@code directory}. */
    public static AccountsChangelog read(Path directory) {
        List<Path> files = CommittedFiles.list(directory);
        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            Matcher name = PART_FILE.matcher(file.getFileName().toString());
            if (!name.matches()) {
                throw new IllegalStateException(
                        "Not a part file <prefix>-<subtask>-<counter>: " + file);
            }
            int subtask = Integer.parseInt(name.group(1));
            long part = Long.parseLong(name.group(2));
            try {
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (!lines.get(i).isBlank()) {
                        rows.add(parse(JSON.readTree(lines.get(i)), subtask, part, i));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the sink's file " + file, e);
            }
        }
        rows.sort(ORDER);
        return new AccountsChangelog(List.copyOf(rows), files.size());
    }

    /**
     * {@code +I} and {@code +U} rows are written as "after", {@code -U} and {@code -D} as "before".
     */
    private static Row parse(JsonNode line, int subtask, long part, int index) {
        JsonNode row = line.path("after").isObject() ? line.path("after") : line.path("before");
        if (!row.isObject()) {
            throw new IllegalArgumentException("Neither 'after' nor 'before' in: " + line);
        }
        String kind = row.path("row_kind").asText();
        boolean inAfter = line.path("after").isObject();
        if (inAfter != (kind.equals("+I") || kind.equals("+U"))) {
            throw new IllegalArgumentException("A " + kind + " row in the wrong image: " + line);
        }
        return new Row(
                kind,
                row.path("id").asInt(),
                row.path("version").asInt(),
                row.path("from_snapshot").asBoolean(),
                row.path("lsn").asText(),
                row.path("xid").asLong(),
                subtask,
                part,
                index);
    }

    public List<Row> rows() {
        return rows;
    }

    public long snapshotRows() {
        return rows.stream().filter(Row::fromSnapshot).count();
    }

    /** The LSNs the snapshot rows carry: one, unless the snapshot had to be exported again. */
    public Set<String> snapshotLsns() {
        Set<String> lsns = new LinkedHashSet<>();
        rows.stream().filter(Row::fromSnapshot).forEach(r -> lsns.add(r.lsn()));
        return lsns;
    }

    /** Whether a streamed (not snapshot) insert of {@code id} is there. */
    public boolean hasStreamedInsert(int id) {
        return rows.stream()
                .anyMatch(r -> !r.fromSnapshot() && r.kind().equals("+I") && r.id() == id);
    }

    /** The distinct transactions ({@code lsn}, {@code xid}) of the streamed rows. */
    public int streamedTransactions() {
        Set<String> transactions = new LinkedHashSet<>();
        rows.stream()
                .filter(r -> !r.fromSnapshot())
                .forEach(r -> transactions.add(r.lsn() + "/" + r.xid()));
        return transactions.size();
    }

    /**
     * Applies the rows in order to an empty table: a snapshot row or an insert needs a free key; an
     * update ({@code -U} then {@code +U}, one transaction) or a delete of key k needs k present at
     * exactly the version its old row names; an update raises the version by one, and one that
     * moves the key frees the old key and takes the new one. Every key's snapshot row at most once.
     */
    public Replay replay() {
        Map<Integer, Integer> state = new HashMap<>();
        Map<Integer, Integer> snapshotted = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> counts = new TreeMap<>();
        int[] problemCount = {0};
        Row before = null;
        for (Row row : rows) {
            List<String> wrong = new ArrayList<>();
            if (before != null && !row.kind().equals("+U")) {
                wrong.add("the -U " + before + " is not followed by its +U");
                before = null;
            }
            if (row.fromSnapshot() && (!row.kind().equals("+I") || row.xid() != 0)) {
                wrong.add("a snapshot row must be +I with xid 0");
            }
            if (!row.fromSnapshot() && row.xid() == 0) {
                wrong.add("a streamed row without xid");
            }
            switch (row.kind()) {
                case "+I" -> {
                    if (row.fromSnapshot() && snapshotted.merge(row.id(), 1, Integer::sum) > 1) {
                        wrong.add("snapshot row of key " + row.id() + " again");
                    }
                    take(state, row, wrong);
                    counts.merge(row.fromSnapshot() ? "snapshot" : "insert", 1, Integer::sum);
                }
                case "-U" -> {
                    release(state, row, wrong);
                    before = row;
                }
                case "+U" -> {
                    if (before == null) {
                        wrong.add("a +U without a -U before it");
                    } else {
                        if (!before.lsn().equals(row.lsn()) || before.xid() != row.xid()) {
                            wrong.add("its -U " + before + " is of another transaction");
                        }
                        if (row.version() != before.version() + 1) {
                            wrong.add(
                                    "the update does not raise the version "
                                            + before.version()
                                            + " by one");
                        }
                        counts.merge(before.id() == row.id() ? "update" : "move", 1, Integer::sum);
                    }
                    take(state, row, wrong);
                    before = null;
                }
                case "-D" -> {
                    release(state, row, wrong);
                    counts.merge("delete", 1, Integer::sum);
                }
                default -> wrong.add("unknown row kind");
            }
            if (!wrong.isEmpty()) {
                if (problemCount[0]++ < SHOWN) {
                    problems.add(row + ": " + String.join("; ", wrong));
                }
            }
        }
        if (before != null) {
            problems.add("the last row " + before + " is a -U without its +U");
            problemCount[0]++;
        }
        if (problemCount[0] > SHOWN) {
            problems.add("… " + (problemCount[0] - SHOWN) + " more");
        }
        return new Replay(Map.copyOf(state), List.copyOf(problems), Map.copyOf(counts));
    }

    private static void take(Map<Integer, Integer> state, Row row, List<String> wrong) {
        Integer present = state.putIfAbsent(row.id(), row.version());
        if (present != null) {
            wrong.add("key " + row.id() + " is taken (at version " + present + ")");
        }
    }

    private static void release(Map<Integer, Integer> state, Row row, List<String> wrong) {
        Integer present = state.get(row.id());
        if (present == null) {
            wrong.add("key " + row.id() + " is not there");
        } else {
            if (present != row.version()) {
                wrong.add("key " + row.id() + " is at version " + present);
            }
            state.remove(row.id());
        }
    }

    /**
     * The table after the replay.
     *
     * @param state version by key
     * @param problems the first rows that do not fit, with why
     * @param counts rows by what they are: snapshot, insert, update, move, delete
     */
    public record Replay(
            Map<Integer, Integer> state, List<String> problems, Map<String, Integer> counts) {}

    @Override
    public String toString() {
        return rows.size() + " rows in " + files + " files";
    }
}
