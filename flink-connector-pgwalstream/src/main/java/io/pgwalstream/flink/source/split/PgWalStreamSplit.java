package io.pgwalstream.flink.source.split;

import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.snapshot.HandOverFilter;

import org.apache.flink.annotation.Internal;

import java.util.Objects;

/**
 * A slot group as a Flink split, with where reading stands.
 *
 * @param options the pgoutput options fixed when the split was created (the protocol version is
 *     chosen from the server then), so a restored job decodes exactly as before
 * @param startLsn where a fresh split starts; {@link Lsn#INVALID} = the slot's confirmed position
 * @param stopLsn bounded mode: the split ends at the first transaction committing at or after it;
 *     {@link Lsn#INVALID} = unbounded
 * @param lastEmitted position of the last emitted change, null before the first one; after a
 *     restore everything at or before it is skipped
 * @param confirmableLsn the LSN that was safe to confirm when this split was checkpointed (all
 *     changes before it emitted); 0/0 when nothing was
 * @param handOver changes the stream drops because a later snapshot of their keys was emitted (an
 *     initial snapshot resumed after its exported snapshot was lost); usually none
 */
@Internal
public record PgWalStreamSplit(
        SlotGroup group,
        PgOutputOptions options,
        String origin,
        Lsn startLsn,
        Lsn stopLsn,
        ChangePosition lastEmitted,
        Lsn confirmableLsn,
        HandOverFilter handOver)
        implements PgWalStreamSourceSplit {

    public PgWalStreamSplit {
        Objects.requireNonNull(handOver, "handOver");
    }

    public static PgWalStreamSplit fresh(
            SlotGroup group, PgOutputOptions options, String origin, Lsn startLsn, Lsn stopLsn) {
        return new PgWalStreamSplit(
                group, options, origin, startLsn, stopLsn, null, Lsn.INVALID, HandOverFilter.NONE);
    }

    @Override
    public String splitId() {
        return group.id();
    }

    public boolean bounded() {
        return stopLsn.isValid();
    }

    /** Whether this split carries progress from a checkpoint. */
    public boolean restored() {
        return lastEmitted != null || confirmableLsn.isValid();
    }

    /**
     * Where a restored split resumes: the later of its confirmable LSN and its start. A slot that
     * existed before the job reports its older confirmed position in keepalives until the first
     * change past the start arrives, so the confirmable LSN can trail the start, and what lies
     * between was never wanted (an initial snapshot holds it, or the user asked to skip it).
     */
    public Lsn resumeLsn() {
        return Lsn.max(confirmableLsn, startLsn);
    }

    /**
     * This fresh split starting at {@code lsn} (where its group's initial snapshot was taken),
     * dropping what {@code filter} says later snapshots hold.
     */
    public PgWalStreamSplit afterSnapshot(Lsn lsn, HandOverFilter filter) {
        return new PgWalStreamSplit(
                group, options, origin, lsn, stopLsn, lastEmitted, confirmableLsn, filter);
    }

    public PgWalStreamSplit withProgress(ChangePosition position, Lsn confirmable) {
        return new PgWalStreamSplit(
                group, options, origin, startLsn, stopLsn, position, confirmable, handOver);
    }
}
