package io.pgwalstream.changes;

import io.pgwalstream.protocol.PgOutputEncoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.TupleData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Feeds encoded messages to a {@link TransactionAssembler} the way a source does (accept, then poll
 * until null) and keeps everything it hands out.
 */
final class AssemblerHarness implements AutoCloseable {

    final TransactionAssembler assembler;
    final List<AssembledRecord> records = new ArrayList<>();
    private long lsn = 0x1000_0000L;

    AssemblerHarness(Path spillDirectory) {
        this(Messages.OPTIONS, new AssemblerSettings(64L << 20, spillDirectory));
    }

    AssemblerHarness(PgOutputOptions options, AssemblerSettings settings) {
        this.assembler = new TransactionAssembler(options, settings);
    }

    /** Encodes, accepts and drains each message. */
    AssemblerHarness send(PgOutputMessage... messages) {
        for (PgOutputMessage message : messages) {
            accept(message);
            drain();
        }
        return this;
    }

    /** Encodes and accepts one message without polling. */
    void accept(PgOutputMessage message) {
        byte[] bytes = PgOutputEncoder.encode(message);
        lsn += 8;
        assembler.accept(bytes, 0, bytes.length, lsn);
    }

    void drain() {
        for (AssembledRecord r; (r = assembler.poll()) != null; ) {
            records.add(r);
        }
    }

    List<ChangeEvent> events() {
        return records.stream()
                .filter(r -> r instanceof ChangeEvent)
                .map(r -> (ChangeEvent) r)
                .collect(Collectors.toList());
    }

    List<TransactionCommitted> commits() {
        return records.stream()
                .filter(r -> r instanceof TransactionCommitted)
                .map(r -> (TransactionCommitted) r)
                .collect(Collectors.toList());
    }

    /** Column 1 of each event's after row (or before row for deletes), e.g. the inserted values. */
    List<String> values() {
        return events().stream().map(AssemblerHarness::describe).collect(Collectors.toList());
    }

    /** A short description of an event, e.g. {@code I:a}, {@code D:1}, {@code T:2}, {@code M:x}. */
    static String describe(ChangeEvent e) {
        switch (e.kind()) {
            case INSERT:
                return "I:" + e.after().valueAsString(1);
            case UPDATE:
                return "U:" + e.after().valueAsString(1);
            case DELETE:
                return "D:" + e.before().valueAsString(0);
            case TRUNCATE:
                return "T:" + e.truncatedRelations().size();
            default:
                return "M:" + e.message().contentAsString();
        }
    }

    static List<String> texts(TupleData tuple) {
        return IntStream.range(0, tuple.columnCount())
                .mapToObj(tuple::valueAsString)
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        assembler.close();
    }
}
