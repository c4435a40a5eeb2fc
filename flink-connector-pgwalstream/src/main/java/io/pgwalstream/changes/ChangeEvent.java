package io.pgwalstream.changes;

import io.pgwalstream.protocol.ColumnKind;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.OldTupleKind;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TupleData;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One committed change: a row inserted, updated or deleted, a TRUNCATE, or a logical decoding
 * message — with the table it concerns, its transaction and its {@link ChangePosition}.
 *
 * <p>Rows are {@link TupleData} views into the bytes the change was decoded from (the caller's
 * message buffer for ordinary transactions, the assembler's buffers for streamed and prepared ones,
 * the chunk's buffer for snapshot rows); those bytes are never reused, so an event and anything
 * pointing into its tuples stay valid for as long as they are referenced. {@link #afterRow()} and
 * {@link #beforeRow()} read the rows by column name with typed getters.
 *
 * <p>Which fields are set depends on {@link #kind()}:
 *
 * <table>
 *   <caption>Fields per kind</caption>
 *   <tr><th>kind</th><th>relation</th><th>before</th><th>after</th><th>other</th></tr>
 *   <tr><td>INSERT</td><td>✓</td><td>null</td><td>✓</td><td></td></tr>
 *   <tr><td>SNAPSHOT</td><td>✓</td><td>null</td><td>✓</td><td>{@link #snapshotRow}</td></tr>
 *   <tr><td>UPDATE</td><td>✓</td><td>KEY, FULL or null</td><td>✓</td><td></td></tr>
 *   <tr><td>DELETE</td><td>✓</td><td>KEY or FULL</td><td>null</td><td></td></tr>
 *   <tr><td>TRUNCATE</td><td>null</td><td>null</td><td>null</td>
 *       <td>{@link #truncatedRelations()}, {@link #truncateOptions()}</td></tr>
 *   <tr><td>MESSAGE</td><td>null</td><td>null</td><td>null</td><td>{@link #message()}</td></tr>
 * </table>
 *
 * <p>Unchanged TOASTed columns stay {@link ColumnKind#UNCHANGED_TOAST} in {@code after}; {@link
 * #afterColumnSource(int)} tells whether the value can be taken from a full before row.
 *
 * @param kind what happened
 * @param position where the event sits in the committed stream
 * @param transaction its transaction (a pseudo-transaction for non-transactional messages)
 * @param relation the table, for SNAPSHOT, INSERT, UPDATE and DELETE; null otherwise
 * @param beforeKind which before row is present: {@link OldTupleKind#KEY} (replica identity
 *     columns, the others NULL), {@link OldTupleKind#FULL} (the whole old row, REPLICA IDENTITY
 *     FULL) or {@link OldTupleKind#NONE}
 * @param before the before row, null exactly when {@code beforeKind} is NONE
 * @param after the new row of INSERT and UPDATE, the row read by SNAPSHOT; null otherwise
 * @param truncatedRelations every table of a TRUNCATE, in the order the server sent them; empty
 *     otherwise
 * @param truncateOptions the TRUNCATE option bits ({@link Truncate#CASCADE}, {@link
 *     Truncate#RESTART_IDENTITY}); 0 otherwise
 * @param message the logical decoding message of a MESSAGE event, null otherwise
 */
public record ChangeEvent(
        ChangeKind kind,
        ChangePosition position,
        TransactionInfo transaction,
        RelationSchema relation,
        OldTupleKind beforeKind,
        TupleData before,
        TupleData after,
        List<RelationSchema> truncatedRelations,
        int truncateOptions,
        LogicalMessage message)
        implements AssembledRecord {

    public ChangeEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(position, "position");
        Objects.requireNonNull(transaction, "transaction");
        Objects.requireNonNull(beforeKind, "beforeKind");
        truncatedRelations =
                truncatedRelations.isEmpty() ? List.of() : List.copyOf(truncatedRelations);
        if ((beforeKind == OldTupleKind.NONE) != (before == null)) {
            throw new IllegalArgumentException(
                    "before must be null exactly when beforeKind is NONE");
        }
        boolean rowChange =
                kind == ChangeKind.SNAPSHOT
                        || kind == ChangeKind.INSERT
                        || kind == ChangeKind.UPDATE
                        || kind == ChangeKind.DELETE;
        if (rowChange != (relation != null)) {
            throw new IllegalArgumentException(kind + " event with relation " + relation);
        }
        boolean hasNewRow =
                kind == ChangeKind.SNAPSHOT
                        || kind == ChangeKind.INSERT
                        || kind == ChangeKind.UPDATE;
        if (hasNewRow != (after != null)) {
            throw new IllegalArgumentException(kind + " event with after row " + after);
        }
        if ((kind == ChangeKind.DELETE) && before == null) {
            throw new IllegalArgumentException("DELETE event without before row");
        }
        if ((kind == ChangeKind.INSERT || kind == ChangeKind.SNAPSHOT) && before != null) {
            throw new IllegalArgumentException(kind + " event with before row");
        }
        if ((kind == ChangeKind.MESSAGE) != (message != null)) {
            throw new IllegalArgumentException(kind + " event with message " + message);
        }
        if (kind != ChangeKind.TRUNCATE
                && (!truncatedRelations.isEmpty() || truncateOptions != 0)) {
            throw new IllegalArgumentException(kind + " event with truncate fields");
        }
    }

    static ChangeEvent insert(
            ChangePosition position,
            TransactionInfo transaction,
            RelationSchema relation,
            TupleData after) {
        return new ChangeEvent(
                ChangeKind.INSERT,
                position,
                transaction,
                relation,
                OldTupleKind.NONE,
                null,
                after,
                List.of(),
                0,
                null);
    }

    /**
     * A row read by the initial snapshot taken at {@code snapshotLsn}: every commit before that LSN
     * is in the row, every later one follows it in the stream. Position {@code (snapshotLsn, 0,
     * 0)}; xid 0 and commit time 0, as no transaction wrote it at that point.
     */
    public static ChangeEvent snapshotRow(
            long snapshotLsn, RelationSchema relation, TupleData row) {
        return snapshotRow(
                new ChangePosition(snapshotLsn, 0L, 0L),
                TransactionInfo.snapshot(snapshotLsn),
                relation,
                row);
    }

    /**
     * A snapshot row whose position and pseudo-transaction (those of {@link #snapshotRow(long,
     * RelationSchema, TupleData)}) its chunk's other rows share.
     */
    public static ChangeEvent snapshotRow(
            ChangePosition position,
            TransactionInfo transaction,
            RelationSchema relation,
            TupleData row) {
        return new ChangeEvent(
                ChangeKind.SNAPSHOT,
                position,
                transaction,
                relation,
                OldTupleKind.NONE,
                null,
                row,
                List.of(),
                0,
                null);
    }

    static ChangeEvent update(
            ChangePosition position,
            TransactionInfo transaction,
            RelationSchema relation,
            OldTupleKind beforeKind,
            TupleData before,
            TupleData after) {
        return new ChangeEvent(
                ChangeKind.UPDATE,
                position,
                transaction,
                relation,
                beforeKind,
                before,
                after,
                List.of(),
                0,
                null);
    }

    static ChangeEvent delete(
            ChangePosition position,
            TransactionInfo transaction,
            RelationSchema relation,
            OldTupleKind beforeKind,
            TupleData before) {
        return new ChangeEvent(
                ChangeKind.DELETE,
                position,
                transaction,
                relation,
                beforeKind,
                before,
                null,
                List.of(),
                0,
                null);
    }

    static ChangeEvent truncate(
            ChangePosition position,
            TransactionInfo transaction,
            List<RelationSchema> relations,
            int options) {
        return new ChangeEvent(
                ChangeKind.TRUNCATE,
                position,
                transaction,
                null,
                OldTupleKind.NONE,
                null,
                null,
                relations,
                options,
                null);
    }

    static ChangeEvent message(
            ChangePosition position, TransactionInfo transaction, LogicalMessage message) {
        return new ChangeEvent(
                ChangeKind.MESSAGE,
                position,
                transaction,
                null,
                OldTupleKind.NONE,
                null,
                null,
                List.of(),
                0,
                message);
    }

    /**
     * This TRUNCATE limited to the tables {@code keep} accepts, at the same position; null when it
     * accepts none of them.
     */
    public ChangeEvent truncatingOnly(Predicate<RelationSchema> keep) {
        requireKind(ChangeKind.TRUNCATE);
        List<RelationSchema> kept = truncatedRelations.stream().filter(keep).toList();
        if (kept.size() == truncatedRelations.size()) {
            return this;
        }
        return kept.isEmpty() ? null : truncate(position, transaction, kept, truncateOptions);
    }

    /** This UPDATE as the INSERT of its new row alone, at the same position. */
    public ChangeEvent asInsertOfNewRow() {
        requireKind(ChangeKind.UPDATE);
        return insert(position, transaction, relation, after);
    }

    /** This UPDATE as the DELETE of its old row alone (it must carry one), at the same position. */
    public ChangeEvent asDeleteOfOldRow() {
        requireKind(ChangeKind.UPDATE);
        return delete(position, transaction, relation, beforeKind, before);
    }

    private void requireKind(ChangeKind expected) {
        if (kind != expected) {
            throw new IllegalStateException("Not an " + expected + " event: " + this);
        }
    }

    /** Whether the row came from the initial snapshot rather than from a committed change. */
    public boolean fromSnapshot() {
        return kind == ChangeKind.SNAPSHOT;
    }

    public boolean hasBefore() {
        return before != null;
    }

    /** Whether the before row is the whole old row (REPLICA IDENTITY FULL). */
    public boolean beforeIsFullRow() {
        return beforeKind == OldTupleKind.FULL;
    }

    /** Whether the before row holds only the replica-identity columns (the others are NULL). */
    public boolean beforeIsKeyOnly() {
        return beforeKind == OldTupleKind.KEY;
    }

    /**
     * Where the value of after-row column {@code column} is: in {@code after}; in {@code before},
     * when {@code after} marks it as an unchanged TOASTed value and {@code before} is a full old
     * row (REPLICA IDENTITY FULL logs TOASTed values inline); or nowhere ({@link
     * ColumnSource#UNCHANGED_TOAST}), in which case the converter's policy decides.
     *
     * <p>Walks the tuples from the first column; meant for the rare {@code 'u'} columns a converter
     * meets while iterating {@code after} with a cursor.
     *
     * @throws IllegalStateException if the event has no after row
     */
    public ColumnSource afterColumnSource(int column) {
        if (after == null) {
            throw new IllegalStateException(kind + " event has no after row");
        }
        if (after.kind(column) != ColumnKind.UNCHANGED_TOAST) {
            return ColumnSource.AFTER;
        }
        if (beforeKind == OldTupleKind.FULL
                && column < before.columnCount()
                && before.kind(column) != ColumnKind.UNCHANGED_TOAST) {
            return ColumnSource.BEFORE;
        }
        return ColumnSource.UNCHANGED_TOAST;
    }

    /**
     * The after row by column name, or null when the event has none (DELETE, TRUNCATE, MESSAGE). An
     * unchanged TOASTed column is read from the before row when that is a full old row holding it
     * (as {@link #afterColumnSource(int)} says); otherwise it stays {@linkplain
     * ChangeRow#isUnchangedToast unchanged TOAST} and its getters throw.
     */
    public ChangeRow afterRow() {
        if (after == null) {
            return null;
        }
        return ChangeRow.after(relation, after, beforeKind == OldTupleKind.FULL ? before : null);
    }

    /**
     * The before row by column name, or null when the event has none. A key-only before row ({@link
     * #beforeIsKeyOnly()}) holds the replica identity columns only: asking it for another column
     * throws {@link ColumnValueException} rather than reading the NULL the server sent.
     */
    public ChangeRow beforeRow() {
        if (before == null) {
            return null;
        }
        return beforeKind == OldTupleKind.KEY
                ? ChangeRow.keyOnly(relation, before)
                : ChangeRow.of(relation, before);
    }

    /** TRUNCATE … CASCADE. */
    public boolean cascade() {
        return (truncateOptions & Truncate.CASCADE) != 0;
    }

    /** TRUNCATE … RESTART IDENTITY. */
    public boolean restartIdentity() {
        return (truncateOptions & Truncate.RESTART_IDENTITY) != 0;
    }

    /** Whether a MESSAGE event was written as transactional. */
    public boolean transactionalMessage() {
        return message != null && message.transactional();
    }

    /** The prefix of a MESSAGE event. */
    public String messagePrefix() {
        return message == null ? null : message.prefix();
    }

    /** A read-only view of a MESSAGE event's content. */
    public ByteBuffer messageContent() {
        return message == null ? null : message.content();
    }
}
