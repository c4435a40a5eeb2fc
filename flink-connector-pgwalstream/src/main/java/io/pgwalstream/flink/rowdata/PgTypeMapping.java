package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.PgConversionOptions.OversizedNumeric;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.DecimalType;

import java.util.ArrayList;
import java.util.List;

/**
 * The Flink type a PostgreSQL column maps to by default (the table in {@code docs/type-mapping.md},
 * which a test keeps in step with this class). All types are nullable: pgoutput does not say which
 * columns are NOT NULL.
 *
 * <ul>
 *   <li>Exact counterparts: bool, int2/4/8, float4/8, numeric(p,s) with p ≤ 38, bytea, date,
 *       time(p), timestamp(p), timestamptz(p) (as TIMESTAMP_LTZ), money (DECIMAL(19,2)), oid, xid
 *       and cid (BIGINT, they are unsigned 32-bit), xid8 (DECIMAL(20,0)).
 *   <li>Arrays of any type: ARRAY of the element's mapping, one level (see {@link
 *       PgConversionOptions#MULTI_DIMENSIONAL_ARRAYS}).
 *   <li>Domains: their base type's mapping.
 *   <li>numeric without precision or with precision above 38: {@link
 *       PgConversionOptions#OVERSIZED_NUMERIC}.
 *   <li>Everything else: STRING holding PostgreSQL's text form; interval as ISO 8601.
 * </ul>
 */
@PublicEvolving
public final class PgTypeMapping {

    /** Flink's largest DECIMAL precision. */
    public static final int MAX_DECIMAL_PRECISION = DecimalType.MAX_PRECISION;

    /** PostgreSQL's default (and largest) fractional-second precision. */
    public static final int PG_MAX_TIME_PRECISION = 6;

    private final ConversionPolicies policies;

    public PgTypeMapping(ConversionPolicies policies) {
        this.policies = policies;
    }

    /** The mapping with every option at its default. */
    public static PgTypeMapping defaults() {
        return new PgTypeMapping(ConversionPolicies.defaults());
    }

    /** One column. */
    public DataType map(RelationColumn column, PgTypeRegistry registry) {
        PgType type = registry.resolve(column.typeOid());
        try {
            return map(type, column.typeModifier());
        } catch (ValidationException e) {
            throw new ValidationException("Column \"" + column.name() + "\": " + e.getMessage(), e);
        }
    }

    /** All columns of a relation as a ROW, in TupleData order. */
    public DataType rowType(Relation relation, PgTypeRegistry registry) {
        List<DataTypes.Field> fields = new ArrayList<>();
        for (RelationColumn column : relation.columns()) {
            fields.add(DataTypes.FIELD(column.name(), map(column, registry)));
        }
        return DataTypes.ROW(fields.toArray(new DataTypes.Field[0]));
    }

    /**
     * The Flink type for a PostgreSQL type and type modifier ({@code atttypmod}, -1 for none).
     *
     * @throws ValidationException if {@link PgConversionOptions#OVERSIZED_NUMERIC} is FAIL and the
     *     type is an unconstrained or too wide numeric
     */
    public DataType map(PgType type, int typeModifier) {
        int typmod = type.effectiveTypeModifier(typeModifier);
        switch (type.kind()) {
            case ARRAY:
                return DataTypes.ARRAY(map(type.element(), typmod));
            case BUILTIN:
                return builtin(type.builtin(), typmod);
            default:
                return DataTypes.STRING();
        }
    }

    private DataType builtin(PgBuiltinType type, int typmod) {
        switch (type) {
            case BOOL:
                return DataTypes.BOOLEAN();
            case INT2:
                return DataTypes.SMALLINT();
            case INT4:
                return DataTypes.INT();
            case INT8:
            case OID:
            case XID:
            case CID:
                return DataTypes.BIGINT();
            case FLOAT4:
                return DataTypes.FLOAT();
            case FLOAT8:
                return DataTypes.DOUBLE();
            case NUMERIC:
                return numeric(typmod);
            case MONEY:
                return DataTypes.DECIMAL(19, 2);
            case XID8:
                return DataTypes.DECIMAL(20, 0);
            case BYTEA:
                return DataTypes.BYTES();
            case DATE:
                return DataTypes.DATE();
            case TIME:
                return DataTypes.TIME(timePrecision(typmod));
            case TIMESTAMP:
                return DataTypes.TIMESTAMP(timePrecision(typmod));
            case TIMESTAMPTZ:
                return DataTypes.TIMESTAMP_LTZ(timePrecision(typmod));
            default:
                return DataTypes.STRING();
        }
    }

    private DataType numeric(int typmod) {
        if (typmod < 4) {
            return oversized("numeric without precision");
        }
        int precision = numericPrecision(typmod);
        int scale = numericScale(typmod);
        int flinkPrecision;
        int flinkScale;
        if (scale < 0) {
            // numeric(3,-2) holds up to 99900: p - s integer digits, no fraction.
            flinkPrecision = precision - scale;
            flinkScale = 0;
        } else if (scale > precision) {
            // numeric(2,5) holds up to 0.00099: s fractional digits.
            flinkPrecision = scale;
            flinkScale = scale;
        } else {
            flinkPrecision = precision;
            flinkScale = scale;
        }
        if (flinkPrecision > MAX_DECIMAL_PRECISION) {
            return oversized(
                    "numeric("
                            + precision
                            + ","
                            + scale
                            + ") needs DECIMAL("
                            + flinkPrecision
                            + ", "
                            + flinkScale
                            + ")");
        }
        return DataTypes.DECIMAL(Math.max(1, flinkPrecision), flinkScale);
    }

    private DataType oversized(String what) {
        OversizedNumeric policy = policies.oversizedNumeric();
        switch (policy) {
            case STRING:
                return DataTypes.STRING();
            case DECIMAL_38_18:
                return DataTypes.DECIMAL(38, 18);
            default:
                throw new ValidationException(
                        what
                                + " has no Flink DECIMAL counterpart (maximum precision "
                                + MAX_DECIMAL_PRECISION
                                + "); declare the column's type explicitly or set '"
                                + PgConversionOptions.OVERSIZED_NUMERIC.key()
                                + "' to STRING or DECIMAL_38_18");
        }
    }

    /** {@code numeric} precision from a typmod of at least 4. */
    static int numericPrecision(int typmod) {
        return ((typmod - 4) >> 16) & 0xFFFF;
    }

    /** {@code numeric} scale from a typmod of at least 4 (11-bit two's complement since 15). */
    static int numericScale(int typmod) {
        return (((typmod - 4) & 0x7FF) ^ 1024) - 1024;
    }

    /** Fractional-second precision of time/timestamp typmods: -1 means 6. */
    static int timePrecision(int typmod) {
        return typmod < 0 ? PG_MAX_TIME_PRECISION : Math.min(typmod, PG_MAX_TIME_PRECISION);
    }

    /**
     * How a column type is shown in messages: {@code numeric(10,2)}, {@code varchar(20)}, {@code
     * timestamptz(3)}, {@code int4[]}, {@code public.mood}, {@code public.price (domain over
     * numeric(10,2))}.
     */
    public static String displayName(PgType type, int typeModifier) {
        int typmod = type.effectiveTypeModifier(typeModifier);
        String base = baseDisplayName(type, typmod);
        return type.domainLabel() == null
                ? base
                : type.domainLabel() + " (domain over " + base + ")";
    }

    private static String baseDisplayName(PgType type, int typmod) {
        if (type.kind() == PgType.Kind.ARRAY) {
            return displayName(type.element(), typmod) + "[]";
        }
        String name = type.name();
        if (typmod < 0 || type.kind() != PgType.Kind.BUILTIN) {
            return name;
        }
        switch (type.builtin()) {
            case NUMERIC:
                return typmod < 4
                        ? name
                        : name + "(" + numericPrecision(typmod) + "," + numericScale(typmod) + ")";
            case VARCHAR:
            case BPCHAR:
                return typmod < 4 ? name : name + "(" + (typmod - 4) + ")";
            case BIT:
            case VARBIT:
            case TIME:
            case TIMETZ:
            case TIMESTAMP:
            case TIMESTAMPTZ:
                return name + "(" + typmod + ")";
            default:
                return name;
        }
    }
}
