/**
 * The {@code pg-walstream} SQL connector ({@code docs/sql.md}).
 *
 * <ul>
 *   <li>{@link io.pgwalstream.flink.table.PgWalStreamDynamicTableFactory} reads the options ({@link
 *       io.pgwalstream.flink.table.PgWalStreamOptions}) and, at planning time, looks at the server
 *       once: tables matching the name patterns, their REPLICA IDENTITY (which decides the
 *       changelog mode), their columns and the publications.
 *   <li>{@link io.pgwalstream.flink.table.PgWalStreamDynamicTableSource} runs a {@code
 *       PgWalStreamSource} with projection, metadata and watermark push-down.
 *   <li>{@link io.pgwalstream.flink.table.RowDataChangelogDeserializer} turns change events into
 *       changelog rows; the DataStream API can use it too.
 * </ul>
 *
 * <p>Value conversion lives in {@link io.pgwalstream.flink.table.data}.
 */
package io.pgwalstream.flink.table;
