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
 * </ul>
 *
 * <p>Changelog rows and value conversion live below this package, in {@code
 * io.pgwalstream.flink.rowdata} (shared with the DataStream API) and {@code io.pgwalstream.types}
 * (Flink-free).
 */
package io.pgwalstream.flink.table;
