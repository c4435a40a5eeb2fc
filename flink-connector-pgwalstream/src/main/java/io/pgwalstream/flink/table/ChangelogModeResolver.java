package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.ResolvedChangelogMode;
import io.pgwalstream.protocol.ReplicaIdentity;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides the changelog mode from what each table's REPLICA IDENTITY lets PostgreSQL send and what
 * the DDL declares, or explains which DDL would make the table readable.
 *
 * <ul>
 *   <li>FULL everywhere: every row kind (an update's old row is whole), unless {@code upsert} is
 *       asked for.
 *   <li>DEFAULT or USING INDEX: old rows hold only the identity columns, so only upsert on a
 *       declared PRIMARY KEY equal to those columns can be correct.
 *   <li>NOTHING, or DEFAULT without a primary key: no old row at all; only FULL or a key helps.
 * </ul>
 */
@Internal
final class ChangelogModeResolver {

    private ChangelogModeResolver() {}

    /**
     * @param declaredKey the Flink table's PRIMARY KEY columns, empty if none
     * @param flinkTable the Flink table's name, for messages
     */
    static ResolvedChangelogMode resolve(
            ChangelogModeChoice choice,
            List<PgTableFacts> tables,
            List<String> declaredKey,
            String flinkTable) {
        boolean allFull =
                tables.stream().allMatch(t -> t.replicaIdentity() == ReplicaIdentity.FULL);
        if (choice == ChangelogModeChoice.ALL || (choice == ChangelogModeChoice.AUTO && allFull)) {
            if (!allFull) {
                throw new ValidationException(
                        "Option 'changelog-mode' = 'all' needs the whole old row of every update"
                                + " and delete, but "
                                + describe(
                                        tables.stream()
                                                .filter(
                                                        t ->
                                                                t.replicaIdentity()
                                                                        != ReplicaIdentity.FULL)
                                                .toList())
                                + ". Run "
                                + ddl(tables)
                                + "; or declare the primary key in "
                                + flinkTable
                                + " and use 'changelog-mode' = 'upsert'.");
            }
            return ResolvedChangelogMode.ALL;
        }
        for (PgTableFacts table : tables) {
            checkUpsertable(table, declaredKey, flinkTable);
        }
        return ResolvedChangelogMode.UPSERT;
    }

    private static void checkUpsertable(
            PgTableFacts table, List<String> declaredKey, String flinkTable) {
        List<String> identity = table.identityColumns();
        if (identity.isEmpty()) {
            String why =
                    table.replicaIdentity() == ReplicaIdentity.NOTHING
                            ? "has REPLICA IDENTITY NOTHING"
                            : "has REPLICA IDENTITY DEFAULT but no primary key";
            throw new ValidationException(
                    "Table "
                            + table.name()
                            + " "
                            + why
                            + ", so PostgreSQL sends no old row for updates and deletes and"
                            + " they cannot be turned into changelog rows. Run "
                            + table.replicaIdentityFullDdl()
                            + "; or add a primary key (ALTER TABLE "
                            + table.name().quoted()
                            + " ADD PRIMARY KEY (…)) and declare it in "
                            + flinkTable
                            + ".");
        }
        if (table.replicaIdentity() == ReplicaIdentity.FULL) {
            if (declaredKey.isEmpty()) {
                throw new ValidationException(
                        "Option 'changelog-mode' = 'upsert' needs a PRIMARY KEY in "
                                + flinkTable
                                + ": declare PRIMARY KEY (…) NOT ENFORCED, or use 'changelog-mode'"
                                + " = 'all' (table "
                                + table.name()
                                + " has REPLICA IDENTITY FULL).");
            }
            return;
        }
        if (declaredKey.isEmpty()) {
            throw new ValidationException(
                    "Table "
                            + table.name()
                            + " has REPLICA IDENTITY "
                            + table.replicaIdentitySql()
                            + ", so updates and deletes carry only the columns ("
                            + String.join(", ", identity)
                            + "); "
                            + flinkTable
                            + " must be an upsert table keyed by them. Declare PRIMARY KEY ("
                            + identity.stream()
                                    .map(c -> "`" + c + "`")
                                    .collect(Collectors.joining(", "))
                            + ") NOT ENFORCED in the Flink table; or run "
                            + table.replicaIdentityFullDdl()
                            + " to get every row kind.");
        }
        if (!new HashSet<>(identity).equals(new HashSet<>(declaredKey))) {
            throw new ValidationException(
                    "The PRIMARY KEY ("
                            + String.join(", ", declaredKey)
                            + ") of "
                            + flinkTable
                            + " differs from the replica identity ("
                            + String.join(", ", identity)
                            + ") of table "
                            + table.name()
                            + " (REPLICA IDENTITY "
                            + table.replicaIdentitySql()
                            + "): deletes would not carry the declared key. Declare PRIMARY KEY ("
                            + String.join(", ", identity)
                            + ") NOT ENFORCED; or run "
                            + table.replicaIdentityFullDdl()
                            + ".");
        }
    }

    private static String describe(List<PgTableFacts> tables) {
        return tables.stream()
                .map(t -> t.name() + " has REPLICA IDENTITY " + t.replicaIdentitySql())
                .collect(Collectors.joining(", "));
    }

    private static String ddl(List<PgTableFacts> tables) {
        return tables.stream()
                .filter(t -> t.replicaIdentity() != ReplicaIdentity.FULL)
                .map(PgTableFacts::replicaIdentityFullDdl)
                .collect(Collectors.joining("; "));
    }
}
