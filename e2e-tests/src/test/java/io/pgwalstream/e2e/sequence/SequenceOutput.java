package io.pgwalstream.e2e.sequence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The committed output of a sequence job: every {@code "<split>,<seq>"} line of the visible files
 * under a directory. In-progress and pending files of Flink's file sinks are hidden ({@code
 * .part-…}) and are not read. Checks exactly-once: each split's elements {@code 0 .. n-1}, each
 * exactly once.
 */
public final class SequenceOutput {

    private final Map<Integer, long[]> countsBySplit;
    private final int files;
    private final long lines;

    private SequenceOutput(Map<Integer, long[]> countsBySplit, int files, long lines) {
        this.countsBySplit = countsBySplit;
        this.files = files;
        this.lines = lines;
    }

    /** Reads the committed files (recursively); a missing directory is an empty output. */
    public static SequenceOutput read(Path directory) {
        Map<Integer, List<Long>> values = new TreeMap<>();
        int files = 0;
        long lines = 0;
        if (Files.isDirectory(directory)) {
            List<Path> committed;
            try (Stream<Path> all = Files.walk(directory)) {
                committed =
                        all.filter(Files::isRegularFile)
                                .filter(f -> !f.getFileName().toString().startsWith("."))
                                .sorted()
                                .toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path file : committed) {
                files++;
                for (String line : readLines(file)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    lines++;
                    String[] fields = line.trim().split(",");
                    if (fields.length != 2) {
                        throw new AssertionError(
                                "Not a '<split>,<seq>' line in " + file + ": " + line);
                    }
                    values.computeIfAbsent(Integer.parseInt(fields[0]), k -> new ArrayList<>())
                            .add(Long.parseLong(fields[1]));
                }
            }
        }
        Map<Integer, long[]> counts = new TreeMap<>();
        values.forEach(
                (split, seqs) -> {
                    long max = seqs.stream().mapToLong(Long::longValue).max().orElse(-1);
                    long[] count = new long[(int) (max + 1)];
                    for (long seq : seqs) {
                        if (seq < 0) {
                            throw new AssertionError(
                                    "Negative element " + seq + " in split " + split);
                        }
                        count[(int) seq]++;
                    }
                    counts.put(split, count);
                });
        return new SequenceOutput(counts, files, lines);
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every split {@code 0 .. splits-1} holds each element {@code 0 .. recordsPerSplit-1} once. */
    public void assertExactly(int splits, long recordsPerSplit) {
        List<String> problems = new ArrayList<>();
        for (int split = 0; split < splits; split++) {
            problems.addAll(problems(split, recordsPerSplit));
        }
        for (int split : countsBySplit.keySet()) {
            if (split < 0 || split >= splits) {
                problems.add("unexpected split " + split);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "Not exactly once (" + this + "):\n  " + String.join("\n  ", problems));
        }
    }

    /**
     * Every split {@code 0 .. splits-1} holds a gap-free prefix {@code 0 .. k-1} of its sequence,
     * each element once, as a job that stopped (or is still running) has committed.
     *
     * @return the length {@code k} of each split's prefix
     */
    public Map<Integer, Long> assertPrefixes(int splits) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Long> lengths = new TreeMap<>();
        for (int split = 0; split < splits; split++) {
            long[] counts = countsBySplit.getOrDefault(split, new long[0]);
            lengths.put(split, (long) counts.length);
            problems.addAll(problems(split, counts.length));
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    "Not a gap-free prefix (" + this + "):\n  " + String.join("\n  ", problems));
        }
        return lengths;
    }

    private List<String> problems(int split, long expected) {
        long[] counts = countsBySplit.getOrDefault(split, new long[0]);
        List<Long> missing = new ArrayList<>();
        List<Long> duplicated = new ArrayList<>();
        long missingCount = 0;
        long duplicatedCount = 0;
        for (long seq = 0; seq < Math.max(expected, counts.length); seq++) {
            long count = seq < counts.length ? counts[(int) seq] : 0;
            long wanted = seq < expected ? 1 : 0;
            if (count < wanted) {
                missingCount++;
                if (missing.size() < 10) {
                    missing.add(seq);
                }
            } else if (count > wanted) {
                duplicatedCount++;
                if (duplicated.size() < 10) {
                    duplicated.add(seq);
                }
            }
        }
        List<String> problems = new ArrayList<>();
        if (missingCount > 0) {
            problems.add("split " + split + ": " + missingCount + " missing, first " + missing);
        }
        if (duplicatedCount > 0) {
            problems.add(
                    "split "
                            + split
                            + ": "
                            + duplicatedCount
                            + " unexpected or duplicated, first "
                            + duplicated);
        }
        return problems;
    }

    public long lines() {
        return lines;
    }

    public int files() {
        return files;
    }

    @Override
    public String toString() {
        return lines + " lines in " + files + " files";
    }
}
