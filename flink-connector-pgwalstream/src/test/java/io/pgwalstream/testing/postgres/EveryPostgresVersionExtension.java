package io.pgwalstream.testing.postgres;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.util.List;
import java.util.stream.Stream;

/** Backs {@link EveryPostgresVersion}: one invocation per selected PostgreSQL version. */
final class EveryPostgresVersionExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(EveryPostgresVersion.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
            ExtensionContext context) {
        return PostgresVersion.selected().stream().map(VersionInvocation::new);
    }

    private static final class VersionInvocation implements TestTemplateInvocationContext {
        private final PostgresVersion version;

        VersionInvocation(PostgresVersion version) {
            this.version = version;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return version.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ServerParameterResolver(version));
        }
    }

    /** Resolves a {@link PostgresServer} or {@link PostgresVersion} parameter for one version. */
    static final class ServerParameterResolver implements ParameterResolver {
        private final PostgresVersion version;

        ServerParameterResolver(PostgresVersion version) {
            this.version = version;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == PostgresServer.class || type == PostgresVersion.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == PostgresVersion.class
                    ? version
                    : PostgresServers.shared(version);
        }
    }
}
