package io.pgwalstream.replication;

import java.util.List;
import java.util.Optional;

/**
 * Checks and creates publications. Behind an interface so that higher layers can be tested with a
 * fake; {@link PgPublicationManager} is the real one. Publications belong to one database: the one
 * the manager is connected to.
 */
public interface PublicationManager {

    /** The publication, or empty if the database has none of that name. */
    Optional<PublicationInfo> describe(String publication);

    /**
     * Makes sure {@code publication} exists and publishes every table of {@code tables}.
     *
     * @param createIfMissing create the publication ({@code FOR TABLE} the given tables) or add the
     *     missing tables to it; otherwise fail, giving the statement to run
     * @throws PublicationException {@link PublicationException.Reason#TABLES_NOT_FOUND} if a table
     *     does not exist; {@link PublicationException.Reason#MISSING} or {@link
     *     PublicationException.Reason#TABLES_NOT_PUBLISHED} (with the DDL that fixes it) when
     *     {@code createIfMissing} is false; {@link PublicationException.Reason#FAILED} if the
     *     server refuses the DDL
     */
    void ensure(String publication, List<TableName> tables, boolean createIfMissing);
}
