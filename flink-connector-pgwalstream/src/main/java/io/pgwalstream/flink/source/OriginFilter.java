package io.pgwalstream.flink.source;

import org.apache.flink.annotation.PublicEvolving;

/**
 * Which changes pgoutput sends by their replication origin (its {@code origin} option, PostgreSQL
 * 16+): those applied by logical replication from another server carry one.
 */
@PublicEvolving
public enum OriginFilter {
    /** Every change, whatever its origin (the server's default). */
    ANY("any"),
    /** Only changes without an origin: drops what replication applied, e.g. to avoid loops. */
    NONE("none");

    private final String option;

    OriginFilter(String option) {
        this.option = option;
    }

    /** The value of pgoutput's {@code origin} option. */
    public String option() {
        return option;
    }

    /**
     * The filter named {@code option} ({@code any} or {@code none}, as in pgoutput).
     *
     * @throws IllegalArgumentException for any other value
     */
    public static OriginFilter ofOption(String option) {
        for (OriginFilter filter : values()) {
            if (filter.option.equals(option)) {
                return filter;
            }
        }
        throw new IllegalArgumentException(
                "Unknown origin filter '" + option + "': must be 'none' or 'any'");
    }
}
