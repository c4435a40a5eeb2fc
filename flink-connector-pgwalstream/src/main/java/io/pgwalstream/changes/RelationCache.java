package io.pgwalstream.changes;

import io.pgwalstream.protocol.Relation;
import io.pgwalstream.protocol.TypeMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * The relations and types announced in the current walsender session, by OID.
 *
 * <p>PostgreSQL keeps its record of what it already sent in the walsender process, so every new
 * session announces each relation again before its first change: {@link #reset()} at every session
 * start.
 *
 * <p>Relation and Type messages of a <em>streamed</em> transaction belong to that transaction: the
 * server counts them as known only once the transaction commits. They live in a {@link Scope} of
 * the transaction — visible to its own changes, {@linkplain Scope#promote() promoted} into this
 * cache at Stream Commit (or Commit Prepared after Stream Prepare), dropped with the transaction on
 * Stream Abort — so that an aborted streamed DDL leaves no schema behind that the server will not
 * send again.
 *
 * <p>Not thread-safe: owned by the thread that feeds the {@link TransactionAssembler}.
 */
public final class RelationCache implements RelationLookup {

    private final Map<Integer, RelationSchema> relations = new HashMap<>();
    private final Map<Integer, TypeMessage> types = new HashMap<>();

    @Override
    public RelationSchema relation(int relationOid) {
        return relations.get(relationOid);
    }

    @Override
    public TypeMessage type(int typeOid) {
        return types.get(typeOid);
    }

    /** Number of relations known. */
    public int size() {
        return relations.size();
    }

    /** Forgets everything, for a new walsender session. */
    public void reset() {
        relations.clear();
        types.clear();
    }

    /** Records a Relation announced outside a streamed transaction. */
    RelationSchema apply(Relation relation) {
        RelationSchema schema = RelationSchema.resolve(relation, this);
        relations.put(relation.relationOid(), schema);
        return schema;
    }

    /** Records a Type announced outside a streamed transaction. */
    void apply(TypeMessage type) {
        types.put(type.typeOid(), type);
    }

    /** A new scope for the Relation and Type messages of one transaction, backed by this cache. */
    Scope newScope() {
        return new Scope();
    }

    /**
     * Relations and types announced inside one transaction. Lookups see them first, then the
     * session cache.
     */
    final class Scope implements RelationLookup {

        private final Map<Integer, RelationSchema> scopedRelations = new HashMap<>();
        private final Map<Integer, TypeMessage> scopedTypes = new HashMap<>();
        private final Map<Integer, RelationSchema> pinnedRelations = new HashMap<>();

        @Override
        public RelationSchema relation(int relationOid) {
            RelationSchema own = scopedRelations.get(relationOid);
            if (own != null) {
                return own;
            }
            RelationSchema pinned = pinnedRelations.get(relationOid);
            return pinned != null ? pinned : relations.get(relationOid);
        }

        @Override
        public TypeMessage type(int typeOid) {
            TypeMessage own = scopedTypes.get(typeOid);
            return own != null ? own : types.get(typeOid);
        }

        RelationSchema apply(Relation relation) {
            RelationSchema schema = RelationSchema.resolve(relation, this);
            scopedRelations.put(relation.relationOid(), schema);
            return schema;
        }

        void apply(TypeMessage type) {
            scopedTypes.put(type.typeOid(), type);
        }

        /** Makes {@code schema} visible in this scope as it is, without promoting it later. */
        void pin(RelationSchema schema) {
            pinnedRelations.put(schema.relationOid(), schema);
        }

        /**
         * Makes this scope's relations and types those of the session (the transaction committed).
         */
        void promote() {
            types.putAll(scopedTypes);
            relations.putAll(scopedRelations);
        }
    }
}
