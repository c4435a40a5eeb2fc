package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;

import java.io.Serializable;
import java.time.Duration;

/**
 * What a physical replication session streams: raw WAL from {@code startLsn}, through a physical
 * slot or without one.
 *
 * <p>Physical streaming honours the requested start as long as the server still has the WAL: the
 * first XLogData starts exactly at {@code startLsn}, which need not be aligned to a page or segment
 * (an archiver that writes whole segment files should start at a segment boundary, as {@code
 * pg_receivewal} does). After a reconnect the stream resumes from the consumer's flushed LSN if
 * that is later.
 *
 * @param slotName an existing physical slot to stream through, or null for none. Only a slot keeps
 *     the server from removing WAL the consumer has not confirmed; its {@code restart_lsn} follows
 *     the flushed LSN the consumer reports.
 * @param startLsn where to start streaming; required
 * @param statusInterval how often to send a status update even when nothing changes; the session
 *     shortens it to a third of the server's {@code wal_sender_timeout}
 */
public record PhysicalStreamSpec(String slotName, Lsn startLsn, Duration statusInterval)
        implements Serializable {

    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(10);

    public PhysicalStreamSpec {
        if (slotName != null) {
            SlotName.validate(slotName);
        }
        if (startLsn == null || !startLsn.isValid()) {
            throw new IllegalArgumentException(
                    "A physical stream needs a start LSN (got "
                            + startLsn
                            + "): the server streams WAL from exactly that position");
        }
        if (statusInterval == null || statusInterval.isNegative() || statusInterval.isZero()) {
            throw new IllegalArgumentException(
                    "The status interval must be positive, got " + statusInterval);
        }
    }

    /** Streams from {@code startLsn} without a slot, with the default status interval. */
    public static PhysicalStreamSpec from(Lsn startLsn) {
        return new PhysicalStreamSpec(null, startLsn, DEFAULT_STATUS_INTERVAL);
    }

    /** The same stream through the physical slot {@code value} (null: no slot). */
    public PhysicalStreamSpec withSlot(String value) {
        return new PhysicalStreamSpec(value, startLsn, statusInterval);
    }

    public PhysicalStreamSpec withStatusInterval(Duration value) {
        return new PhysicalStreamSpec(slotName, startLsn, value);
    }

    /** For log lines and errors. */
    String describe() {
        return slotName == null
                ? "physical stream (no slot)"
                : "physical stream via slot '" + slotName + "'";
    }
}
