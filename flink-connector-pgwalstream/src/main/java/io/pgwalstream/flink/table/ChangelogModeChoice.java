package io.pgwalstream.flink.table;

import org.apache.flink.annotation.PublicEvolving;

/** Values of {@code changelog-mode}. */
@PublicEvolving
public enum ChangelogModeChoice {
    /**
     * Derived from the tables' REPLICA IDENTITY at planning time (default): FULL gives every row
     * kind, DEFAULT or USING INDEX with a declared PRIMARY KEY gives upsert.
     */
    AUTO("auto"),
    /** +I, -U, +U, -D: needs REPLICA IDENTITY FULL on every table. */
    ALL("all"),
    /** +I, +U, -D keyed by the declared PRIMARY KEY. */
    UPSERT("upsert");

    private final String value;

    ChangelogModeChoice(String value) {
        this.value = value;
    }

    @Override
    public String toString() {
        return value;
    }
}
