package io.pgwalstream.flink.typed;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A row that cannot become the user's type, or a type that cannot receive rows: the message names
 * the class, the field, the column and the table, and what to change.
 */
@PublicEvolving
public final class TypedMappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TypedMappingException(String message) {
        super(message);
    }

    TypedMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
