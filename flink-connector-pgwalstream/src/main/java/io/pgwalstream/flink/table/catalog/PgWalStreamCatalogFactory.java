package io.pgwalstream.flink.table.catalog;

import io.pgwalstream.flink.table.PgWalStreamDynamicTableFactory;
import io.pgwalstream.replication.PgConnectionConfig;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.pgwalstream.flink.table.PgWalStreamOptions.DATABASE_NAME;
import static io.pgwalstream.flink.table.PgWalStreamOptions.HOSTNAME;
import static io.pgwalstream.flink.table.PgWalStreamOptions.PASSWORD;
import static io.pgwalstream.flink.table.PgWalStreamOptions.PORT;
import static io.pgwalstream.flink.table.PgWalStreamOptions.USERNAME;

/**
 * {@code 'type' = 'pg-walstream'}: a read-only catalog of one PostgreSQL database ({@link
 * PgWalStreamCatalog}). The connection options are the table's; every other option is a default for
 * the catalog's tables (e.g. {@code 'scan.startup.mode'}, {@code 'publication.auto-create'}),
 * checked when a query reads a table. A query overrides them with {@code OPTIONS(…)} hints.
 */
@Internal
public final class PgWalStreamCatalogFactory implements CatalogFactory {

    /** The PostgreSQL schema that {@code USE CATALOG} starts in. */
    public static final ConfigOption<String> DEFAULT_DATABASE =
            ConfigOptions.key("default-database")
                    .stringType()
                    .defaultValue("public")
                    .withDescription("The PostgreSQL schema the catalog starts in.");

    @Override
    public String factoryIdentifier() {
        return PgWalStreamDynamicTableFactory.IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return new LinkedHashSet<>(List.of(HOSTNAME, USERNAME, DATABASE_NAME));
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return new LinkedHashSet<>(List.of(PORT, PASSWORD, DEFAULT_DATABASE));
    }

    @Override
    public Catalog createCatalog(Context context) {
        Map<String, String> options = new HashMap<>(context.getOptions());
        options.remove("type");
        String defaultDatabase =
                options.getOrDefault(DEFAULT_DATABASE.key(), DEFAULT_DATABASE.defaultValue());
        options.remove(DEFAULT_DATABASE.key());
        for (ConfigOption<?> required : requiredOptions()) {
            if (options.get(required.key()) == null) {
                throw new ValidationException(
                        "Catalog '"
                                + context.getName()
                                + "' needs the option '"
                                + required.key()
                                + "' ("
                                + required.description()
                                + ")");
            }
        }
        String port = options.getOrDefault(PORT.key(), Integer.toString(PORT.defaultValue()));
        Map<String, String> driverProperties = new TreeMap<>();
        options.forEach(
                (k, v) -> {
                    if (k.startsWith("properties.")) {
                        driverProperties.put(k.substring("properties.".length()), v);
                    }
                });
        PgConnectionConfig connection;
        try {
            connection =
                    new PgConnectionConfig(
                            options.get(HOSTNAME.key()),
                            Integer.parseInt(port),
                            options.get(DATABASE_NAME.key()),
                            options.get(USERNAME.key()),
                            options.get(PASSWORD.key()),
                            driverProperties);
        } catch (IllegalArgumentException e) {
            throw new ValidationException(
                    "Catalog '" + context.getName() + "': " + e.getMessage(), e);
        }
        return new PgWalStreamCatalog(context.getName(), defaultDatabase, connection, options);
    }
}
