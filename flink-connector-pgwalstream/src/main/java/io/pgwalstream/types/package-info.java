/**
 * PostgreSQL's value forms and type catalog, free of Flink and of any driver: the type registry
 * ({@link io.pgwalstream.types.PgTypeRegistry}: built-in types, user types from Type messages and
 * catalog facts), and the parsers and formatters of the text and binary wire forms (date/time,
 * interval, numeric, float, arrays, ranges, geometric and network types).
 *
 * <p>The pgoutput stream and binary {@code COPY} carry the same forms, so the stream's and the
 * snapshot's converters ({@code io.pgwalstream.flink.rowdata}) and the typed getters of {@code
 * io.pgwalstream.changes.ChangeRow} all build on this package. Only {@link
 * io.pgwalstream.types.PgType}, {@link io.pgwalstream.types.PgBuiltinType}, {@link
 * io.pgwalstream.types.PgUserType} and {@link io.pgwalstream.types.PgTypeRegistry} are meant for
 * users; the value forms are public for the converters and may change without notice.
 */
package io.pgwalstream.types;
