/**
 * PostgreSQL streaming-replication wire protocol, JDK only: LSNs and timestamps, CopyBoth frames
 * ({@code 'w'}, {@code 'k'}, {@code 'r'}, {@code 'h'}) and pgoutput messages of protocol versions 1
 * to 4.
 *
 * <p>Decoding is zero-copy: tuple values, XLogData payloads and logical-message contents are views
 * (array, offset, length) into the caller's buffer, which must therefore stay unchanged while those
 * views are in use. All LSNs, xids, OIDs and timestamps are kept as primitives in the message
 * records so that decoding allocates nothing besides the record and its tuple views; {@link
 * io.pgwalstream.protocol.Lsn} and {@link io.pgwalstream.protocol.PgTimestamps} convert them for
 * comparison and display. Every malformed input is reported as one {@link
 * io.pgwalstream.protocol.ProtocolDecodingException}.
 */
package io.pgwalstream.protocol;
