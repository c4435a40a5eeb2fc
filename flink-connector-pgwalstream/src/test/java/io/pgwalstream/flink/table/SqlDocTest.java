package io.pgwalstream.flink.table;

import io.pgwalstream.flink.rowdata.MetadataColumn;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.util.TimeUtils;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/sql.md} lists exactly the connector's options and metadata, with their defaults. */
class SqlDocTest {

    private final List<String> doc = read();

    @Test
    void optionsTableMatchesTheFactory() {
        PgWalStreamDynamicTableFactory factory = new PgWalStreamDynamicTableFactory();
        Map<String, List<String>> documented = new HashMap<>();
        for (List<String> row : table("## Options")) {
            documented.put(code(row.get(0)), row);
        }
        Map<String, ConfigOption<?>> options = new HashMap<>();
        factory.requiredOptions().forEach(o -> options.put(o.key(), o));
        factory.optionalOptions().forEach(o -> options.put(o.key(), o));

        assertThat(documented.keySet())
                .as("documented options")
                .containsExactlyInAnyOrderElementsOf(
                        concat(options.keySet(), List.of("connector", "properties.*")));
        for (Map.Entry<String, ConfigOption<?>> e : options.entrySet()) {
            List<String> row = documented.get(e.getKey());
            boolean required = factory.requiredOptions().contains(e.getValue());
            assertThat(row.get(1))
                    .as("required: %s", e.getKey())
                    .isEqualTo(required ? "yes" : "no");
            assertThat(row.get(2))
                    .as("default of %s", e.getKey())
                    .isEqualTo(defaultCell(e.getValue()));
            assertThat(row.get(3)).as("description of %s", e.getKey()).isNotBlank();
        }
    }

    @Test
    void metadataTableMatchesTheMetadataColumns() {
        List<List<String>> rows = table("## Metadata columns");
        assertThat(rows).hasSize(MetadataColumn.values().length);
        for (List<String> row : rows) {
            MetadataColumn column = MetadataColumn.ofKey(code(row.get(0)));
            assertThat(code(row.get(1)))
                    .as("type of %s", column.key())
                    .isEqualTo(column.dataType().toString());
        }
    }

    private static String defaultCell(ConfigOption<?> option) {
        if (!option.hasDefaultValue()) {
            return "(none)";
        }
        Object value = option.defaultValue();
        String text;
        if (value instanceof Duration) {
            text = TimeUtils.formatWithHighestUnit((Duration) value);
        } else if (value instanceof MemorySize) {
            text = value.toString();
        } else {
            text = String.valueOf(value);
        }
        return "`" + text + "`";
    }

    private static List<String> concat(java.util.Collection<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String code(String cell) {
        assertThat(cell).as("a `code` cell").startsWith("`").endsWith("`");
        return cell.substring(1, cell.length() - 1);
    }

    private List<List<String>> table(String heading) {
        int i = doc.indexOf(heading);
        assertThat(i).as("heading %s", heading).isNotNegative();
        while (!doc.get(i).startsWith("|")) {
            i++;
        }
        i += 2;
        List<List<String>> rows = new ArrayList<>();
        for (; i < doc.size() && doc.get(i).startsWith("|"); i++) {
            String line = doc.get(i);
            rows.add(
                    Arrays.stream(line.substring(1, line.length() - 1).split("\\|", -1))
                            .map(String::trim)
                            .collect(Collectors.toList()));
        }
        return rows;
    }

    private static List<String> read() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/sql.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/sql.md above the working directory").isNotNull();
        try {
            return Files.readAllLines(dir.resolve("docs/sql.md"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
