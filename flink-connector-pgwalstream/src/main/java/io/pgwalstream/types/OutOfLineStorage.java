package io.pgwalstream.types;

import java.util.EnumSet;
import java.util.Set;

/**
 * Whether PostgreSQL may have stored a value out of line (external TOAST), judged by its type and
 * the length of the form it arrived in. Only such a value can be left out of a later UPDATE
 * (pgoutput's {@code 'u'}), so only such values need keeping to fill one in.
 *
 * <p>The toaster moves a value out of line only when its stored form is longer than {@link
 * #MAX_NEVER_EXTERNAL} bytes (the search for the biggest attribute starts above the aligned size of
 * a TOAST pointer, 24 bytes with the varlena header): a payload of 20 bytes or less is always
 * inline. Fixed-size types are never toasted. For text-like types, bytea and numeric the stored
 * payload is at most as long as either wire form (the text form of bytea is hex, the binary form of
 * numeric has an 8-byte header); for the rest (jsonb, arrays, ranges, composites, geometric and
 * user types) the stored form can be longer than the wire form, so every value counts.
 */
public final class OutOfLineStorage {

    /** A stored payload of at most this many bytes is never moved out of line. */
    public static final int MAX_NEVER_EXTERNAL = 20;

    /** How a type's values are judged. */
    public enum Rule {
        /** Fixed-size: never out of line. */
        NEVER,
        /** Out of line only when the wire form is longer than {@link #MAX_NEVER_EXTERNAL}. */
        IF_LONGER,
        /** Any non-NULL value may be out of line. */
        ALWAYS
    }

    private static final Set<PgBuiltinType> FIXED_SIZE =
            EnumSet.of(
                    PgBuiltinType.BOOL,
                    PgBuiltinType.CHAR,
                    PgBuiltinType.NAME,
                    PgBuiltinType.INT8,
                    PgBuiltinType.INT2,
                    PgBuiltinType.INT4,
                    PgBuiltinType.REGPROC,
                    PgBuiltinType.OID,
                    PgBuiltinType.TID,
                    PgBuiltinType.XID,
                    PgBuiltinType.CID,
                    PgBuiltinType.POINT,
                    PgBuiltinType.LSEG,
                    PgBuiltinType.BOX,
                    PgBuiltinType.LINE,
                    PgBuiltinType.FLOAT4,
                    PgBuiltinType.FLOAT8,
                    PgBuiltinType.CIRCLE,
                    PgBuiltinType.MACADDR8,
                    PgBuiltinType.MONEY,
                    PgBuiltinType.MACADDR,
                    PgBuiltinType.DATE,
                    PgBuiltinType.TIME,
                    PgBuiltinType.TIMESTAMP,
                    PgBuiltinType.TIMESTAMPTZ,
                    PgBuiltinType.INTERVAL,
                    PgBuiltinType.TIMETZ,
                    PgBuiltinType.REGPROCEDURE,
                    PgBuiltinType.REGOPER,
                    PgBuiltinType.REGOPERATOR,
                    PgBuiltinType.REGCLASS,
                    PgBuiltinType.REGTYPE,
                    PgBuiltinType.UUID,
                    PgBuiltinType.PG_LSN,
                    PgBuiltinType.REGCONFIG,
                    PgBuiltinType.REGDICTIONARY,
                    PgBuiltinType.REGNAMESPACE,
                    PgBuiltinType.REGROLE,
                    PgBuiltinType.REGCOLLATION,
                    PgBuiltinType.XID8);

    private static final Set<PgBuiltinType> STORED_NO_LONGER_THAN_SENT =
            EnumSet.of(
                    PgBuiltinType.TEXT,
                    PgBuiltinType.VARCHAR,
                    PgBuiltinType.BPCHAR,
                    PgBuiltinType.JSON,
                    PgBuiltinType.XML,
                    PgBuiltinType.BYTEA,
                    PgBuiltinType.NUMERIC);

    private OutOfLineStorage() {}

    public static Rule ruleFor(PgType type) {
        switch (type.kind()) {
            case ENUM:
                return Rule.NEVER; // stored as a 4-byte OID
            case TEXT_EXTENSION:
                return Rule.IF_LONGER; // citext and the like: stored as text
            case BUILTIN:
                if (FIXED_SIZE.contains(type.builtin())) {
                    return Rule.NEVER;
                }
                return STORED_NO_LONGER_THAN_SENT.contains(type.builtin())
                        ? Rule.IF_LONGER
                        : Rule.ALWAYS;
            default:
                return Rule.ALWAYS;
        }
    }

    /** Whether a non-NULL value of {@code wireLength} bytes under {@code rule} may be external. */
    public static boolean mayBeExternal(Rule rule, int wireLength) {
        return rule == Rule.ALWAYS || (rule == Rule.IF_LONGER && wireLength > MAX_NEVER_EXTERNAL);
    }
}
