package io.pgwalstream.changes;

import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.StreamStart;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.TypeMessage;

import java.util.Collection;

/**
 * Emits a committed buffered transaction one event at a time: decodes its raw messages again, in
 * order, from the spill file and then memory, applying its Relation and Type messages to a
 * transaction scope as they come. Pull-based so that a huge transaction never has more than one
 * read block and one event materialised.
 */
final class BufferedReplay implements AutoCloseable {

    private final TransactionInfo transaction;
    private final TransactionBuffer buffer;
    private final TransactionBuffer.Reader reader;
    private final PgOutputDecoder decoder;
    private final RelationCache.Scope scope;
    private final boolean promoteRelations;
    private long events;

    /**
     * @param streamedFormat whether the buffer holds messages from Stream Start…Stream Stop blocks
     *     of {@code topXid} (with per-change xids)
     * @param promoteRelations whether the transaction's Relation and Type messages become the
     *     session's when it finishes (streamed transactions; Begin Prepare…Prepare applied them on
     *     arrival)
     * @param pinned relations to resolve as they were when the changes arrived
     */
    BufferedReplay(
            TransactionInfo transaction,
            TransactionBuffer buffer,
            boolean streamedFormat,
            int topXid,
            PgOutputOptions options,
            RelationCache relations,
            boolean promoteRelations,
            Collection<RelationSchema> pinned) {
        this.transaction = transaction;
        this.buffer = buffer;
        this.reader = buffer.reader();
        this.decoder = new PgOutputDecoder(options);
        this.scope = relations.newScope();
        this.promoteRelations = promoteRelations;
        for (RelationSchema schema : pinned) {
            scope.pin(schema);
        }
        if (streamedFormat) {
            // The buffered messages carry xids because they came inside a stream block; put the
            // replay decoder in the same state with the Stream Start that opened such a block.
            byte[] start = new byte[6];
            start[0] = StreamStart.TAG;
            TransactionBuffer.putInt(start, 1, topXid);
            start[5] = 1;
            decoder.decode(start, 0L);
        }
    }

    TransactionInfo transaction() {
        return transaction;
    }

    long eventCount() {
        return events;
    }

    /** The next event, or null when the transaction is exhausted. */
    ChangeEvent nextEvent() {
        while (reader.next()) {
            long lsn = reader.lsn();
            PgOutputMessage message =
                    decoder.decode(reader.array(), reader.offset(), reader.length(), lsn);
            if (message instanceof Relation) {
                scope.apply((Relation) message);
            } else if (message instanceof TypeMessage) {
                scope.apply((TypeMessage) message);
            } else if (message instanceof StreamableMessage
                    && ChangeEvents.isChange((StreamableMessage) message)) {
                events++;
                ChangePosition position =
                        new ChangePosition(
                                transaction.commitLsn(), transaction.commitEndLsn(), events);
                return ChangeEvents.of(
                        (StreamableMessage) message, scope, transaction, position, lsn);
            } else {
                throw new ChangeAssemblyException(
                        "unexpected buffered message " + message + " in " + buffer.label(), lsn);
            }
        }
        return null;
    }

    /** After the last event: promotes the relations if asked and frees the buffer. */
    void finish() {
        if (promoteRelations) {
            scope.promote();
        }
        buffer.close();
    }

    @Override
    public void close() {
        buffer.close();
    }
}
