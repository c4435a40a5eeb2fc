package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives test methods (and lifecycle methods) of the annotated class a {@link PostgresServer}
 * parameter: the shared server of the default version (17). Methods annotated with {@link
 * EveryPostgresVersion} get their own version instead. Use {@link WithPostgresVersion} to pick
 * another single version for a class or method. When the class is done, the persistent slots left
 * in the databases it created are dropped.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({DefaultPostgresVersionExtension.class, SlotCleanupExtension.class})
public @interface PostgresTest {}
