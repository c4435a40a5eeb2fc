package io.pgwalstream.flink.source.split;

import io.pgwalstream.changes.ChangePosition;
import io.pgwalstream.protocol.Lsn;

import org.apache.flink.annotation.Internal;

/**
 * The mutable progress of a stream split on its reader. Only the record emitter (task thread)
 * advances it.
 */
@Internal
public final class PgWalStreamSplitState implements PgWalStreamSourceSplitState {

    private final PgWalStreamSplit split;
    private ChangePosition lastEmitted;
    private long confirmableLsn;

    public PgWalStreamSplitState(PgWalStreamSplit split) {
        this.split = split;
        this.lastEmitted = split.lastEmitted();
        this.confirmableLsn = split.confirmableLsn().value();
    }

    @Override
    public String splitId() {
        return split.splitId();
    }

    public void emitted(ChangePosition position) {
        lastEmitted = position;
    }

    /** Raises the confirmable LSN (unsigned, never backwards). */
    public void confirmable(long lsn) {
        if (Long.compareUnsigned(lsn, confirmableLsn) > 0) {
            confirmableLsn = lsn;
        }
    }

    public long confirmableLsn() {
        return confirmableLsn;
    }

    public ChangePosition lastEmitted() {
        return lastEmitted;
    }

    @Override
    public PgWalStreamSplit toSplit() {
        return split.withProgress(lastEmitted, Lsn.of(confirmableLsn));
    }
}
