package io.pgwalstream.replication;

/** The changes a publication publishes ({@code publish = 'insert, update, ...'}). */
public enum PublicationOperation {
    INSERT,
    UPDATE,
    DELETE,
    TRUNCATE
}
