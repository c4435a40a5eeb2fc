package io.pgwalstream.e2e.jobs.changelog;

import java.util.Objects;

/**
 * One change event as {@link ChangelogJob} writes it, one per line: {@code
 * table|commitLsn|index|kind|id|before|after}. The position ({@code commitLsn}, {@code index})
 * identifies the event within its table's slot, so a line written twice is visible as such; {@code
 * before} and {@code after} are the {@code v} column of the old and new row, {@value #ABSENT} where
 * there is none.
 *
 * @param table the table name, or {@value #ABSENT} for events without one (TRUNCATE, messages)
 * @param commitLsn the commit LSN of the event's transaction
 * @param index the event's 1-based index in its transaction
 * @param kind INSERT, UPDATE, DELETE, or another event kind
 * @param id the row's key
 * @param before the old row's value
 * @param after the new row's value
 */
public record ChangeLine(
        String table,
        long commitLsn,
        long index,
        String kind,
        String id,
        String before,
        String after) {

    public static final String ABSENT = "-";
    private static final String SEPARATOR = "|";

    public ChangeLine {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public String format() {
        return String.join(
                SEPARATOR,
                table,
                Long.toUnsignedString(commitLsn, 16),
                Long.toString(index),
                kind,
                id,
                before,
                after);
    }

    /** The inverse of {@link #format()}. */
    public static ChangeLine parse(String line) {
        String[] fields = line.split("\\" + SEPARATOR, -1);
        if (fields.length != 7) {
            throw new IllegalArgumentException(
                    "Not a 'table|commitLsn|index|kind|id|before|after' line: " + line);
        }
        return new ChangeLine(
                fields[0],
                Long.parseUnsignedLong(fields[1], 16),
                Long.parseLong(fields[2]),
                fields[3],
                fields[4],
                fields[5],
                fields[6]);
    }
}
