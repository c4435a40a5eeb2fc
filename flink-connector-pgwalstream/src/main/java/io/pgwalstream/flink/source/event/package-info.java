/**
 * Events between the readers and the enumerator of the initial snapshot: a reader reports each
 * chunk it emitted ({@link io.pgwalstream.flink.source.event.ChunkEmitted}) until the enumerator
 * acknowledges that a completed checkpoint records it ({@link
 * io.pgwalstream.flink.source.event.ChunksAcknowledged}).
 */
package io.pgwalstream.flink.source.event;
