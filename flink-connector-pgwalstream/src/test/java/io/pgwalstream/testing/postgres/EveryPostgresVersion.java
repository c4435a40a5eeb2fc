package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test method once per PostgreSQL version of the matrix (14–18, or those named by {@code
 * -Dpgwalstream.postgres.versions}), displayed as {@code PostgreSQL 16}. The method receives the
 * version's shared {@link PostgresServer} as a parameter.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(EveryPostgresVersionExtension.class)
public @interface EveryPostgresVersion {}
