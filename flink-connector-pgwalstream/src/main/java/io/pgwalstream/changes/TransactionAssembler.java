package io.pgwalstream.changes;

import io.pgwalstream.protocol.Begin;
import io.pgwalstream.protocol.BeginPrepare;
import io.pgwalstream.protocol.Commit;
import io.pgwalstream.protocol.CommitPrepared;
import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.LogicalMessage;
import io.pgwalstream.protocol.Lsn;
import io.pgwalstream.protocol.Origin;
import io.pgwalstream.protocol.PgOutputDecoder;
import io.pgwalstream.protocol.PgOutputMessage;
import io.pgwalstream.protocol.PgOutputOptions;
import io.pgwalstream.protocol.Prepare;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RollbackPrepared;
import io.pgwalstream.protocol.StreamAbort;
import io.pgwalstream.protocol.StreamCommit;
import io.pgwalstream.protocol.StreamPrepare;
import io.pgwalstream.protocol.StreamStart;
import io.pgwalstream.protocol.StreamStop;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.protocol.Update;
import io.pgwalstream.protocol.XLogData;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns the pgoutput messages of one walsender session into committed change events, in commit
 * order: ordinary transactions as they arrive, streamed transactions at Stream Commit, prepared
 * transactions at Commit Prepared. The package documentation describes positions, confirmation, the
 * restart strategy for prepared transactions and the spill format.
 *
 * <p><b>Use.</b> Feed every pgoutput message of a session with {@link #accept}, then {@link #poll}
 * until it returns null before feeding the next one ({@link #accept} refuses while output is
 * pending). Call {@link #reset()} when a new walsender session starts, {@link #close()} at the end.
 *
 * <pre>{@code
 * assembler.accept(payload, 0, payload.length, lsn);
 * for (AssembledRecord r; (r = assembler.poll()) != null; ) {
 *     emit(r);  // ChangeEvent ... then the TransactionCommitted that closes its transaction
 * }
 * }</pre>
 *
 * <p>The output is pulled rather than pushed so that a committed streamed transaction of millions
 * of rows is decoded from its buffer one event at a time, as fast as the consumer takes them: the
 * source can hand out bounded batches and resume later.
 *
 * <p>After any exception from {@link #accept} or {@link #poll} the state is undefined: {@link
 * #reset()} (and reconnect) or {@link #close()}.
 *
 * <p>Not thread-safe: one thread feeds, polls and resets. The metric getters may be called from any
 * thread.
 */
public final class TransactionAssembler implements AutoCloseable {

    private final PgOutputOptions options;
    private final PgOutputDecoder decoder;
    private final RelationCache relations = new RelationCache();
    private final BufferMemory memory;
    private final AssemblerMetrics metrics;

    private final ArrayDeque<AssembledRecord> ready = new ArrayDeque<>();
    private final StreamedTransactions streamed;
    private final PreparedTransactions prepared;

    /** Inside Begin…Commit. */
    private OpenTransaction open;

    private BufferedReplay replay;
    private PreparedTransaction replayingPrepared;
    private boolean closed;

    /** An ordinary transaction between Begin and Commit. */
    private static final class OpenTransaction {
        final Begin begin;
        String originName;
        long events;
        TransactionInfo info;

        OpenTransaction(Begin begin) {
            this.begin = begin;
        }

        TransactionInfo info() {
            if (info == null) {
                info =
                        new TransactionInfo(
                                begin.xid(),
                                begin.finalLsn(),
                                0L,
                                begin.commitTime(),
                                originName,
                                null);
            }
            return info;
        }
    }

    /**
     * @param options the pgoutput options negotiated for the session (the decoder needs them)
     * @param settings memory bound and spill directory for buffered transactions
     */
    public TransactionAssembler(PgOutputOptions options, AssemblerSettings settings) {
        this.options = Objects.requireNonNull(options, "options");
        this.decoder = new PgOutputDecoder(options);
        this.memory = new BufferMemory(Objects.requireNonNull(settings, "settings"));
        this.streamed = new StreamedTransactions(memory);
        this.prepared = new PreparedTransactions(memory, relations);
        this.metrics = new AssemblerMetrics(memory, streamed, prepared);
    }

    /** Feeds the payload of a logical XLogData. */
    public void accept(XLogData frame) {
        accept(frame.buffer(), frame.payloadOffset(), frame.payloadLength(), frame.dataStart());
    }

    /**
     * Feeds one pgoutput message. Changes of ordinary transactions refer to {@code message} without
     * copying it, so the array must not be changed afterwards; messages of streamed and prepared
     * transactions are copied into the assembler's buffers.
     *
     * @param lsn the XLogData start LSN the message came with (0 for Relation and Type messages),
     *     used in error reports only
     * @throws IllegalStateException if {@link #poll()} has not been drained since the last call
     * @throws io.pgwalstream.protocol.ProtocolDecodingException if the bytes are malformed
     * @throws ChangeAssemblyException if the message does not fit the conversation so far
     */
    public void accept(byte[] message, int offset, int length, long lsn) {
        ensureOpen();
        if (hasOutput()) {
            throw new IllegalStateException(
                    "poll() until it returns null before accepting the next message");
        }
        PgOutputMessage m = decoder.decode(message, offset, length, lsn);
        switch (m.tag()) {
            case Insert.TAG:
            case Update.TAG:
            case Delete.TAG:
            case Truncate.TAG:
            case LogicalMessage.TAG:
            case Relation.TAG:
            case TypeMessage.TAG:
                onStreamable((StreamableMessage) m, message, offset, length, lsn);
                break;
            case Begin.TAG:
                requireNoTransaction("Begin", lsn);
                open = new OpenTransaction((Begin) m);
                break;
            case Commit.TAG:
                onCommit((Commit) m, lsn);
                break;
            case Origin.TAG:
                onOrigin((Origin) m, lsn);
                break;
            case StreamStart.TAG:
                requireNoTransaction("Stream Start", lsn);
                streamed.start((StreamStart) m, lsn);
                break;
            case StreamStop.TAG:
                streamed.stop();
                break;
            case StreamCommit.TAG:
                onStreamCommit((StreamCommit) m, lsn);
                break;
            case StreamAbort.TAG:
                streamed.abort((StreamAbort) m);
                break;
            case BeginPrepare.TAG:
                requireNoTransaction("Begin Prepare", lsn);
                prepared.begin((BeginPrepare) m, lsn);
                break;
            case Prepare.TAG:
                prepared.prepare((Prepare) m, lsn);
                break;
            case StreamPrepare.TAG:
                onStreamPrepare((StreamPrepare) m, lsn);
                break;
            case CommitPrepared.TAG:
                onCommitPrepared((CommitPrepared) m, lsn);
                break;
            case RollbackPrepared.TAG:
                requireNoTransaction("Rollback Prepared", lsn);
                prepared.rollback((RollbackPrepared) m);
                break;
            default:
                throw new ChangeAssemblyException("unhandled message " + m, lsn);
        }
    }

    /**
     * The next record in commit order, or null when everything accepted so far was handed out.
     * While a committed streamed or prepared transaction is being handed out, each call decodes one
     * more event from its buffer.
     */
    public AssembledRecord poll() {
        ensureOpen();
        AssembledRecord next = ready.pollFirst();
        if (next != null || replay == null) {
            return next;
        }
        ChangeEvent event = replay.nextEvent();
        if (event != null) {
            return event;
        }
        BufferedReplay done = replay;
        replay = null;
        done.finish();
        if (replayingPrepared != null) {
            prepared.resolved(replayingPrepared);
            replayingPrepared = null;
        }
        TransactionInfo info = done.transaction();
        return new TransactionCommitted(
                info, done.eventCount(), safeConfirmLsn(info.commitEndLsn()));
    }

    /** Polls up to {@code maxRecords} records into {@code sink}; returns how many. */
    public int drainTo(Consumer<? super AssembledRecord> sink, int maxRecords) {
        int n = 0;
        AssembledRecord record;
        while (n < maxRecords && (record = poll()) != null) {
            sink.accept(record);
            n++;
        }
        return n;
    }

    /** Whether {@link #poll()} has something to hand out. */
    public boolean hasOutput() {
        return !ready.isEmpty() || replay != null;
    }

    /**
     * Whether anything is pending: an open Begin…Commit or Begin Prepare…Prepare, an open stream
     * block or any buffered streamed transaction, any unresolved prepared transaction, or output
     * not yet polled. A keepalive's {@code walEnd} may be confirmed only when this is false — or
     * use {@link #keepaliveConfirmLsn}, which also allows it while only prepared transactions wait.
     */
    public boolean hasPendingTransactions() {
        return !prepared.isEmpty() || pendingBesidesPrepared();
    }

    private boolean pendingBesidesPrepared() {
        return open != null || !streamed.isEmpty() || hasOutput();
    }

    /**
     * The LSN that may be confirmed for a keepalive whose {@code walEnd} arrived now (after
     * everything accepted so far was polled and processed), or 0 if none may: while a transaction
     * is open, streamed or not yet handed out, nothing; otherwise {@code walEnd} capped by {@link
     * #safeConfirmLsn}, so unresolved prepared transactions hold the confirmation back to their
     * PREPARE but do not block it forever.
     */
    public long keepaliveConfirmLsn(long walEnd) {
        return pendingBesidesPrepared() || prepared.receiving() != null
                ? 0L
                : safeConfirmLsn(walEnd);
    }

    /**
     * Caps an LSN the source wants to confirm at the PREPARE LSN of the oldest unresolved prepared
     * transaction (held-back confirmation). After a restart the server skips only transactions
     * whose PREPARE record starts before the start point, so every transaction prepared but not yet
     * committed or rolled back — and not yet fully handed out — is sent again. The {@link
     * TransactionCommitted} records carry this value already, computed in stream order.
     */
    public long safeConfirmLsn(long candidate) {
        return prepared.cap(candidate);
    }

    /**
     * Forgets the session: the open transaction, unpolled output, every streamed and prepared
     * transaction (spill files deleted), the relation cache and the decoder's stream state. Call
     * when a new walsender session starts.
     *
     * <p>Why prepared transactions may be dropped: the new session starts at the confirmed LSN,
     * which {@link #safeConfirmLsn} kept at or before the PREPARE of every unresolved prepared
     * transaction, so the server sends each of them again (Begin Prepare…Prepare or stream blocks
     * and Stream Prepare); those it prepared before the slot's {@code two_phase_at} it sends whole
     * at Commit Prepared anyway. Keeping them would duplicate them; keeping nothing loses nothing.
     * The same holds for streamed transactions (re-streamed with {@code firstSegment=1}) and the
     * open ordinary transaction (sent again whole); the source skips what it already emitted by
     * {@link ChangePosition}.
     */
    public void reset() {
        List<AutoCloseable> toClose = new ArrayList<>();
        toClose.add(replay);
        toClose.addAll(streamed.clear());
        toClose.addAll(prepared.clear());
        replay = null;
        replayingPrepared = null;
        open = null;
        ready.clear();
        relations.reset();
        decoder.reset();
        closeAll(toClose);
    }

    /** Resets and deletes every spill file and the run directory. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                reset();
            } finally {
                memory.closeSpillFiles();
            }
        }
    }

    /** The relations and types of the session. */
    public RelationCache relations() {
        return relations;
    }

    public PgOutputOptions options() {
        return options;
    }

    private void onStreamable(
            StreamableMessage m, byte[] message, int offset, int length, long lsn) {
        if (m instanceof LogicalMessage && !((LogicalMessage) m).transactional()) {
            // Sent when its record is decoded, outside any transaction: a transaction of its own.
            LogicalMessage lm = (LogicalMessage) m;
            TransactionInfo info = TransactionInfo.nonTransactional(lm.messageLsn());
            ready.add(
                    ChangeEvent.message(
                            ChangePosition.ofNonTransactionalMessage(lm.messageLsn()), info, lm));
            ready.add(new TransactionCommitted(info, 1, safeConfirmLsn(lm.messageLsn())));
            return;
        }
        if (streamed.inBlock() != null) {
            streamed.inBlock().append(m.xid(), message, offset, length, lsn);
            return;
        }
        if (prepared.receiving() != null) {
            prepared.append(m, message, offset, length, lsn);
            return;
        }
        if (m instanceof Relation) {
            relations.apply((Relation) m);
        } else if (m instanceof TypeMessage) {
            relations.apply((TypeMessage) m);
        } else if (open == null) {
            throw new ChangeAssemblyException("change outside a transaction: " + m, lsn);
        } else {
            open.events++;
            ChangePosition position = new ChangePosition(open.begin.finalLsn(), 0L, open.events);
            ready.add(ChangeEvents.of(m, relations, open.info(), position, lsn));
        }
    }

    private void onCommit(Commit c, long lsn) {
        if (open == null) {
            throw new ChangeAssemblyException("Commit without Begin", lsn);
        }
        if (c.commitLsn() != open.begin.finalLsn()) {
            throw new ChangeAssemblyException(
                    "Commit at "
                            + Lsn.format(c.commitLsn())
                            + " closes the transaction begun with final LSN "
                            + Lsn.format(open.begin.finalLsn()),
                    lsn);
        }
        TransactionInfo info = open.info().withCommitEndLsn(c.endLsn());
        ready.add(new TransactionCommitted(info, open.events, safeConfirmLsn(c.endLsn())));
        open = null;
    }

    private void onOrigin(Origin o, long lsn) {
        if (open != null) {
            open.originName = o.originName();
        } else if (prepared.receiving() != null) {
            prepared.receiving().originName = o.originName();
        } else if (streamed.inBlock() != null) {
            streamed.inBlock().originName = o.originName();
        } else {
            throw new ChangeAssemblyException("Origin outside a transaction", lsn);
        }
    }

    private void onStreamCommit(StreamCommit c, long lsn) {
        requireNoTransaction("Stream Commit", lsn);
        StreamedTransaction transaction = streamed.take(c.xid(), "Stream Commit", lsn);
        TransactionInfo info =
                new TransactionInfo(
                        c.xid(),
                        c.commitLsn(),
                        c.endLsn(),
                        c.commitTime(),
                        transaction.originName,
                        null);
        replay =
                new BufferedReplay(
                        info,
                        transaction.buffer,
                        true,
                        c.xid(),
                        options,
                        relations,
                        true,
                        List.of());
    }

    private void onStreamPrepare(StreamPrepare p, long lsn) {
        requireNoTransaction("Stream Prepare", lsn);
        prepared.streamPrepared(p, streamed.take(p.xid(), "Stream Prepare", lsn), lsn);
    }

    private void onCommitPrepared(CommitPrepared k, long lsn) {
        requireNoTransaction("Commit Prepared", lsn);
        PreparedTransaction transaction = prepared.toCommit(k, lsn);
        TransactionInfo info =
                new TransactionInfo(
                        k.xid(),
                        k.commitLsn(),
                        k.commitEndLsn(),
                        k.commitTime(),
                        transaction.originName,
                        k.gid());
        replay =
                new BufferedReplay(
                        info,
                        transaction.buffer,
                        transaction.streamed,
                        transaction.xid,
                        options,
                        relations,
                        transaction.streamed,
                        transaction.pinnedRelations.values());
        replayingPrepared = transaction;
    }

    private void requireNoTransaction(String what, long lsn) {
        if (open != null || prepared.receiving() != null) {
            throw new ChangeAssemblyException(
                    what + " inside " + (open != null ? "Begin…Commit" : "Begin Prepare…Prepare"),
                    lsn);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the assembler is closed");
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure =
                            e instanceof RuntimeException
                                    ? (RuntimeException) e
                                    : new RuntimeException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Counters of this assembler, safe to read from any thread. */
    public AssemblerMetrics metrics() {
        return metrics;
    }
}
