/**
 * Change assembly: from the decoded pgoutput messages of a walsender session to committed change
 * events with positions. Depends on {@code io.pgwalstream.protocol}, {@code io.pgwalstream.types}
 * (value forms, for {@link io.pgwalstream.changes.ChangeRow}) and the JDK only.
 *
 * <h2>Roles</h2>
 *
 * <ul>
 *   <li>{@link io.pgwalstream.changes.TransactionAssembler} — fed every message of a session, hands
 *       out {@link io.pgwalstream.changes.AssembledRecord}s in commit order.
 *   <li>{@link io.pgwalstream.changes.ChangeEvent} — one committed change, with its {@link
 *       io.pgwalstream.changes.RelationSchema}, {@link io.pgwalstream.changes.TransactionInfo} and
 *       {@link io.pgwalstream.changes.ChangePosition}; {@link
 *       io.pgwalstream.changes.TransactionCommitted} closes each transaction.
 *   <li>{@link io.pgwalstream.changes.ChangeRow} — a row of an event read by column name with typed
 *       getters ({@code event.afterRow().getLong("id")}), from text and binary tuples alike; {@link
 *       io.pgwalstream.changes.ColumnValueException} says why a column cannot be read.
 *   <li>{@link io.pgwalstream.changes.RelationCache} — the session's relations and types, with
 *       per-transaction scopes for streamed transactions.
 *   <li>Internals: {@code StreamedTransactions} / {@code StreamedTransaction} (streamed
 *       transactions by xid), {@code PreparedTransactions} / {@code PreparedTransaction} (two-phase
 *       transactions by gid, and the confirmation cap), {@code TransactionBuffer} (raw messages of
 *       one buffered transaction, spilling to disk), {@code BufferMemory} (the memory bound across
 *       buffers), {@code SubtransactionIndex} (first message of each subtransaction), {@code
 *       BufferedReplay} (decodes a committed buffer again, one event at a time), {@code
 *       ChangeEvents} (messages to events).
 * </ul>
 *
 * <h2>Transactions</h2>
 *
 * <ul>
 *   <li><b>Ordinary</b> (Begin…Commit): never buffered — a transaction can be huge, and the server
 *       sends it only once committed. Each change becomes an event as it arrives; Commit adds the
 *       {@code TransactionCommitted} record.
 *   <li><b>Streamed</b> (Stream Start…Stream Stop blocks, interleaved with other transactions):
 *       buffered as raw bytes per top-level xid until Stream Commit, then decoded again and
 *       emitted. Stream Abort of the top xid discards everything; Stream Abort of a subtransaction
 *       discards from its first message on (the per-change xid of each message is recorded); Stream
 *       Abort of an unknown xid is ignored (PostgreSQL 18 sends stray ones); {@code firstSegment=1}
 *       for a known xid drops its partial state (re-streamed after a reconnect).
 *   <li><b>Prepared</b> (two-phase): Begin Prepare…Prepare, or stream blocks and Stream Prepare,
 *       are buffered per gid until Commit Prepared, which emits them at the COMMIT PREPARED
 *       position; Rollback Prepared drops them if gid, PREPARE end LSN and time match, and is
 *       ignored otherwise. A transaction prepared before the slot's {@code two_phase_at} arrives as
 *       Begin Prepare…Prepare immediately followed by Commit Prepared, which is the same path.
 * </ul>
 *
 * <h2>Positions</h2>
 *
 * <p>A {@link io.pgwalstream.changes.ChangePosition} is {@code (commitLsn, commitEndLsn, index)}
 * with a 1-based index; a non-transactional logical message is its own transaction at {@code
 * (messageLsn, messageLsn, 0)}. Positions strictly increase along the output and order by {@code
 * commitLsn}, then index. <b>Ordinary transactions:</b> their events are emitted before Commit
 * tells the end of the commit record, so they carry {@code commitEndLsn = 0}; the {@code
 * TransactionCommitted} record carries the end. This is the simplest design that emits without
 * buffering: {@code commitEndLsn} is needed only to confirm, and one confirms only whole
 * transactions. For that reason, and because a transaction may arrive streamed in one session and
 * whole in the next, {@code commitEndLsn} is not part of a position's identity or order.
 *
 * <h2>Confirmation and restarts</h2>
 *
 * <p>Each {@code TransactionCommitted} carries the LSN the source may confirm once it is durably
 * processed. A keepalive {@code walEnd} may be confirmed through {@link
 * io.pgwalstream.changes.TransactionAssembler#keepaliveConfirmLsn} (or only while {@link
 * io.pgwalstream.changes.TransactionAssembler#hasPendingTransactions} is false).
 *
 * <p><b>Prepared transactions survive restarts by held-back confirmation.</b> After a restart from
 * confirmed LSN X the server decodes again and skips a prepared transaction at PREPARE only if its
 * PREPARE record starts before X; at COMMIT PREPARED it then sends just Commit Prepared, whose data
 * we would no longer have. So no confirmation ever passes the PREPARE LSN of the oldest prepared
 * transaction that is unresolved or not yet fully handed out ({@link
 * io.pgwalstream.changes.TransactionAssembler#safeConfirmLsn}): every confirmed X is either at or
 * before a transaction's PREPARE (it is sent again, whole) or after its COMMIT PREPARED (not sent
 * again). Nothing needs to live in Flink state, and {@link
 * io.pgwalstream.changes.TransactionAssembler#reset()} may drop prepared transactions at a new
 * session. The cost: while a prepared transaction stays unresolved, the slot keeps the WAL from its
 * PREPARE on, and the source replays (and skips by position) what was committed after it. The
 * source must restart from the confirmed LSN (or 0/0), never from a later LSN of its own.
 *
 * <h2>Spilling</h2>
 *
 * <p>Buffered transactions share one memory bound ({@link
 * io.pgwalstream.changes.AssemblerSettings}); past it, the largest buffers are appended to their
 * spill files. A spill file holds records {@code [Int32 length][Int64 lsn][pgoutput message]},
 * nothing else; a subtransaction abort truncates it. It is created under the configured directory
 * on the first spill and deleted on commit (after the last event was handed out), abort, rollback,
 * reset and close. On replay it is read in 64 KiB blocks into fresh arrays, so events may keep
 * referring to them.
 *
 * <p>Spill files hold row contents: they live in an owner-only run directory per assembler, locked
 * while it exists, and an assembler starting up deletes the run directories whose owner died
 * without cleaning up (a killed TaskManager); see {@code SpillFiles}.
 */
package io.pgwalstream.changes;
