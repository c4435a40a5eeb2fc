package io.pgwalstream.changes;

import io.pgwalstream.protocol.BeginPrepare;
import io.pgwalstream.protocol.CommitPrepared;
import io.pgwalstream.protocol.Delete;
import io.pgwalstream.protocol.Insert;
import io.pgwalstream.protocol.Prepare;
import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.RollbackPrepared;
import io.pgwalstream.protocol.StreamPrepare;
import io.pgwalstream.protocol.StreamableMessage;
import io.pgwalstream.protocol.Truncate;
import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.protocol.Update;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The two-phase transactions of a session: the one being received as Begin Prepare…Prepare, and the
 * prepared ones not yet resolved by Commit Prepared (until its last event was handed out) or
 * Rollback Prepared — whose PREPARE LSNs cap every confirmation (see {@link #cap}).
 */
final class PreparedTransactions {

    private final BufferMemory memory;
    private final RelationCache relations;
    private final Map<String, PreparedTransaction> unresolved = new LinkedHashMap<>();
    private PreparedTransaction receiving;

    private volatile long ignoredRollbacks;

    PreparedTransactions(BufferMemory memory, RelationCache relations) {
        this.memory = memory;
        this.relations = relations;
    }

    /** The transaction between Begin Prepare and Prepare, or null. */
    PreparedTransaction receiving() {
        return receiving;
    }

    /** Whether nothing is being received or waiting for its resolution. */
    boolean isEmpty() {
        return receiving == null && unresolved.isEmpty();
    }

    void begin(BeginPrepare b, long lsn) {
        requireNewGid(b.gid(), lsn);
        receiving =
                new PreparedTransaction(
                        b.gid(),
                        b.xid(),
                        b.prepareLsn(),
                        b.prepareEndLsn(),
                        b.prepareTime(),
                        memory.newBuffer("prepared-xid-" + Integer.toUnsignedString(b.xid())),
                        false,
                        null);
    }

    /**
     * A message between Begin Prepare and Prepare. Outside stream blocks the server counts a
     * relation as sent at once, so Relation and Type messages become the session's now; the buffer
     * keeps them too, for the replay at Commit Prepared. Relations that changes use without the
     * transaction announcing them are pinned as they are now.
     */
    void append(StreamableMessage m, byte[] message, int offset, int length, long lsn) {
        if (m instanceof Relation) {
            relations.apply((Relation) m);
            receiving.announcedRelations.add(((Relation) m).relationOid());
        } else if (m instanceof TypeMessage) {
            relations.apply((TypeMessage) m);
        } else if (m instanceof Insert) {
            pin(((Insert) m).relationOid(), lsn);
        } else if (m instanceof Update) {
            pin(((Update) m).relationOid(), lsn);
        } else if (m instanceof Delete) {
            pin(((Delete) m).relationOid(), lsn);
        } else if (m instanceof Truncate) {
            Truncate t = (Truncate) m;
            for (int i = 0; i < t.relationCount(); i++) {
                pin(t.relationOid(i), lsn);
            }
        }
        receiving.buffer.append(message, offset, length, lsn);
    }

    private void pin(int relationOid, long lsn) {
        if (!receiving.announcedRelations.contains(relationOid)
                && !receiving.pinnedRelations.containsKey(relationOid)) {
            receiving.pinnedRelations.put(relationOid, relations.require(relationOid, lsn));
        }
    }

    void prepare(Prepare p, long lsn) {
        if (receiving == null) {
            throw new ChangeAssemblyException("Prepare without Begin Prepare", lsn);
        }
        if (!p.gid().equals(receiving.gid)
                || p.xid() != receiving.xid
                || p.prepareLsn() != receiving.prepareLsn) {
            throw new ChangeAssemblyException(
                    "Prepare of gid '"
                            + p.gid()
                            + "' closes Begin Prepare of gid '"
                            + receiving.gid
                            + "'",
                    lsn);
        }
        unresolved.put(receiving.gid, receiving);
        receiving = null;
    }

    /** Stream Prepare: the streamed transaction's buffer is now held by gid. */
    void streamPrepared(StreamPrepare p, StreamedTransaction transaction, long lsn) {
        requireNewGid(p.gid(), lsn);
        unresolved.put(
                p.gid(),
                new PreparedTransaction(
                        p.gid(),
                        p.xid(),
                        p.prepareLsn(),
                        p.prepareEndLsn(),
                        p.prepareTime(),
                        transaction.buffer,
                        true,
                        transaction.originName));
    }

    /**
     * The transaction Commit Prepared commits; it stays unresolved until {@link #resolved}.
     *
     * @throws ChangeAssemblyException if the gid is unknown or names another xid
     */
    PreparedTransaction toCommit(CommitPrepared k, long lsn) {
        PreparedTransaction transaction = unresolved.get(k.gid());
        if (transaction == null) {
            // With held-back confirmation this cannot happen: either the PREPARE is after the
            // confirmed LSN (sent again) or the COMMIT PREPARED is before it (not sent again).
            throw new ChangeAssemblyException(
                    "Commit Prepared of gid '"
                            + k.gid()
                            + "', which this session never received prepared: its changes are"
                            + " lost (was the slot confirmed past its PREPARE by another client?)",
                    lsn);
        }
        if (transaction.xid != k.xid()) {
            throw new ChangeAssemblyException(
                    "Commit Prepared of gid '"
                            + k.gid()
                            + "' names xid "
                            + Integer.toUnsignedString(k.xid())
                            + ", prepared as xid "
                            + Integer.toUnsignedString(transaction.xid),
                    lsn);
        }
        return transaction;
    }

    /** The committed transaction was handed out completely. */
    void resolved(PreparedTransaction transaction) {
        unresolved.remove(transaction.gid);
    }

    /**
     * Rollback Prepared drops the transaction only if the PREPARE matches: the gid may name a
     * transaction prepared before this client could see it, or an earlier one with the same gid
     * (PostgreSQL's apply worker checks the same).
     */
    void rollback(RollbackPrepared r) {
        PreparedTransaction transaction = unresolved.get(r.gid());
        if (transaction != null
                && transaction.prepareEndLsn == r.prepareEndLsn()
                && transaction.prepareTime == r.prepareTime()) {
            unresolved.remove(r.gid());
            transaction.close();
        } else {
            ignoredRollbacks++;
        }
    }

    /** {@code candidate} capped at the oldest PREPARE LSN received and not yet resolved. */
    long cap(long candidate) {
        long cap = candidate;
        if (receiving != null) {
            cap = minUnsigned(cap, receiving.prepareLsn);
        }
        for (PreparedTransaction p : unresolved.values()) {
            cap = minUnsigned(cap, p.prepareLsn);
        }
        return cap;
    }

    /** Forgets everything; returns the transactions for the caller to close. */
    List<AutoCloseable> clear() {
        List<AutoCloseable> all = new ArrayList<>(unresolved.values());
        all.add(receiving);
        unresolved.clear();
        receiving = null;
        return all;
    }

    long ignoredRollbacks() {
        return ignoredRollbacks;
    }

    private void requireNewGid(String gid, long lsn) {
        if (unresolved.containsKey(gid)) {
            throw new ChangeAssemblyException(
                    "transaction '" + gid + "' prepared while one with that gid is unresolved",
                    lsn);
        }
    }

    private static long minUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
