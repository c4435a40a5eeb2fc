package io.pgwalstream.types;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * Renders binary ({@code 'b'}) values in PostgreSQL's text output form, for columns that map to
 * STRING and for the fields and elements of composites, ranges and arrays rendered as text.
 *
 * <p>The output equals what the server would have sent in text mode, with these documented
 * differences: {@code timestamptz} is printed in UTC ({@code +00}) because the session TimeZone is
 * not known here; {@code money} is printed as in the C locale ({@code -$1,234.56}); {@code
 * interval} in the {@code iso_8601} style; {@code reg*} types as their numeric OID (the binary form
 * carries no name). Not renderable: {@code tsquery}, built-in types missing from {@link
 * PgBuiltinType} and user types the {@link PgTypeRegistry} cannot classify; those need text mode.
 *
 * <p>Allocation: formatting works in a {@link ByteSink}; nested values (fields, elements) use a
 * temporary sink each. Not thread-safe.
 */
public final class PgTextForms {

    /** Writes the text form of one binary value. */
    public interface Formatter {
        void format(byte[] b, int off, int len, ByteSink out);
    }

    private final PgTypeRegistry registry;
    private final Map<Integer, Formatter> byOid = new HashMap<>();

    public PgTextForms(PgTypeRegistry registry) {
        this.registry = registry;
    }

    /** The formatter for {@code type}, or null if its binary form cannot be rendered. */
    @Nullable
    public Formatter formatter(PgType type) {
        switch (type.kind()) {
            case BUILTIN:
                return builtin(type.builtin());
            case ARRAY:
                {
                    Formatter element = formatter(type.element());
                    return element == null ? null : arrayFormatter(type.element(), element);
                }
            case RANGE:
                {
                    Formatter element = formatter(type.element());
                    return element == null ? null : NestedTextForms.rangeFormatter(element);
                }
            case MULTIRANGE:
                {
                    Formatter range = formatter(type.element());
                    return range == null
                            ? null
                            : (b, off, len, out) ->
                                    NestedTextForms.multirange(range, b, off, len, out);
                }
            case ENUM:
            case TEXT_EXTENSION:
                return ScalarTextForms::copy;
            case HSTORE:
                return NestedTextForms::hstore;
            case COMPOSITE:
                return this::record;
            default:
                return null;
        }
    }

    /** The formatter for a type OID found inside a value (composite fields), or null. */
    @Nullable
    private Formatter formatterForOid(int oid) {
        Formatter f = byOid.get(oid);
        if (f == null && !byOid.containsKey(oid)) {
            f = formatter(registry.resolve(oid));
            byOid.put(oid, f);
        }
        return f;
    }

    @Nullable
    public static Formatter builtin(PgBuiltinType type) {
        switch (type) {
            case BOOL:
                return ScalarTextForms::bool;
            case INT2:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 2, "int2");
                    out.appendLong(BinaryReads.int16(b, off));
                };
            case INT4:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "int4");
                    out.appendLong(BinaryReads.int32(b, off));
                };
            case INT8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "int8");
                    out.appendLong(BinaryReads.int64(b, off));
                };
            case OID:
            case XID:
            case CID:
            case REGPROC:
            case REGPROCEDURE:
            case REGOPER:
            case REGOPERATOR:
            case REGCLASS:
            case REGTYPE:
            case REGCONFIG:
            case REGDICTIONARY:
            case REGNAMESPACE:
            case REGROLE:
            case REGCOLLATION:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "oid");
                    out.appendLong(BinaryReads.uint32(b, off));
                };
            case XID8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "xid8");
                    out.appendUnsigned(BinaryReads.int64(b, off));
                };
            case FLOAT4:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "float4");
                    PgFloats.formatFloat(Float.intBitsToFloat(BinaryReads.int32(b, off)), out);
                };
            case FLOAT8:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "float8");
                    PgFloats.formatDouble(ScalarTextForms.float8(b, off), out);
                };
            case NUMERIC:
                return PgNumerics::formatBinary;
            case MONEY:
                return ScalarTextForms::money;
            case TEXT:
            case VARCHAR:
            case BPCHAR:
            case NAME:
            case JSON:
            case XML:
            case REFCURSOR:
                return ScalarTextForms::copy;
            case CHAR:
                return ScalarTextForms::internalChar;
            case JSONB:
            case JSONPATH:
                return ScalarTextForms::versionedText;
            case BYTEA:
                return ScalarTextForms::bytea;
            case UUID:
                return ScalarTextForms::uuid;
            case DATE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 4, "date");
                    PgDateTimes.formatDate(BinaryReads.int32(b, off), out);
                };
            case TIME:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "time");
                    PgDateTimes.formatTime(BinaryReads.int64(b, off), out);
                };
            case TIMETZ:
                return ScalarTextForms::timetz;
            case TIMESTAMP:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "timestamp");
                    PgDateTimes.formatTimestamp(BinaryReads.int64(b, off), false, out);
                };
            case TIMESTAMPTZ:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "timestamptz");
                    PgDateTimes.formatTimestamp(BinaryReads.int64(b, off), true, out);
                };
            case INTERVAL:
                return (b, off, len, out) -> {
                    PgIntervals.Value v = new PgIntervals.Value();
                    PgIntervals.readBinary(b, off, len, v);
                    PgIntervals.formatIso(v, out);
                };
            case INET:
            case CIDR:
                return ScalarTextForms::inet;
            case MACADDR:
                return (b, off, len, out) -> ScalarTextForms.mac(b, off, len, 6, out);
            case MACADDR8:
                return (b, off, len, out) -> ScalarTextForms.mac(b, off, len, 8, out);
            case BIT:
            case VARBIT:
                return ScalarTextForms::bits;
            case POINT:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 16, "point");
                    ScalarTextForms.point(b, off, out);
                };
            case LSEG:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 32, "lseg");
                    out.append('[');
                    ScalarTextForms.point(b, off, out);
                    out.append(',');
                    ScalarTextForms.point(b, off + 16, out);
                    out.append(']');
                };
            case BOX:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 32, "box");
                    ScalarTextForms.point(b, off, out);
                    out.append(',');
                    ScalarTextForms.point(b, off + 16, out);
                };
            case PATH:
                return ScalarTextForms::path;
            case POLYGON:
                return ScalarTextForms::polygon;
            case LINE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 24, "line");
                    out.append('{');
                    PgFloats.formatDouble(ScalarTextForms.float8(b, off), out);
                    out.append(',');
                    PgFloats.formatDouble(ScalarTextForms.float8(b, off + 8), out);
                    out.append(',');
                    PgFloats.formatDouble(ScalarTextForms.float8(b, off + 16), out);
                    out.append('}');
                };
            case CIRCLE:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 24, "circle");
                    out.append('<');
                    ScalarTextForms.point(b, off, out);
                    out.append(',');
                    PgFloats.formatDouble(ScalarTextForms.float8(b, off + 16), out);
                    out.append('>');
                };
            case TSVECTOR:
                return ScalarTextForms::tsvector;
            case PG_LSN:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 8, "pg_lsn");
                    long lsn = BinaryReads.int64(b, off);
                    out.appendHexUpper(lsn >>> 32).append('/').appendHexUpper(lsn & 0xFFFF_FFFFL);
                };
            case TID:
                return (b, off, len, out) -> {
                    BinaryReads.expectLength(len, 6, "tid");
                    out.append('(')
                            .appendLong(BinaryReads.uint32(b, off))
                            .append(',')
                            .appendLong(BinaryReads.uint16(b, off + 4))
                            .append(')');
                };
            case TXID_SNAPSHOT:
            case PG_SNAPSHOT:
                return ScalarTextForms::snapshot;
            case INT2VECTOR:
                return (b, off, len, out) ->
                        ScalarTextForms.vector(b, off, len, PgBuiltinType.INT2, out);
            case OIDVECTOR:
                return (b, off, len, out) ->
                        ScalarTextForms.vector(b, off, len, PgBuiltinType.OID, out);
            case INT4RANGE:
            case INT8RANGE:
            case NUMRANGE:
            case TSRANGE:
            case TSTZRANGE:
            case DATERANGE:
                return NestedTextForms.rangeFormatter(builtin(type.rangeSubtype()));
            case INT4MULTIRANGE:
            case INT8MULTIRANGE:
            case NUMMULTIRANGE:
            case TSMULTIRANGE:
            case TSTZMULTIRANGE:
            case DATEMULTIRANGE:
                {
                    Formatter range = builtin(type.rangeSubtype());
                    return (b, off, len, out) ->
                            NestedTextForms.multirange(range, b, off, len, out);
                }
            case TSQUERY:
            default:
                return null;
        }
    }

    // ------------------------------------------------------------ composites and arrays

    /** Composite: Int32 field count, then per field Int32 type OID and Int32 length (or -1). */
    private void record(byte[] b, int off, int len, ByteSink out) {
        int end = off + len;
        BinaryReads.need(off, 4, end, "record");
        int count = BinaryReads.int32(b, off);
        int p = off + 4;
        ByteSink field = new ByteSink();
        out.append('(');
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                out.append(',');
            }
            BinaryReads.need(p, 8, end, "record field");
            int oid = BinaryReads.int32(b, p);
            int n = BinaryReads.int32(b, p + 4);
            p += 8;
            if (n < 0) {
                continue; // NULL: nothing between the commas
            }
            BinaryReads.need(p, n, end, "record field");
            Formatter f = formatterForOid(oid);
            if (f == null) {
                throw new IllegalArgumentException(
                        "cannot render composite field "
                                + (i + 1)
                                + " of "
                                + registry.resolve(oid)
                                + " from its binary form");
            }
            f.format(b, p, n, field.reset());
            NestedTextForms.quoted(field, false, "\"\\(),", true, out);
            p += n;
        }
        out.append(')');
        if (p != end) {
            throw new IllegalArgumentException("trailing bytes after record");
        }
    }

    /** Arrays as {@code array_out} prints them: nesting, quoting, NULL, non-default bounds. */
    private static Formatter arrayFormatter(PgType elementType, Formatter element) {
        byte delimiter = elementType.is(PgBuiltinType.BOX) ? (byte) ';' : (byte) ',';
        return (b, off, len, out) -> {
            BinaryArray array = BinaryArray.read(b, off, len);
            if (array.ndim == 0) {
                out.append("{}");
                return;
            }
            boolean defaultBounds = true;
            for (int d = 0; d < array.ndim; d++) {
                defaultBounds &= array.lowerBounds[d] == 1;
            }
            if (!defaultBounds) {
                for (int d = 0; d < array.ndim; d++) {
                    out.append('[')
                            .appendLong(array.lowerBounds[d])
                            .append(':')
                            .appendLong(array.lowerBounds[d] + (long) array.dims[d] - 1)
                            .append(']');
                }
                out.append('=');
            }
            ByteSink text = new ByteSink();
            int[] position = {array.dataOffset};
            arrayLevel(b, array, 0, element, delimiter, text, position, out);
        };
    }

    private static void arrayLevel(
            byte[] b,
            BinaryArray array,
            int dim,
            Formatter element,
            byte delimiter,
            ByteSink text,
            int[] position,
            ByteSink out) {
        out.append('{');
        for (int i = 0; i < array.dims[dim]; i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            if (dim + 1 < array.ndim) {
                arrayLevel(b, array, dim + 1, element, delimiter, text, position, out);
                continue;
            }
            int p = position[0];
            int n = BinaryReads.int32(b, p);
            p += 4;
            if (n < 0) {
                out.append("NULL");
            } else {
                element.format(b, p, n, text.reset());
                boolean isNullWord =
                        Ascii.regionEqualsIgnoreCase(text.array(), 0, text.length(), "NULL");
                NestedTextForms.quoted(text, isNullWord, "\"\\{}" + (char) delimiter, false, out);
                p += n;
            }
            position[0] = p;
        }
        out.append('}');
    }
}
