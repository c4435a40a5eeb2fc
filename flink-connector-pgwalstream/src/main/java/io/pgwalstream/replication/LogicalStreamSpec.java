package io.pgwalstream.replication;

import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;

import java.time.Duration;
import java.util.List;

/**
 * What a logical replication session streams: which slot, which publications, with which pgoutput
 * options, from where.
 *
 * @param startLsn where to start; {@link Lsn#INVALID} means the slot's confirmed position (the
 *     server never starts before it anyway)
 * @param origin {@code "any"} or {@code "none"} (PostgreSQL 16+); null leaves the server default
 * @param statusInterval how often to send a status update even when nothing changes; the session
 *     shortens it to a third of the server's {@code wal_sender_timeout}
 * @param temporarySlot when not null, the session creates this temporary slot on its own connection
 *     before streaming (it lives as long as that connection)
 * @param recreateLostTemporarySlot whether, after a reconnect, a lost temporary slot may be created
 *     again — which skips the changes made while it was gone
 */
public record LogicalStreamSpec(
        String slotName,
        List<String> publications,
        PgOutputOptions pgOutput,
        String origin,
        Lsn startLsn,
        Duration statusInterval,
        LogicalSlotSpec temporarySlot,
        boolean recreateLostTemporarySlot)
        implements java.io.Serializable {

    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(10);

    public LogicalStreamSpec {
        SlotName.validate(slotName);
        if (publications == null || publications.isEmpty()) {
            throw new IllegalArgumentException(
                    "Slot '" + slotName + "': at least one publication is required");
        }
        publications = List.copyOf(publications);
        if (origin != null && !origin.equals("any") && !origin.equals("none")) {
            throw new IllegalArgumentException(
                    "origin must be 'any' or 'none', got '" + origin + "'");
        }
        if (statusInterval.isNegative() || statusInterval.isZero()) {
            throw new IllegalArgumentException("The status interval must be positive");
        }
        if (temporarySlot != null
                && (!temporarySlot.temporary() || !temporarySlot.name().equals(slotName))) {
            throw new IllegalArgumentException(
                    "temporarySlot must be a temporary slot named '" + slotName + "'");
        }
    }

    public static LogicalStreamSpec of(
            String slotName, List<String> publications, PgOutputOptions pgOutput) {
        return new LogicalStreamSpec(
                slotName,
                publications,
                pgOutput,
                null,
                Lsn.INVALID,
                DEFAULT_STATUS_INTERVAL,
                null,
                false);
    }

    public LogicalStreamSpec withStartLsn(Lsn value) {
        return new LogicalStreamSpec(
                slotName,
                publications,
                pgOutput,
                origin,
                value,
                statusInterval,
                temporarySlot,
                recreateLostTemporarySlot);
    }

    public LogicalStreamSpec withStatusInterval(Duration value) {
        return new LogicalStreamSpec(
                slotName,
                publications,
                pgOutput,
                origin,
                startLsn,
                value,
                temporarySlot,
                recreateLostTemporarySlot);
    }

    public LogicalStreamSpec withOrigin(String value) {
        return new LogicalStreamSpec(
                slotName,
                publications,
                pgOutput,
                value,
                startLsn,
                statusInterval,
                temporarySlot,
                recreateLostTemporarySlot);
    }

    public LogicalStreamSpec withTemporarySlot(LogicalSlotSpec value, boolean recreateIfLost) {
        return new LogicalStreamSpec(
                slotName,
                publications,
                pgOutput,
                origin,
                startLsn,
                statusInterval,
                value,
                recreateIfLost);
    }
}
