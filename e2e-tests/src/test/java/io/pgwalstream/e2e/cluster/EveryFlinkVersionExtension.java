package io.pgwalstream.e2e.cluster;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Backs {@link EveryFlinkVersion}: one invocation per selected Flink version. */
final class EveryFlinkVersionExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(EveryFlinkVersion.class))
                .orElse(false);
    }

    @Override
    public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
        // -Dpgwalstream.e2e.flink.versions may exclude the version of this JVM.
        return true;
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
            ExtensionContext context) {
        return FlinkDistribution.selected().stream().map(VersionInvocation::new);
    }

    private static final class VersionInvocation implements TestTemplateInvocationContext {
        private final FlinkDistribution distribution;

        VersionInvocation(FlinkDistribution distribution) {
            this.distribution = distribution;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return distribution.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new ClusterParameterResolver(distribution));
        }
    }

    /** Resolves a {@link FlinkCluster} or {@link FlinkDistribution} parameter for one version. */
    private static final class ClusterParameterResolver implements ParameterResolver {
        private final FlinkDistribution distribution;

        ClusterParameterResolver(FlinkDistribution distribution) {
            this.distribution = distribution;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == FlinkCluster.class || type == FlinkDistribution.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (parameter.getParameter().getType() == FlinkDistribution.class) {
                return distribution;
            }
            try {
                return FlinkClusters.in(context).prepared(distribution);
            } catch (TimeoutException e) {
                throw new ParameterResolutionException(
                        "Cannot start a " + distribution.displayName() + " cluster", e);
            }
        }
    }
}
