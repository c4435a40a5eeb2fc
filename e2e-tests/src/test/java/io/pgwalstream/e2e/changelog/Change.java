package io.pgwalstream.e2e.changelog;

import io.pgwalstream.e2e.jobs.changelog.ChangeLine;

/**
 * A row change as the writer committed it and as the job must deliver it, without its position
 * (which only PostgreSQL knows): INSERT, UPDATE or DELETE of {@code id}, with the old and new value
 * ({@value ChangeLine#ABSENT} where there is none).
 */
public record Change(String table, String kind, int id, String before, String after) {

    static Change insert(String table, int id, String value) {
        return new Change(table, "INSERT", id, ChangeLine.ABSENT, value);
    }

    static Change update(String table, int id, String before, String after) {
        return new Change(table, "UPDATE", id, before, after);
    }

    static Change delete(String table, int id, String before) {
        return new Change(table, "DELETE", id, before, ChangeLine.ABSENT);
    }

    /** The change a line of the job's output stands for. */
    static Change of(ChangeLine line) {
        int id;
        try {
            id = Integer.parseInt(line.id());
        } catch (NumberFormatException e) {
            id = Integer.MIN_VALUE; // an event without a row: it can only be unexpected
        }
        return new Change(line.table(), line.kind(), id, line.before(), line.after());
    }

    @Override
    public String toString() {
        return kind + " " + table + "(" + id + ") " + before + " -> " + after;
    }
}
