package io.pgwalstream.protocol;

/** The pgoutput {@code streaming} option: whether large in-progress transactions are streamed. */
public enum StreamingMode {
    /** Transactions arrive only after commit. */
    OFF("off", 1),
    /** In-progress transactions arrive in Stream Start…Stream Stop blocks (protocol 2, PG14). */
    ON("on", 2),
    /** As ON, and Stream Abort also carries the abort LSN and time (protocol 4, PG16). */
    PARALLEL("parallel", 4);

    private final String optionValue;
    private final int minProtoVersion;

    StreamingMode(String optionValue, int minProtoVersion) {
        this.optionValue = optionValue;
        this.minProtoVersion = minProtoVersion;
    }

    /** The value to pass in START_REPLICATION. */
    public String optionValue() {
        return optionValue;
    }

    /** The lowest {@code proto_version} that allows this mode. */
    public int minProtoVersion() {
        return minProtoVersion;
    }
}
