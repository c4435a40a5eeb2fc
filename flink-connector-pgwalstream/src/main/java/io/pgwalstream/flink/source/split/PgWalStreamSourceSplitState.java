package io.pgwalstream.flink.source.split;

import org.apache.flink.annotation.Internal;

/** The mutable progress of a split on its reader; only the record emitter advances it. */
@Internal
public sealed interface PgWalStreamSourceSplitState
        permits PgWalStreamSplitState, SnapshotChunkState {

    String splitId();

    /** The split as it stands, for a checkpoint. */
    PgWalStreamSourceSplit toSplit();
}
