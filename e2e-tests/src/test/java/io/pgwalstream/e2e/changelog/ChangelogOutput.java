package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.jobs.changelog.ChangeLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The committed output of a changelog job: every {@link ChangeLine} of the visible files under a
 * directory (the FileSink's in-progress and pending files are hidden, {@code .part-…}), per table
 * in the order of their positions. {@link #assertEqualTo} is the exactly-once check.
 */
public final class ChangelogOutput {

    private static final Comparator<ChangeLine> BY_POSITION =
            Comparator.comparing(ChangeLine::commitLsn, Long::compareUnsigned)
                    .thenComparingLong(ChangeLine::index);

    private final Map<String, List<ChangeLine>> linesByTable;
    private final int files;

    private ChangelogOutput(Map<String, List<ChangeLine>> linesByTable, int files) {
        this.linesByTable = linesByTable;
        this.files = files;
    }

    /** Reads the committed files (recursively); a missing directory is an empty output. */
    public static ChangelogOutput read(Path directory) {
        Map<String, List<ChangeLine>> byTable = new TreeMap<>();
        List<Path> committed = CommittedFiles.list(directory);
        for (Path file : committed) {
            try {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank()) {
                        ChangeLine change = ChangeLine.parse(line.trim());
                        byTable.computeIfAbsent(change.table(), t -> new ArrayList<>()).add(change);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the output file " + file, e);
            }
        }
        byTable.values().forEach(lines -> lines.sort(BY_POSITION));
        return new ChangelogOutput(byTable, committed.size());
    }

    /** How many lines the committed files hold. */
    public int lines() {
        return linesByTable.values().stream().mapToInt(List::size).sum();
    }

    /**
     * Checks that, for every table, the committed lines are the writer's committed changes in
     * commit order, each exactly once, and that there is nothing else.
     */
    public void assertEqualTo(List<Change> history) {
        Map<String, List<Change>> expected = byTable(history);
        List<String> problems = new ArrayList<>();
        for (String table : linesByTable.keySet()) {
            if (!expected.containsKey(table)) {
                problems.add(
                        linesByTable.get(table).size()
                                + " lines of unexpected table '"
                                + table
                                + "', first "
                                + linesByTable.get(table).get(0));
            }
        }
        expected.forEach(
                (table, changes) ->
                        problems.addAll(
                                problems(
                                        table,
                                        changes,
                                        linesByTable.getOrDefault(table, List.of()))));
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "The output is not the source's change history, exactly once ("
                            + this
                            + ", "
                            + history.size()
                            + " changes written):\n  "
                            + String.join("\n  ", problems));
        }
    }

    /**
     * Checks that, for every table, the committed lines are a gap-free prefix of the writer's
     * committed changes, each once: what a stopped (or still running) job must have committed.
     *
     * @return how many changes of each table were delivered
     */
    public Map<String, Integer> assertPrefixOf(List<Change> history) {
        Map<String, List<Change>> expected = byTable(history);
        List<String> problems = new ArrayList<>();
        Map<String, Integer> delivered = new TreeMap<>();
        linesByTable.forEach(
                (table, lines) -> {
                    List<Change> all = expected.getOrDefault(table, List.of());
                    List<Change> prefix = all.subList(0, Math.min(lines.size(), all.size()));
                    problems.addAll(problems(table, prefix, lines));
                    delivered.put(table, lines.size());
                });
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "The output is not a prefix of the source's change history ("
                            + this
                            + "):\n  "
                            + String.join("\n  ", problems));
        }
        return delivered;
    }

    private static Map<String, List<Change>> byTable(List<Change> history) {
        return history.stream()
                .collect(Collectors.groupingBy(Change::table, TreeMap::new, Collectors.toList()));
    }

    private static List<String> problems(
            String table, List<Change> expected, List<ChangeLine> lines) {
        List<String> problems = new ArrayList<>();
        Map<String, Long> positions =
                lines.stream()
                        .collect(
                                Collectors.groupingBy(
                                        l -> Long.toHexString(l.commitLsn()) + "#" + l.index(),
                                        Collectors.counting()));
        long repeated = positions.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
        if (repeated > 0) {
            problems.add(
                    table + ": " + repeated + " lines repeat an earlier position (duplicates)");
        }
        List<Change> actual = lines.stream().map(Change::of).toList();
        if (actual.equals(expected)) {
            return problems;
        }
        Map<Change, Integer> balance = new HashMap<>();
        expected.forEach(c -> balance.merge(c, 1, Integer::sum));
        actual.forEach(c -> balance.merge(c, -1, Integer::sum));
        Map<Change, Integer> missing = new LinkedHashMap<>();
        Map<Change, Integer> extra = new LinkedHashMap<>();
        balance.forEach(
                (change, n) -> {
                    if (n > 0) {
                        missing.put(change, n);
                    } else if (n < 0) {
                        extra.put(change, -n);
                    }
                });
        int first = 0;
        while (first < Math.min(expected.size(), actual.size())
                && expected.get(first).equals(actual.get(first))) {
            first++;
        }
        problems.add(
                table
                        + ": "
                        + expected.size()
                        + " changes written, "
                        + actual.size()
                        + " delivered; "
                        + sum(missing)
                        + " lost (first "
                        + firstKeys(missing)
                        + "), "
                        + sum(extra)
                        + " duplicated or unexpected (first "
                        + firstKeys(extra)
                        + "); first difference at change #"
                        + first
                        + ": expected "
                        + (first < expected.size() ? expected.get(first) : "nothing")
                        + ", got "
                        + (first < actual.size() ? lines.get(first).format() : "nothing"));
        return problems;
    }

    private static int sum(Map<Change, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static List<Change> firstKeys(Map<Change, Integer> counts) {
        return counts.keySet().stream().limit(5).toList();
    }

    @Override
    public String toString() {
        return lines() + " lines in " + files + " files";
    }
}
