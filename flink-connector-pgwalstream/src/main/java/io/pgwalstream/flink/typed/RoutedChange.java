package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Objects;

/**
 * A typed change and the route ({@link TableRoutes}) its table belongs to: what one source over
 * many tables emits before {@link TableRoutes#split} hands each change to its table's stream.
 *
 * @param route the route's index, in the order the routes were added
 */
@PublicEvolving
public record RoutedChange(int route, Change<?> change) {

    public RoutedChange {
        Objects.requireNonNull(change, "change");
        if (route < 0) {
            throw new IllegalArgumentException("Negative route " + route);
        }
    }
}
