package io.pgwalstream.replication;

import java.util.List;
import java.util.stream.Collectors;

/** The DDL that creates a publication or adds tables to it, every name quoted. */
final class PublicationDdl {

    private PublicationDdl() {}

    static String create(String publication, List<TableName> tables) {
        return "CREATE PUBLICATION "
                + SqlIdentifier.quote(publication)
                + " FOR TABLE "
                + list(tables);
    }

    static String addTables(String publication, List<TableName> tables) {
        return "ALTER PUBLICATION "
                + SqlIdentifier.quote(publication)
                + " ADD TABLE "
                + list(tables);
    }

    private static String list(List<TableName> tables) {
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("A publication needs at least one table");
        }
        return tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
    }
}
