package io.pgwalstream.flink.rowdata;

import io.pgwalstream.flink.rowdata.StringConverters.TextForm;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgTextForms;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.ArrayType;
import org.apache.flink.table.types.logical.DecimalType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.TimeType;
import org.apache.flink.table.types.logical.TimestampType;

/**
 * Picks the converter for a PostgreSQL type and the Flink type the column is declared with.
 *
 * <p>Accepted pairs: the default mapping ({@link PgTypeMapping}) and these alternatives — any type
 * as CHAR/VARCHAR/STRING (its text form); int2 as INT or BIGINT, int4 as BIGINT; float4 as DOUBLE;
 * any DECIMAL precision and scale for numeric, money and xid8; any TIME/TIMESTAMP precision (values
 * are truncated to it); arrays nested deeper than one level. Anything else is a {@link
 * ValidationException} naming the column, both types and the default mapping.
 */
final class ConverterFactory {

    private final PgTypeRegistry registry;
    private final ConversionPolicies policies;
    private final ConversionWarnings warnings;
    private final PgTextForms textForms;

    ConverterFactory(
            PgTypeRegistry registry, ConversionPolicies policies, ConversionWarnings warnings) {
        this.registry = registry;
        this.policies = policies;
        this.warnings = warnings;
        this.textForms = new PgTextForms(registry);
    }

    ValueConverter create(String column, int typeOid, int typeModifier, LogicalType target) {
        PgType type = registry.resolve(typeOid);
        ColumnContext ctx =
                new ColumnContext(
                        column, PgTypeMapping.displayName(type, typeModifier), policies, warnings);
        ValueConverter converter = create(type, typeModifier, target, ctx);
        if (converter == null) {
            String defaultMapping;
            try {
                defaultMapping = new PgTypeMapping(policies).map(type, typeModifier).toString();
            } catch (ValidationException e) {
                defaultMapping = "none (" + e.getMessage() + ")";
            }
            throw new ValidationException(
                    "Column \""
                            + column
                            + "\" of PostgreSQL type "
                            + ctx.pgType
                            + " cannot be read as "
                            + target.asSummaryString()
                            + "; its default mapping is "
                            + defaultMapping
                            + " (any type can also be read as STRING)");
        }
        return converter;
    }

    /** The converter, or null if the pair is not supported. */
    private ValueConverter create(
            PgType type, int columnTypeModifier, LogicalType target, ColumnContext ctx) {
        int typmod = type.effectiveTypeModifier(columnTypeModifier);
        LogicalTypeRoot root = target.getTypeRoot();
        if (root == LogicalTypeRoot.CHAR || root == LogicalTypeRoot.VARCHAR) {
            return string(type, ctx);
        }
        if (type.kind() == PgType.Kind.ARRAY) {
            if (root != LogicalTypeRoot.ARRAY) {
                return null;
            }
            int depth = 0;
            LogicalType leaf = target;
            while (leaf.getTypeRoot() == LogicalTypeRoot.ARRAY) {
                leaf = ((ArrayType) leaf).getElementType();
                depth++;
            }
            ValueConverter element = create(type.element(), typmod, leaf, ctx);
            return element == null
                    ? null
                    : new ArrayConverter(element, type.element(), leaf.getTypeRoot(), depth, ctx);
        }
        if (type.kind() != PgType.Kind.BUILTIN) {
            return null;
        }
        PgBuiltinType pg = type.builtin();
        switch (root) {
            case BOOLEAN:
                return pg == PgBuiltinType.BOOL ? new ScalarConverters.BooleanConverter(ctx) : null;
            case SMALLINT:
                return pg == PgBuiltinType.INT2
                        ? new ScalarConverters.IntegerConverter(pg, root, ctx)
                        : null;
            case INTEGER:
                return pg == PgBuiltinType.INT2 || pg == PgBuiltinType.INT4
                        ? new ScalarConverters.IntegerConverter(pg, root, ctx)
                        : null;
            case BIGINT:
                switch (pg) {
                    case INT2:
                    case INT4:
                    case INT8:
                    case OID:
                    case XID:
                    case CID:
                        return new ScalarConverters.IntegerConverter(pg, root, ctx);
                    default:
                        return null;
                }
            case FLOAT:
                return pg == PgBuiltinType.FLOAT4
                        ? new ScalarConverters.FloatConverter(pg, root, ctx)
                        : null;
            case DOUBLE:
                return pg == PgBuiltinType.FLOAT4 || pg == PgBuiltinType.FLOAT8
                        ? new ScalarConverters.FloatConverter(pg, root, ctx)
                        : null;
            case DECIMAL:
                {
                    DecimalType decimal = (DecimalType) target;
                    int p = decimal.getPrecision();
                    int s = decimal.getScale();
                    switch (pg) {
                        case NUMERIC:
                            return new ScalarConverters.DecimalConverter(p, s, ctx);
                        case MONEY:
                            return new ScalarConverters.Int64DecimalConverter(2, false, p, s, ctx);
                        case XID8:
                            return new ScalarConverters.Int64DecimalConverter(0, true, p, s, ctx);
                        default:
                            return null;
                    }
                }
            case BINARY:
            case VARBINARY:
                return pg == PgBuiltinType.BYTEA ? new ScalarConverters.BytesConverter(ctx) : null;
            case DATE:
                return pg == PgBuiltinType.DATE ? new TemporalConverters.DateConverter(ctx) : null;
            case TIME_WITHOUT_TIME_ZONE:
                return pg == PgBuiltinType.TIME
                        ? new TemporalConverters.TimeConverter(
                                ((TimeType) target).getPrecision(), ctx)
                        : null;
            case TIMESTAMP_WITHOUT_TIME_ZONE:
                return pg == PgBuiltinType.TIMESTAMP
                        ? new TemporalConverters.TimestampConverter(
                                false, ((TimestampType) target).getPrecision(), ctx)
                        : null;
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE:
                return pg == PgBuiltinType.TIMESTAMPTZ
                        ? new TemporalConverters.TimestampConverter(
                                true, ((LocalZonedTimestampType) target).getPrecision(), ctx)
                        : null;
            default:
                return null;
        }
    }

    /** Any type as STRING: its text form. */
    private ValueConverter string(PgType type, ColumnContext ctx) {
        switch (type.kind()) {
            case ENUM:
            case TEXT_EXTENSION:
                return new TextForm(TextForm.Mode.SAME_BYTES, null, ctx);
            case BUILTIN:
                switch (type.builtin()) {
                    case TEXT:
                    case VARCHAR:
                    case BPCHAR:
                    case NAME:
                    case JSON:
                    case XML:
                    case REFCURSOR:
                        return new TextForm(TextForm.Mode.SAME_BYTES, null, ctx);
                    case JSONB:
                    case JSONPATH:
                        return new TextForm(TextForm.Mode.VERSIONED, null, ctx);
                    case INTERVAL:
                        return new StringConverters.IntervalIso(ctx);
                    default:
                        return new TextForm(
                                TextForm.Mode.FORMATTED, textForms.formatter(type), ctx);
                }
            default:
                return new TextForm(TextForm.Mode.FORMATTED, textForms.formatter(type), ctx);
        }
    }
}
