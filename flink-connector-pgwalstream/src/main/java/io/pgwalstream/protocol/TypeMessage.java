package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * {@code 'Y'}: a user-defined type (OID at least 10000) used by a following Relation. For a domain
 * the OID is the domain's but the name is its base type's.
 *
 * @param xid the streamed (sub)transaction inside a stream block, else {@link #NO_XID}
 * @param typeOid the type's OID as used in Relation columns
 * @param namespace schema of the named type; empty means {@code pg_catalog}
 * @param typeName the type's (base type's) name
 */
public record TypeMessage(int xid, int typeOid, String namespace, String typeName)
        implements StreamableMessage {

    public static final byte TAG = 'Y';

    public TypeMessage {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(typeName, "typeName");
    }

    @Override
    public byte tag() {
        return TAG;
    }
}
