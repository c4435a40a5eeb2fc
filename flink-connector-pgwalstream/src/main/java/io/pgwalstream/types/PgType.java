package io.pgwalstream.types;

import javax.annotation.Nullable;

import java.util.Objects;

/**
 * A column type as far as conversion is concerned: what {@link PgTypeRegistry#resolve} made of a
 * type OID. Domains are resolved to their base type (keeping their own OID); arrays, ranges and
 * multiranges carry their element, subtype or range type.
 */
public final class PgType {

    /** The shape of the type. */
    public enum Kind {
        /** A built-in scalar type ({@link #builtin()} says which). */
        BUILTIN,
        /** An array; {@link #element()} is the element type. */
        ARRAY,
        /** A range; {@link #element()} is the subtype. */
        RANGE,
        /** A multirange; {@link #element()} is the range type. */
        MULTIRANGE,
        /** A user-defined enum: binary and text forms are the label. */
        ENUM,
        /** A composite (row) type; binary values carry each field's type OID. */
        COMPOSITE,
        /** The {@code hstore} extension type. */
        HSTORE,
        /** An extension type whose binary form is its text (e.g. {@code citext}). */
        TEXT_EXTENSION,
        /**
         * A type the connector cannot interpret beyond its text form: a user type known only by
         * name, or a built-in type missing from {@link PgBuiltinType}.
         */
        OTHER
    }

    private final int oid;
    private final String name;
    private final Kind kind;
    @Nullable private final PgBuiltinType builtin;
    @Nullable private final PgType element;
    private final int domainTypeModifier;
    @Nullable private final String domainLabel;

    private PgType(
            int oid,
            String name,
            Kind kind,
            @Nullable PgBuiltinType builtin,
            @Nullable PgType element,
            int domainTypeModifier,
            @Nullable String domainLabel) {
        this.oid = oid;
        this.name = Objects.requireNonNull(name, "name");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.builtin = builtin;
        this.element = element;
        this.domainTypeModifier = domainTypeModifier;
        this.domainLabel = domainLabel;
    }

    /**
     * The built-in type itself (ranges and multiranges as {@link Kind#RANGE}/{@link
     * Kind#MULTIRANGE}).
     */
    public static PgType of(PgBuiltinType builtin) {
        PgBuiltinType sub = builtin.rangeSubtype();
        if (sub != null) {
            return new PgType(
                    builtin.oid(),
                    builtin.typeName(),
                    builtin.isRange() ? Kind.RANGE : Kind.MULTIRANGE,
                    builtin,
                    of(sub),
                    -1,
                    null);
        }
        return new PgType(builtin.oid(), builtin.typeName(), Kind.BUILTIN, builtin, null, -1, null);
    }

    /** An array type of {@code element}. */
    public static PgType arrayOf(int oid, PgType element) {
        return new PgType(oid, element.name + "[]", Kind.ARRAY, null, element, -1, null);
    }

    /** A user type of a kind without further structure (enum, composite, hstore, …). */
    public static PgType user(int oid, String name, Kind kind) {
        if (kind == Kind.BUILTIN || kind == Kind.ARRAY) {
            throw new IllegalArgumentException(kind + " needs more than a name");
        }
        return new PgType(oid, name, kind, null, null, -1, null);
    }

    /** A user range or multirange type over {@code element}. */
    public static PgType userRange(int oid, String name, boolean multirange, PgType element) {
        return new PgType(
                oid, name, multirange ? Kind.MULTIRANGE : Kind.RANGE, null, element, -1, null);
    }

    /**
     * A domain: converts like {@code base}, but keeps its own OID and name; {@code typeModifier} is
     * the domain's {@code typtypmod} (applies when the column has none), -1 if unknown.
     */
    public static PgType domain(int oid, String label, PgType base, int typeModifier) {
        return new PgType(
                oid,
                base.name,
                base.kind,
                base.builtin,
                base.element,
                typeModifier >= 0 ? typeModifier : base.domainTypeModifier,
                label);
    }

    public int oid() {
        return oid;
    }

    /**
     * Name of the type, or for a domain of its base type: {@code int4}, {@code int4[]}, {@code
     * public.mood}. {@code PgTypeMapping.displayName} adds type modifiers and domains.
     */
    public String name() {
        return name;
    }

    /**
     * For a domain its name (or {@code OID n} when only a Type message announced it), else null.
     */
    @Nullable
    public String domainLabel() {
        return domainLabel;
    }

    public Kind kind() {
        return kind;
    }

    /** The built-in type for {@link Kind#BUILTIN} and built-in ranges/multiranges, else null. */
    @Nullable
    public PgBuiltinType builtin() {
        return builtin;
    }

    /** Array element, range subtype or multirange range type; null for other kinds. */
    @Nullable
    public PgType element() {
        return element;
    }

    /** The type modifier a domain imposes, or -1. */
    public int domainTypeModifier() {
        return domainTypeModifier;
    }

    /** The column's typmod, or the domain's when the column has none. */
    public int effectiveTypeModifier(int columnTypeModifier) {
        return columnTypeModifier >= 0 ? columnTypeModifier : domainTypeModifier;
    }

    public boolean is(PgBuiltinType type) {
        return kind == Kind.BUILTIN && builtin == type;
    }

    /**
     * Whether values of this type can be interpreted in binary form ({@code 'b'}); every type can
     * be read in text form.
     */
    public boolean binaryFormatKnown() {
        switch (kind) {
            case OTHER:
                return false;
            case ARRAY:
            case RANGE:
            case MULTIRANGE:
                return element.binaryFormatKnown();
            default:
                return true;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PgType)) {
            return false;
        }
        PgType other = (PgType) o;
        return oid == other.oid
                && domainTypeModifier == other.domainTypeModifier
                && name.equals(other.name)
                && kind == other.kind
                && builtin == other.builtin
                && Objects.equals(element, other.element)
                && Objects.equals(domainLabel, other.domainLabel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(oid, name, kind, builtin, element, domainTypeModifier, domainLabel);
    }

    @Override
    public String toString() {
        return (domainLabel == null ? name : domainLabel + " (domain over " + name + ")")
                + " (OID "
                + Integer.toUnsignedString(oid)
                + ", "
                + kind
                + ")";
    }
}
