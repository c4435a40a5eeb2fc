package io.pgwalstream.snapshot;

import io.pgwalstream.protocol.RelationColumn;
import io.pgwalstream.replication.SqlIdentifier;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code COPY} statement of one chunk. COPY takes no parameters, so bounds are SQL literals
 * (standard-conforming: quotes doubled, backslashes literal — the reader sets {@code
 * standard_conforming_strings} for the transaction) cast to the key's type.
 */
final class ChunkQuery {

    private ChunkQuery() {}

    static String copy(SnapshotTable table, SnapshotChunk chunk) {
        String columns =
                table.columns().stream()
                        .map(RelationColumn::name)
                        .map(SqlIdentifier::quote)
                        .collect(Collectors.joining(", "));
        List<String> conditions = new ArrayList<>();
        ChunkKey key = table.chunkKey();
        if (chunk.lower() != null) {
            conditions.add(key.sql() + " >= " + literal(chunk.lower()) + "::" + key.sqlType());
        }
        if (chunk.upper() != null) {
            conditions.add(key.sql() + " < " + literal(chunk.upper()) + "::" + key.sqlType());
        }
        if (table.rowFilter() != null) {
            conditions.add("(" + table.rowFilter() + ")");
        }
        return "COPY (SELECT "
                + columns
                + " FROM "
                + table.name().quoted()
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + ") TO STDOUT (FORMAT binary)";
    }

    static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("A chunk bound cannot contain a NUL character");
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
