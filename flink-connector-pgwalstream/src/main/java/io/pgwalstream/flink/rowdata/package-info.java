/**
 * PostgreSQL → Flink type mapping and RowData conversion for pgoutput tuples.
 *
 * <ul>
 *   <li>{@link io.pgwalstream.types.PgTypeRegistry} resolves column type OIDs (built-in types, and
 *       user types from Type messages and optional catalog facts) to {@link
 *       io.pgwalstream.types.PgType}s.
 *   <li>{@link io.pgwalstream.flink.rowdata.PgTypeMapping} derives the default Flink type of a
 *       column (documented in {@code docs/type-mapping.md}).
 *   <li>{@link io.pgwalstream.flink.rowdata.TupleToRowData} converts TupleData into {@code
 *       GenericRowData} with a projection and declared Flink types, reading text ({@code 't'}) and
 *       binary ({@code 'b'}) values straight from the message buffer.
 *   <li>{@link io.pgwalstream.flink.rowdata.PgConversionOptions} and {@link
 *       io.pgwalstream.flink.rowdata.ConversionPolicies} choose what happens to values without a
 *       Flink counterpart; {@link io.pgwalstream.flink.rowdata.PgValueConversionException} reports
 *       values that cannot be converted.
 * </ul>
 *
 * <p>Text values are taken as UTF-8: the connector requires a UTF-8 server encoding. Converters are
 * not thread-safe; use one {@code TupleToRowData} per reader thread.
 */
package io.pgwalstream.flink.rowdata;
