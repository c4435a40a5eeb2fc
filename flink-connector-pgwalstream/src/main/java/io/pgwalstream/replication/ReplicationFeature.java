package io.pgwalstream.replication;

/**
 * Replication features that depend on the server's major version (protocol reference §6). Each
 * knows the first major version that has it, so a request the server cannot honour fails before
 * anything is sent.
 */
public enum ReplicationFeature {
    BINARY("binary tuple data (binary)", 14),
    MESSAGES("logical decoding messages (messages)", 14),
    STREAMING("streaming of in-progress transactions (streaming=on)", 14),
    PARALLEL_STREAMING("parallel streaming (streaming=parallel)", 16),
    TWO_PHASE("two-phase decoding of prepared transactions (two_phase)", 15),
    ORIGIN_FILTER("filtering changes by replication origin (origin)", 16),
    PARENTHESIZED_SLOT_OPTIONS("the parenthesised CREATE_REPLICATION_SLOT options", 15),
    FAILOVER_SLOTS("failover slots (FAILOVER)", 17),
    READ_REPLICATION_SLOT("READ_REPLICATION_SLOT", 15);

    private final String description;
    private final int sinceMajor;

    ReplicationFeature(String description, int sinceMajor) {
        this.description = description;
        this.sinceMajor = sinceMajor;
    }

    public String description() {
        return description;
    }

    /** The first PostgreSQL major version that has this feature. */
    public int sinceMajor() {
        return sinceMajor;
    }
}
