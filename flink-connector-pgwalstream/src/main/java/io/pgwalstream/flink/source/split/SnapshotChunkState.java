package io.pgwalstream.flink.source.split;

import org.apache.flink.annotation.Internal;

/** A chunk on its reader: read and emitted whole, or not at all. */
@Internal
public final class SnapshotChunkState implements PgWalStreamSourceSplitState {

    private final SnapshotChunkSplit split;
    private boolean emitted;
    private long rows = -1;
    private boolean unread;

    public SnapshotChunkState(SnapshotChunkSplit split) {
        this.split = split;
        this.emitted = split.emitted();
    }

    @Override
    public String splitId() {
        return split.splitId();
    }

    public SnapshotChunkSplit split() {
        return split;
    }

    /** Every row was emitted: {@code rows} of them. */
    public void emitted(long rows) {
        this.emitted = true;
        this.rows = rows;
    }

    /** Its exported snapshot was gone: nothing was emitted, the enumerator hands it out again. */
    public void unread() {
        unread = true;
    }

    public boolean isUnread() {
        return unread;
    }

    /** Rows emitted, -1 if not known (not emitted here, or restored as emitted). */
    public long rows() {
        return rows;
    }

    @Override
    public SnapshotChunkSplit toSplit() {
        return emitted ? split.asEmitted() : split;
    }
}
