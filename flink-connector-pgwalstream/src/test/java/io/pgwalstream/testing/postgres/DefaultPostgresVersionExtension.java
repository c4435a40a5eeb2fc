package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.lang.reflect.Executable;
import java.lang.reflect.Method;

/** Backs {@link PostgresTest}: resolves the server of the default (or chosen) version. */
final class DefaultPostgresVersionExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        Executable executable = parameter.getDeclaringExecutable();
        boolean everyVersion =
                executable instanceof Method
                        && executable.isAnnotationPresent(EveryPostgresVersion.class);
        // Leave EveryPostgresVersion methods to their per-invocation resolver.
        return !everyVersion && (type == PostgresServer.class || type == PostgresVersion.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PostgresVersion version = chosenVersion(parameter.getDeclaringExecutable(), context);
        return parameter.getParameter().getType() == PostgresVersion.class
                ? version
                : PostgresServers.shared(version);
    }

    private static PostgresVersion chosenVersion(Executable executable, ExtensionContext context) {
        WithPostgresVersion onMethod = executable.getAnnotation(WithPostgresVersion.class);
        if (onMethod != null) {
            return PostgresVersion.ofMajor(onMethod.value());
        }
        WithPostgresVersion onClass =
                context.getRequiredTestClass().getAnnotation(WithPostgresVersion.class);
        return onClass != null ? PostgresVersion.ofMajor(onClass.value()) : PostgresVersion.DEFAULT;
    }
}
