package io.pgwalstream.flink.table.catalog;

import io.pgwalstream.flink.rowdata.PgTypeMapping;
import io.pgwalstream.flink.table.PgTableFacts;
import io.pgwalstream.flink.table.PgWalStreamDynamicTableFactory;
import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.protocol.ReplicaIdentity;
import io.pgwalstream.replication.TableName;
import io.pgwalstream.types.PgTypeRegistry;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.types.DataType;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A PostgreSQL table as a Flink table: its published columns with the default type mapping, its key
 * as the primary key (the primary key, or the replica identity index under USING INDEX; none for a
 * table without one), and the options of a pg-walstream table reading exactly it.
 */
@Internal
final class CatalogTables {

    /** PostgreSQL's limit on slot names. */
    private static final int MAX_SLOT_NAME = 63;

    private CatalogTables() {}

    /**
     * @param options the catalog's connection options and table defaults; the table's own (which
     *     table, which slot) are added
     */
    static CatalogTable of(
            PgTableFacts table, PgTypeRegistry registry, Map<String, String> options) {
        List<String> key = key(table);
        PgTypeMapping mapping = PgTypeMapping.defaults();
        Schema.Builder schema = Schema.newBuilder();
        for (RelationColumn column : table.columns()) {
            DataType type = mapping.map(column, registry);
            schema.column(column.name(), key.contains(column.name()) ? type.notNull() : type);
        }
        if (!key.isEmpty()) {
            schema.primaryKey(key);
        }
        Map<String, String> tableOptions = new HashMap<>(options);
        tableOptions.put("connector", PgWalStreamDynamicTableFactory.IDENTIFIER);
        tableOptions.put("schema-name", literal(table.name().schema()));
        tableOptions.put("table-name", literal(table.name().table()));
        tableOptions.putIfAbsent("slot.name", slotName(table.name()));
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(
                        "PostgreSQL table "
                                + table.name()
                                + " (REPLICA IDENTITY "
                                + table.replicaIdentitySql()
                                + ")")
                .partitionKeys(List.of())
                .options(tableOptions)
                .build();
    }

    private static List<String> key(PgTableFacts table) {
        if (table.replicaIdentity() == ReplicaIdentity.INDEX) {
            return table.identityIndex();
        }
        return table.primaryKey();
    }

    /** The name as a regular expression that matches exactly it. */
    static String literal(String name) {
        return name.replaceAll("[\\\\.\\[\\]{}()*+?^$|]", "\\\\$0");
    }

    /**
     * The default slot of a table: {@code flink_<schema>_<table>} in the characters slot names
     * allow, shortened with a checksum past 63 characters. A query picks its own with {@code
     * OPTIONS('slot.name' = …)}.
     */
    static String slotName(TableName table) {
        String name =
                ("flink_" + table.schema() + "_" + table.table())
                        .toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9_]", "_");
        if (name.length() <= MAX_SLOT_NAME) {
            return name;
        }
        CRC32 crc = new CRC32();
        crc.update(table.toString().getBytes(StandardCharsets.UTF_8));
        String suffix = "_" + Long.toHexString(crc.getValue());
        return name.substring(0, MAX_SLOT_NAME - suffix.length()) + suffix;
    }
}
