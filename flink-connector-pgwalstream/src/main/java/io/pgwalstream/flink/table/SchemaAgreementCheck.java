package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ConversionPolicies;
import io.pgwalstream.flink.rowdata.ConversionWarnings;
import io.pgwalstream.flink.rowdata.PgTypeMapping;
import io.pgwalstream.flink.rowdata.TupleToRowData;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Checks at planning time that every declared physical column exists in every matched table with
 * the same PostgreSQL type, and that it can be read as its declared Flink type. Several tables feed
 * one Flink table only when they agree on the declared columns; other columns may differ.
 */
@Internal
final class SchemaAgreementCheck {

    private SchemaAgreementCheck() {}

    static void check(
            List<String> names,
            List<LogicalType> types,
            List<PgTableFacts> tables,
            PgTypeRegistry registry,
            ConversionPolicies policies,
            String flinkTable) {
        PgTableFacts first = tables.get(0);
        int[] projection = new int[names.size()];
        for (PgTableFacts table : tables) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Optional<RelationColumn> column = table.column(name);
                if (column.isEmpty()) {
                    throw new ValidationException(
                            "Column `"
                                    + name
                                    + "` of "
                                    + flinkTable
                                    + " is not a column of table "
                                    + table.name()
                                    + " (columns are matched by name; it has "
                                    + table.columns().stream()
                                            .map(RelationColumn::name)
                                            .collect(Collectors.joining(", "))
                                    + "). Remove or rename it in the Flink table"
                                    + (tables.size() > 1
                                            ? ", or narrow 'table-name' / 'schema-name'."
                                            : "."));
                }
                RelationColumn reference = first.column(name).orElseThrow();
                if (column.get().typeOid() != reference.typeOid()
                        || column.get().typeModifier() != reference.typeModifier()) {
                    throw new ValidationException(
                            "Tables "
                                    + first.name()
                                    + " and "
                                    + table.name()
                                    + " disagree on column `"
                                    + name
                                    + "` ("
                                    + display(reference, registry)
                                    + " vs "
                                    + display(column.get(), registry)
                                    + "); several tables feed one Flink table only when their"
                                    + " declared columns have the same types. Narrow"
                                    + " 'table-name' / 'schema-name', or declare one Flink table"
                                    + " per shape.");
                }
                projection[i] = table.columns().indexOf(column.get());
            }
            try {
                TupleToRowData.create(
                        table.asRelation(),
                        projection,
                        types,
                        registry,
                        policies,
                        new ConversionWarnings());
            } catch (ValidationException e) {
                throw new ValidationException(
                        "Table "
                                + table.name()
                                + " cannot be read as "
                                + flinkTable
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private static String display(RelationColumn column, PgTypeRegistry registry) {
        return PgTypeMapping.displayName(registry.resolve(column.typeOid()), column.typeModifier());
    }
}
