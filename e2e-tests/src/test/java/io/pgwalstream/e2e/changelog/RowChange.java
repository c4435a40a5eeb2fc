package io.pgwalstream.e2e.changelog;

import java.util.List;

/**
 * One row of a pg-walstream SQL table in {@code 'changelog-mode' = 'all'}, without its position:
 * the Flink row kind ({@code +I}, {@code -U}, {@code +U}, {@code -D}), the key and the {@code v}
 * column. The writer's values are unique per change, so every row of a case's history is distinct
 * and a row delivered twice is a duplicate.
 */
public record RowChange(String table, String kind, int id, String value) {

    /** The rows the table emits for a committed change, in emission order. */
    public static List<RowChange> of(Change change) {
        return switch (change.kind()) {
            case "INSERT" ->
                    List.of(new RowChange(change.table(), "+I", change.id(), change.after()));
            case "UPDATE" ->
                    List.of(
                            new RowChange(change.table(), "-U", change.id(), change.before()),
                            new RowChange(change.table(), "+U", change.id(), change.after()));
            case "DELETE" ->
                    List.of(new RowChange(change.table(), "-D", change.id(), change.before()));
            default ->
                    throw new IllegalArgumentException(
                            "The writer commits no " + change.kind() + ": " + change);
        };
    }

    @Override
    public String toString() {
        return kind + " " + table + "(" + id + ") " + value;
    }
}
