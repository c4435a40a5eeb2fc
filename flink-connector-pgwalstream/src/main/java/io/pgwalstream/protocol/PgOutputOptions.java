package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * The pgoutput options negotiated in START_REPLICATION, as far as they change what arrives on the
 * wire. The decoder needs them because the layout of several messages depends on them and cannot be
 * inferred from the bytes.
 *
 * @param protoVersion {@code proto_version}, 1 to 4
 * @param streaming {@code streaming}; ON needs version 2, PARALLEL version 4
 * @param binary {@code binary}: tuple columns may come as {@code 'b'}
 * @param messages {@code messages}: logical decoding messages ({@code 'M'}) are sent
 * @param twoPhase {@code two_phase}: prepared transactions are sent at PREPARE; needs version 3
 */
public record PgOutputOptions(
        int protoVersion,
        StreamingMode streaming,
        boolean binary,
        boolean messages,
        boolean twoPhase) {

    public static final int MIN_PROTO_VERSION = 1;
    public static final int MAX_PROTO_VERSION = 4;

    /** The first version with two-phase messages. */
    public static final int TWO_PHASE_MIN_PROTO_VERSION = 3;

    public PgOutputOptions {
        Objects.requireNonNull(streaming, "streaming");
        if (protoVersion < MIN_PROTO_VERSION || protoVersion > MAX_PROTO_VERSION) {
            throw new IllegalArgumentException(
                    "pgoutput proto_version must be between "
                            + MIN_PROTO_VERSION
                            + " and "
                            + MAX_PROTO_VERSION
                            + ", got "
                            + protoVersion);
        }
        if (protoVersion < streaming.minProtoVersion()) {
            throw new IllegalArgumentException(
                    "pgoutput streaming '"
                            + streaming.optionValue()
                            + "' needs proto_version >= "
                            + streaming.minProtoVersion()
                            + ", got "
                            + protoVersion);
        }
        if (twoPhase && protoVersion < TWO_PHASE_MIN_PROTO_VERSION) {
            throw new IllegalArgumentException(
                    "pgoutput two_phase needs proto_version >= "
                            + TWO_PHASE_MIN_PROTO_VERSION
                            + ", got "
                            + protoVersion);
        }
    }

    /** The given version with every optional feature off. */
    public static PgOutputOptions of(int protoVersion) {
        return new PgOutputOptions(protoVersion, StreamingMode.OFF, false, false, false);
    }

    public PgOutputOptions withStreaming(StreamingMode mode) {
        return new PgOutputOptions(protoVersion, mode, binary, messages, twoPhase);
    }

    public PgOutputOptions withBinary(boolean enabled) {
        return new PgOutputOptions(protoVersion, streaming, enabled, messages, twoPhase);
    }

    public PgOutputOptions withMessages(boolean enabled) {
        return new PgOutputOptions(protoVersion, streaming, binary, enabled, twoPhase);
    }

    public PgOutputOptions withTwoPhase(boolean enabled) {
        return new PgOutputOptions(protoVersion, streaming, binary, messages, enabled);
    }

    /** Whether Stream Start…Stream Stop blocks can occur. */
    public boolean streamingEnabled() {
        return streaming != StreamingMode.OFF;
    }
}
