package io.pgwalstream.flink.source.split;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;

/**
 * A split of the source: a slot group's stream ({@link PgWalStreamSplit}) or one chunk of its
 * initial snapshot ({@link SnapshotChunkSplit}).
 */
@Internal
public sealed interface PgWalStreamSourceSplit extends SourceSplit
        permits PgWalStreamSplit, SnapshotChunkSplit {}
