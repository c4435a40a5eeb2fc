package io.pgwalstream.types;

import javax.annotation.Nullable;

import java.util.HashMap;
import java.util.Map;

/**
 * The built-in PostgreSQL types this connector knows, with their fixed OIDs (from {@code
 * pg_type.dat}; identical in PostgreSQL 14 to 18) and the OIDs of their array types. Built-in types
 * not listed here still convert to STRING from their text form.
 */
public enum PgBuiltinType {
    BOOL(16, 1000, "bool"),
    BYTEA(17, 1001, "bytea"),
    CHAR(18, 1002, "char"),
    NAME(19, 1003, "name"),
    INT8(20, 1016, "int8"),
    INT2(21, 1005, "int2"),
    INT2VECTOR(22, 1006, "int2vector"),
    INT4(23, 1007, "int4"),
    REGPROC(24, 1008, "regproc"),
    TEXT(25, 1009, "text"),
    OID(26, 1028, "oid"),
    TID(27, 1010, "tid"),
    XID(28, 1011, "xid"),
    CID(29, 1012, "cid"),
    OIDVECTOR(30, 1013, "oidvector"),
    JSON(114, 199, "json"),
    XML(142, 143, "xml"),
    POINT(600, 1017, "point"),
    LSEG(601, 1018, "lseg"),
    PATH(602, 1019, "path"),
    BOX(603, 1020, "box"),
    POLYGON(604, 1027, "polygon"),
    LINE(628, 629, "line"),
    CIDR(650, 651, "cidr"),
    FLOAT4(700, 1021, "float4"),
    FLOAT8(701, 1022, "float8"),
    CIRCLE(718, 719, "circle"),
    MACADDR8(774, 775, "macaddr8"),
    MONEY(790, 791, "money"),
    MACADDR(829, 1040, "macaddr"),
    INET(869, 1041, "inet"),
    BPCHAR(1042, 1014, "bpchar"),
    VARCHAR(1043, 1015, "varchar"),
    DATE(1082, 1182, "date"),
    TIME(1083, 1183, "time"),
    TIMESTAMP(1114, 1115, "timestamp"),
    TIMESTAMPTZ(1184, 1185, "timestamptz"),
    INTERVAL(1186, 1187, "interval"),
    TIMETZ(1266, 1270, "timetz"),
    BIT(1560, 1561, "bit"),
    VARBIT(1562, 1563, "varbit"),
    NUMERIC(1700, 1231, "numeric"),
    REFCURSOR(1790, 2201, "refcursor"),
    REGPROCEDURE(2202, 2207, "regprocedure"),
    REGOPER(2203, 2208, "regoper"),
    REGOPERATOR(2204, 2209, "regoperator"),
    REGCLASS(2205, 2210, "regclass"),
    REGTYPE(2206, 2211, "regtype"),
    UUID(2950, 2951, "uuid"),
    TXID_SNAPSHOT(2970, 2949, "txid_snapshot"),
    PG_LSN(3220, 3221, "pg_lsn"),
    TSVECTOR(3614, 3643, "tsvector"),
    TSQUERY(3615, 3645, "tsquery"),
    REGCONFIG(3734, 3735, "regconfig"),
    REGDICTIONARY(3769, 3770, "regdictionary"),
    JSONB(3802, 3807, "jsonb"),
    INT4RANGE(3904, 3905, "int4range"),
    NUMRANGE(3906, 3907, "numrange"),
    TSRANGE(3908, 3909, "tsrange"),
    TSTZRANGE(3910, 3911, "tstzrange"),
    DATERANGE(3912, 3913, "daterange"),
    INT8RANGE(3926, 3927, "int8range"),
    JSONPATH(4072, 4073, "jsonpath"),
    REGNAMESPACE(4089, 4090, "regnamespace"),
    REGROLE(4096, 4097, "regrole"),
    REGCOLLATION(4191, 4192, "regcollation"),
    INT4MULTIRANGE(4451, 6150, "int4multirange"),
    NUMMULTIRANGE(4532, 6151, "nummultirange"),
    TSMULTIRANGE(4533, 6152, "tsmultirange"),
    TSTZMULTIRANGE(4534, 6153, "tstzmultirange"),
    DATEMULTIRANGE(4535, 6155, "datemultirange"),
    INT8MULTIRANGE(4536, 6157, "int8multirange"),
    PG_SNAPSHOT(5038, 5039, "pg_snapshot"),
    XID8(5069, 271, "xid8");

    private static final Map<Integer, PgBuiltinType> BY_OID = new HashMap<>();
    private static final Map<Integer, PgBuiltinType> BY_ARRAY_OID = new HashMap<>();
    private static final Map<String, PgBuiltinType> BY_NAME = new HashMap<>();

    static {
        for (PgBuiltinType t : values()) {
            BY_OID.put(t.oid, t);
            BY_ARRAY_OID.put(t.arrayOid, t);
            BY_NAME.put(t.typeName, t);
        }
    }

    private final int oid;
    private final int arrayOid;
    private final String typeName;

    PgBuiltinType(int oid, int arrayOid, String typeName) {
        this.oid = oid;
        this.arrayOid = arrayOid;
        this.typeName = typeName;
    }

    /** The type's OID. */
    public int oid() {
        return oid;
    }

    /** The OID of the array type whose elements are of this type. */
    public int arrayOid() {
        return arrayOid;
    }

    /** {@code pg_type.typname}, e.g. {@code int4} or {@code timestamptz}. */
    public String typeName() {
        return typeName;
    }

    /** The built-in type with this OID, or null. */
    @Nullable
    public static PgBuiltinType ofOid(int oid) {
        return BY_OID.get(oid);
    }

    /** The built-in type whose array type has this OID, or null. */
    @Nullable
    public static PgBuiltinType ofArrayOid(int arrayOid) {
        return BY_ARRAY_OID.get(arrayOid);
    }

    /** The built-in type with this {@code typname}, or null. */
    @Nullable
    public static PgBuiltinType ofName(String typeName) {
        return BY_NAME.get(typeName);
    }

    /** For range types the element type, for multiranges the range type, else null. */
    @Nullable
    public PgBuiltinType rangeSubtype() {
        switch (this) {
            case INT4RANGE:
                return INT4;
            case INT8RANGE:
                return INT8;
            case NUMRANGE:
                return NUMERIC;
            case TSRANGE:
                return TIMESTAMP;
            case TSTZRANGE:
                return TIMESTAMPTZ;
            case DATERANGE:
                return DATE;
            case INT4MULTIRANGE:
                return INT4RANGE;
            case INT8MULTIRANGE:
                return INT8RANGE;
            case NUMMULTIRANGE:
                return NUMRANGE;
            case TSMULTIRANGE:
                return TSRANGE;
            case TSTZMULTIRANGE:
                return TSTZRANGE;
            case DATEMULTIRANGE:
                return DATERANGE;
            default:
                return null;
        }
    }

    public boolean isRange() {
        return this == INT4RANGE
                || this == INT8RANGE
                || this == NUMRANGE
                || this == TSRANGE
                || this == TSTZRANGE
                || this == DATERANGE;
    }

    public boolean isMultirange() {
        return rangeSubtype() != null && !isRange();
    }

    /** The {@code reg*} OID alias types: text form is a name, binary form the OID. */
    public boolean isRegType() {
        switch (this) {
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
                return true;
            default:
                return false;
        }
    }
}
