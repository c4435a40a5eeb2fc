package io.pgwalstream.flink.table;

import org.apache.flink.annotation.PublicEvolving;

/** Values of {@code stream}: what the rows of a pg-walstream table are. */
@PublicEvolving
public enum StreamKind {
    /** The changes of the tables {@code table-name} matches (the default). */
    CHANGES("changes"),
    /** The logical decoding messages written with {@code pg_logical_emit_message}. */
    MESSAGES("messages");

    private final String value;

    StreamKind(String value) {
        this.value = value;
    }

    /** The option value; Flink parses enum options by their {@code toString()}. */
    @Override
    public String toString() {
        return value;
    }
}
