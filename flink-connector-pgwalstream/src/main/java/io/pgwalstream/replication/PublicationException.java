package io.pgwalstream.replication;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * A publication is missing, incomplete or could not be changed. The message names the publication
 * and says what to do; where a statement fixes it, {@link #ddl()} holds that exact statement.
 */
public final class PublicationException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** The publication does not exist and may not be created. */
        MISSING,
        /** The publication exists but does not publish some tables, and may not be changed. */
        TABLES_NOT_PUBLISHED,
        /** Some tables do not exist (or are not tables), so no publication can publish them. */
        TABLES_NOT_FOUND,
        /** The server refused or could not be reached. */
        FAILED
    }

    private final String publication;
    private final Reason reason;
    private final List<TableName> tables;
    private final String ddl;

    /** Public so that fakes of {@link PublicationManager} can throw it too. */
    public PublicationException(
            String publication,
            Reason reason,
            List<TableName> tables,
            String ddl,
            String message,
            Throwable cause) {
        super(message, cause);
        this.publication = publication;
        this.reason = reason;
        this.tables = List.copyOf(tables);
        this.ddl = ddl;
    }

    public String publication() {
        return publication;
    }

    public Reason reason() {
        return reason;
    }

    /** The tables the problem is about (unpublished or not found); empty if none in particular. */
    public List<TableName> tables() {
        return tables;
    }

    /** The statement that fixes the problem, or that failed. */
    public Optional<String> ddl() {
        return Optional.ofNullable(ddl);
    }

    /** The SQLSTATE the server (or driver) reported, or null if the cause carries none. */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }
}
