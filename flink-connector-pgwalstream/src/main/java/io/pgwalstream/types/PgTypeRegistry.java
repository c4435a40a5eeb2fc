package io.pgwalstream.types;

import io.pgwalstream.protocol.TypeMessage;

import java.util.HashMap;
import java.util.Map;

/**
 * Resolves type OIDs of Relation columns to {@link PgType}s: built-in types by their fixed OIDs,
 * user types (OID at least 10000) from pgoutput Type messages and, where registered, from catalog
 * facts ({@link PgUserType}). Not thread-safe: one per reader.
 *
 * <p>What a Type message alone tells: a domain over a built-in type is announced under the built-in
 * type's name in {@code pg_catalog} and so resolves to that type; {@code hstore} and {@code citext}
 * are recognised by name; {@code _name} is taken to be an array of {@code name} (PostgreSQL's
 * naming of array types). Every other user type (enums, composites, ranges, domains over user
 * types) resolves to {@link PgType.Kind#OTHER}: it converts from its text form, but its binary form
 * needs the catalog facts.
 */
public final class PgTypeRegistry {

    private static final int MAX_DEPTH = 16;

    private final Map<Integer, TypeMessage> announced = new HashMap<>();
    private final Map<Integer, PgUserType> catalog = new HashMap<>();

    /** Learns a type from a Type message; a later message for the same OID replaces it. */
    public void register(TypeMessage type) {
        announced.put(type.typeOid(), type);
    }

    /** Learns a type from the catalog; takes precedence over Type messages. */
    public void register(PgUserType type) {
        catalog.put(type.oid(), type);
    }

    /** The type of {@code oid}; never null ({@link PgType.Kind#OTHER} if unknown). */
    public PgType resolve(int oid) {
        return resolve(oid, 0);
    }

    private PgType resolve(int oid, int depth) {
        PgBuiltinType builtin = PgBuiltinType.ofOid(oid);
        if (builtin != null) {
            return PgType.of(builtin);
        }
        PgBuiltinType arrayOf = PgBuiltinType.ofArrayOid(oid);
        if (arrayOf != null) {
            return PgType.arrayOf(oid, PgType.of(arrayOf));
        }
        if (depth > MAX_DEPTH) {
            return PgType.user(oid, "OID " + oid + " (nested too deeply)", PgType.Kind.OTHER);
        }
        PgUserType fromCatalog = catalog.get(oid);
        if (fromCatalog != null) {
            return fromCatalog(fromCatalog, depth);
        }
        TypeMessage message = announced.get(oid);
        if (message != null) {
            return fromMessage(message, depth);
        }
        return PgType.user(
                oid,
                (Integer.compareUnsigned(oid, 10_000) < 0 ? "built-in type OID " : "type OID ")
                        + Integer.toUnsignedString(oid),
                PgType.Kind.OTHER);
    }

    private PgType fromCatalog(PgUserType t, int depth) {
        String name = t.qualifiedName();
        switch (t.typtype()) {
            case 'd':
                return PgType.domain(
                        t.oid(), name, resolve(t.baseTypeOid(), depth + 1), t.baseTypeModifier());
            case 'e':
                return PgType.user(t.oid(), name, PgType.Kind.ENUM);
            case 'c':
                return PgType.user(t.oid(), name, PgType.Kind.COMPOSITE);
            case 'r':
                return PgType.userRange(
                        t.oid(), name, false, resolve(t.rangeSubtypeOid(), depth + 1));
            case 'm':
                return PgType.userRange(
                        t.oid(), name, true, resolve(t.multirangeRangeOid(), depth + 1));
            case 'b':
                if (t.typcategory() == 'A' && t.elementOid() != 0) {
                    return PgType.arrayOf(t.oid(), resolve(t.elementOid(), depth + 1));
                }
                return byExtensionName(t.oid(), t.name(), name);
            default:
                return PgType.user(t.oid(), name, PgType.Kind.OTHER);
        }
    }

    private PgType fromMessage(TypeMessage m, int depth) {
        String ns = m.namespace();
        String typeName = m.typeName();
        if (ns.isEmpty() || ns.equals("pg_catalog")) {
            PgBuiltinType base = PgBuiltinType.ofName(typeName);
            if (base != null) {
                return PgType.domain(m.typeOid(), "OID " + m.typeOid(), PgType.of(base), -1);
            }
            if (typeName.startsWith("_")) {
                PgBuiltinType element = PgBuiltinType.ofName(typeName.substring(1));
                if (element != null) {
                    PgType array = PgType.arrayOf(element.arrayOid(), PgType.of(element));
                    return PgType.domain(m.typeOid(), "OID " + m.typeOid(), array, -1);
                }
            }
        }
        String qualified = ns.isEmpty() ? typeName : ns + "." + typeName;
        if (typeName.startsWith("_") && typeName.length() > 1) {
            String elementName = typeName.substring(1);
            PgType element = null;
            for (TypeMessage other : announced.values()) {
                if (other.typeOid() != m.typeOid()
                        && other.namespace().equals(ns)
                        && other.typeName().equals(elementName)) {
                    element = resolve(other.typeOid(), depth + 1);
                    break;
                }
            }
            if (element == null) {
                element =
                        byExtensionName(
                                0,
                                elementName,
                                ns.isEmpty() ? elementName : ns + "." + elementName);
            }
            return PgType.arrayOf(m.typeOid(), element);
        }
        return byExtensionName(m.typeOid(), typeName, qualified);
    }

    private static PgType byExtensionName(int oid, String typeName, String displayName) {
        switch (typeName) {
            case "hstore":
                return PgType.user(oid, displayName, PgType.Kind.HSTORE);
            case "citext":
                return PgType.user(oid, displayName, PgType.Kind.TEXT_EXTENSION);
            default:
                return PgType.user(oid, displayName, PgType.Kind.OTHER);
        }
    }
}
