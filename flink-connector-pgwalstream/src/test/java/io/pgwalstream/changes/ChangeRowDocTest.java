package io.pgwalstream.changes;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The getter table of {@code docs/datastream.md} lists exactly {@link ChangeRow}'s getters, each
 * with the PostgreSQL types it reads.
 */
class ChangeRowDocTest {

    @Test
    void theGetterTableMatchesChangeRow() throws IOException {
        Map<String, String> documented = getterTable();

        Set<String> getters = new TreeSet<>();
        for (Method m : ChangeRow.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("get")) {
                getters.add(m.getName());
            }
        }
        assertThat(documented.keySet()).as("documented getters").hasSameElementsAs(getters);

        for (ValueReader reader : ValueReader.values()) {
            assertThat(documented.get(reader.getter()))
                    .as("types of %s", reader.getter())
                    .isEqualTo(reader.accepted());
        }
        String listRow = documented.get("getList");
        for (ValueReader reader : ValueReader.values()) {
            if (reader != ValueReader.JSON) {
                assertThat(listRow).contains("`" + reader.javaType().getSimpleName() + "`");
                assertThat(ValueReader.forElements(reader.javaType())).isEqualTo(reader);
            }
        }
    }

    /** Getter name (without parameters) to the types cell. */
    private static Map<String, String> getterTable() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/datastream.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/datastream.md above the working directory").isNotNull();
        List<String> lines = Files.readAllLines(dir.resolve("docs/datastream.md"));
        int header = lines.indexOf("| Getter | PostgreSQL types it reads |");
        assertThat(header).as("the getter table's header").isNotNegative();
        Map<String, String> rows = new LinkedHashMap<>();
        List<String> cells = new ArrayList<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            cells.clear();
            for (String cell : lines.get(i).split("\\|")) {
                cells.add(cell.trim());
            }
            String getter = cells.get(1).replace("`", "").replaceAll("\\(.*\\)", "");
            rows.put(getter, cells.get(2));
        }
        return rows;
    }
}
