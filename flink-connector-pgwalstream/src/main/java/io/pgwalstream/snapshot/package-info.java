/**
 * The initial snapshot, without Flink: which rows a table holds at the consistent point of a
 * replication slot, read in key-range chunks with binary {@code COPY} and handed out in the layout
 * pgoutput uses for tuples, so the stream's converters read them unchanged.
 *
 * <ul>
 *   <li>{@link io.pgwalstream.snapshot.SnapshotCatalog} — what a table publishes (columns, replica
 *       identity, row filter) and which column chunks it, read inside the snapshot.
 *   <li>{@link io.pgwalstream.snapshot.ChunkPlanner} — splits a table into {@link
 *       io.pgwalstream.snapshot.SnapshotChunk}s whose bounds PostgreSQL chose, so its ordering
 *       (collations included) decides which rows each chunk holds.
 *   <li>{@link io.pgwalstream.snapshot.ChunkReader} — reads one chunk under an exported snapshot;
 *       {@link io.pgwalstream.snapshot.CopyBinaryTuples} turns the COPY bytes into tuples.
 * </ul>
 *
 * <p>Depends on the JDK, pgjdbc, {@code protocol}, {@code replication} (connections, names) and
 * {@code changes} (the events rows become).
 */
package io.pgwalstream.snapshot;
