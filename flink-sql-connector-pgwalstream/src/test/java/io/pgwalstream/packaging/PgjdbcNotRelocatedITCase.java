package io.pgwalstream.packaging;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.sql.Driver;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relocation decision (README.md of this module): pgjdbc keeps the package {@code
 * org.postgresql} in the SQL jar, so pgjdbc options that name classes ({@code sslfactory}, {@code
 * socketFactory}, ...) take the names pgjdbc documents, and the JDBC service entry names the real
 * driver class. Each test loads pgjdbc from the shaded jar alone.
 */
class PgjdbcNotRelocatedITCase {

    private static final String NON_VALIDATING_FACTORY = "org.postgresql.ssl.NonValidatingFactory";

    private static ShadedJar jar;

    @BeforeAll
    static void readJar() {
        jar = ShadedJar.built();
    }

    @Test
    void pgjdbcKeepsItsPackageAndHasNoRelocatedCopy() {
        assertThat(jar.entries()).contains("org/postgresql/Driver.class");
        assertThat(jar.entries())
                .as("pgjdbc classes under another package (a relocation)")
                .filteredOn(entry -> entry.endsWith("/org/postgresql/Driver.class"))
                .isEmpty();
    }

    @Test
    void bundledDriverIsThePinnedVersion() throws Exception {
        try (URLClassLoader loader = IsolatedJarLoader.of(jar.path())) {
            Class<?> info = Class.forName("org.postgresql.util.DriverInfo", true, loader);
            assertThat(info.getField("DRIVER_VERSION").get(null))
                    .as("pgjdbc version in the shaded jar (pinned in the parent pom)")
                    .isEqualTo(System.getProperty("pgwalstream.pgjdbc.version"));
        }
    }

    @Test
    void jdbcServiceEntryFindsTheBundledDriver() throws Exception {
        assertThat(jar.services("java.sql.Driver")).containsExactly("org.postgresql.Driver");
        try (URLClassLoader loader = IsolatedJarLoader.of(jar.path())) {
            List<Driver> drivers =
                    ServiceLoader.load(Driver.class, loader).stream()
                            .map(ServiceLoader.Provider::get)
                            .toList();
            assertThat(drivers).hasSize(1);
            Driver driver = drivers.get(0);
            assertThat(driver.getClass().getName()).isEqualTo("org.postgresql.Driver");
            assertThat(driver.getClass().getClassLoader()).isSameAs(loader);
            assertThat(driver.acceptsURL("jdbc:postgresql://127.0.0.1:5432/db")).isTrue();
        }
    }

    @Test
    void sslfactoryOptionTakesPgjdbcsDocumentedClassName() throws Exception {
        // The code path pgjdbc takes on connect for 'sslfactory' (sslmode other than disable).
        Object factory =
                socketFactoryFor("getSslSocketFactory", "sslfactory", NON_VALIDATING_FACTORY);
        assertThat(factory).isInstanceOf(javax.net.ssl.SSLSocketFactory.class);
    }

    @Test
    void socketFactoryOptionTakesPgjdbcsDocumentedClassName() throws Exception {
        // The code path pgjdbc takes on connect for 'socketFactory'.
        Object factory =
                socketFactoryFor("getSocketFactory", "socketFactory", NON_VALIDATING_FACTORY);
        assertThat(factory).isInstanceOf(javax.net.SocketFactory.class);
    }

    /**
     * Calls pgjdbc's {@code SocketFactoryFactory.<method>(properties)} from the shaded jar with one
     * option naming {@code className}, and checks that pgjdbc instantiated that very class from the
     * shaded jar. SocketFactoryFactory is taken from wherever the jar has it, so that a relocated
     * pgjdbc fails here on the option's class name, which is what users would meet.
     */
    private static Object socketFactoryFor(String method, String option, String className)
            throws Exception {
        String suffix = "org/postgresql/core/SocketFactoryFactory.class";
        String entry =
                jar.entries().stream()
                        .filter(e -> e.endsWith(suffix))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("No " + suffix + " in " + jar));
        String binaryName =
                entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        try (URLClassLoader loader = IsolatedJarLoader.of(jar.path())) {
            Class<?> factories = Class.forName(binaryName, true, loader);
            Method create = factories.getMethod(method, Properties.class);
            Properties properties = new Properties();
            properties.setProperty(option, className);
            Object factory = create.invoke(null, properties);
            assertThat(factory.getClass().getName()).isEqualTo(className);
            assertThat(factory.getClass().getClassLoader()).isSameAs(loader);
            return factory;
        }
    }
}
