package io.pgwalstream.flink.rowdata;

import io.pgwalstream.protocol.TypeMessage;
import io.pgwalstream.types.PgBuiltinType;
import io.pgwalstream.types.PgType;
import io.pgwalstream.types.PgTypeRegistry;
import io.pgwalstream.types.PgUserType;

import org.apache.flink.configuration.ConfigOption;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code docs/type-mapping.md} says what the code does: every table row is checked. */
class TypeMappingDocTest {

    private static final Pattern SPEC =
            Pattern.compile("([a-z0-9_]+)(?:\\((-?\\d+)(?:,(-?\\d+))?\\))?(\\[\\])?");

    private final List<String> doc = read();

    private static List<String> read() {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/type-mapping.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/type-mapping.md above the working directory").isNotNull();
        try {
            return Files.readAllLines(dir.resolve("docs/type-mapping.md"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The rows (cells without the outer pipes, trimmed) of the first table after a heading. */
    private List<List<String>> table(String heading) {
        int i = doc.indexOf(heading);
        assertThat(i).as("heading %s", heading).isNotNegative();
        while (!doc.get(i).startsWith("|")) {
            i++;
        }
        i += 2; // header and separator
        List<List<String>> rows = new ArrayList<>();
        for (; i < doc.size() && doc.get(i).startsWith("|"); i++) {
            String line = doc.get(i);
            String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
            rows.add(Arrays.stream(cells).map(String::trim).collect(Collectors.toList()));
        }
        assertThat(rows).isNotEmpty();
        return rows;
    }

    private static String code(String cell) {
        assertThat(cell).as("a `code` cell").startsWith("`").endsWith("`");
        return cell.substring(1, cell.length() - 1);
    }

    @Test
    void builtInTableMatchesTheMapping() {
        PgTypeMapping mapping = PgTypeMapping.defaults();
        Set<PgBuiltinType> documented = new HashSet<>();
        for (List<String> row : table("## Built-in types")) {
            String spec = code(row.get(0));
            Matcher m = SPEC.matcher(spec);
            assertThat(m.matches()).as("type spec %s", spec).isTrue();
            PgBuiltinType base = PgBuiltinType.ofName(m.group(1));
            assertThat(base).as("built-in type %s", m.group(1)).isNotNull();
            int typmod = typmod(base, m.group(2), m.group(3));
            boolean array = m.group(4) != null;
            PgType type =
                    array ? PgType.arrayOf(base.arrayOid(), PgType.of(base)) : PgType.of(base);
            assertThat(Integer.parseInt(row.get(1))).as("OID of %s", spec).isEqualTo(type.oid());
            assertThat(mapping.map(type, typmod).toString())
                    .as("Flink type of %s", spec)
                    .isEqualTo(code(row.get(2)));
            if (!array) {
                documented.add(base);
            }
        }
        assertThat(documented)
                .as("every built-in type has a row")
                .containsExactlyInAnyOrder(PgBuiltinType.values());
    }

    /** The typmod PostgreSQL stores for a spelled type modifier. */
    private static int typmod(PgBuiltinType type, String first, String second) {
        if (first == null) {
            return -1;
        }
        int a = Integer.parseInt(first);
        switch (type) {
            case NUMERIC:
                int scale = second == null ? 0 : Integer.parseInt(second);
                return ((a << 16) | (scale & 0x7FF)) + 4;
            case VARCHAR:
            case BPCHAR:
                return a + 4;
            default:
                return a;
        }
    }

    @Test
    void userTypeTableMatchesTheRegistry() {
        Map<String, BiFunction<PgTypeRegistry, Boolean, PgType>> cases =
                Map.of(
                        "domain over a built-in type",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_001, "", "int4"));
                            if (catalog) {
                                r.register(
                                        new PgUserType(
                                                30_001, "public", "posint", 'd', 'N', 23, -1, 0, 0,
                                                0));
                            }
                            return r.resolve(30_001);
                        },
                        "domain over a user type",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_002, "public", "mood"));
                            if (catalog) {
                                r.register(
                                        new PgUserType(
                                                30_003, "public", "mood", 'e', 'E', 0, -1, 0, 0,
                                                0));
                                r.register(
                                        new PgUserType(
                                                30_002,
                                                "public",
                                                "good_mood",
                                                'd',
                                                'E',
                                                30_003,
                                                -1,
                                                0,
                                                0,
                                                0));
                            }
                            return r.resolve(30_002);
                        },
                        "enum",
                        (r, catalog) -> user(r, catalog, 'e', 'E', 0, 0),
                        "composite",
                        (r, catalog) -> user(r, catalog, 'c', 'C', 0, 0),
                        "range over a built-in type",
                        (r, catalog) -> user(r, catalog, 'r', 'R', 0, 23),
                        "multirange",
                        (r, catalog) -> {
                            if (catalog) {
                                r.register(
                                        new PgUserType(
                                                30_020, "public", "r", 'r', 'R', 0, -1, 0, 701, 0));
                            }
                            return userOid(r, catalog, 30_021, "rm", 'm', 'R', 0, 0, 30_020);
                        },
                        "array of an enum",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_030, "public", "mood"));
                            if (catalog) {
                                r.register(
                                        new PgUserType(
                                                30_030, "public", "mood", 'e', 'E', 0, -1, 0, 0,
                                                0));
                            }
                            return userOid(r, catalog, 30_031, "_mood", 'b', 'A', 30_030, 0, 0);
                        },
                        "hstore",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_040, "public", "hstore"));
                            return r.resolve(30_040);
                        },
                        "citext",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_050, "public", "citext"));
                            return r.resolve(30_050);
                        },
                        "other base type",
                        (r, catalog) -> {
                            r.register(new TypeMessage(-1, 30_060, "public", "geometry"));
                            if (catalog) {
                                r.register(
                                        new PgUserType(
                                                30_060,
                                                "public",
                                                "geometry",
                                                'b',
                                                'U',
                                                0,
                                                -1,
                                                0,
                                                0,
                                                0));
                            }
                            return r.resolve(30_060);
                        });
        List<List<String>> rows = table("## User-defined types");
        assertThat(rows.stream().map(r -> r.get(0)))
                .containsExactlyInAnyOrderElementsOf(cases.keySet());
        PgTypeMapping mapping = PgTypeMapping.defaults();
        for (List<String> row : rows) {
            String key = row.get(0);
            PgType fromMessage = cases.get(key).apply(new PgTypeRegistry(), false);
            PgType withCatalog = cases.get(key).apply(new PgTypeRegistry(), true);
            String flink = row.get(1);
            if (flink.equals("base type's mapping")) {
                assertThat(withCatalog.domainLabel()).as(key).isNotNull();
            } else {
                assertThat(mapping.map(withCatalog, -1).toString()).as(key).isEqualTo(code(flink));
                assertThat(mapping.map(fromMessage, -1).toString()).as(key).isEqualTo(code(flink));
            }
            switch (row.get(2)) {
                case "yes":
                    assertThat(fromMessage.binaryFormatKnown()).as(key).isTrue();
                    break;
                case "no":
                    assertThat(withCatalog.binaryFormatKnown()).as(key).isFalse();
                    break;
                case "with catalog facts":
                    assertThat(fromMessage.binaryFormatKnown()).as(key).isFalse();
                    assertThat(withCatalog.binaryFormatKnown()).as(key).isTrue();
                    break;
                default:
                    throw new AssertionError("unexpected cell " + row.get(2));
            }
        }
    }

    private static PgType user(
            PgTypeRegistry r, boolean catalog, char typtype, char category, int elem, int subtype) {
        return userOid(r, catalog, 30_010, "thing", typtype, category, elem, subtype, 0);
    }

    private static PgType userOid(
            PgTypeRegistry r,
            boolean catalog,
            int oid,
            String name,
            char typtype,
            char category,
            int elem,
            int subtype,
            int rangeOfMultirange) {
        r.register(new TypeMessage(-1, oid, "public", name));
        if (catalog) {
            r.register(
                    new PgUserType(
                            oid,
                            "public",
                            name,
                            typtype,
                            category,
                            0,
                            -1,
                            elem,
                            subtype,
                            rangeOfMultirange));
        }
        return r.resolve(oid);
    }

    @Test
    void optionTableMatchesTheOptions() throws IllegalAccessException {
        Map<String, List<String>> rows =
                table("## Options").stream().collect(Collectors.toMap(r -> code(r.get(0)), r -> r));
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field f : PgConversionOptions.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                options.add((ConfigOption<?>) f.get(null));
            }
        }
        assertThat(rows.keySet())
                .containsExactlyInAnyOrderElementsOf(
                        options.stream().map(ConfigOption::key).collect(Collectors.toList()));
        for (ConfigOption<?> option : options) {
            List<String> row = rows.get(option.key());
            // types.unchanged-toast has no fixed default (SQL decides it per table at planning):
            // this page documents the DataStream API's.
            Object defaultValue =
                    option.hasDefaultValue()
                            ? option.defaultValue()
                            : ConversionPolicies.defaults().unchangedToast();
            assertThat(code(row.get(2))).as(option.key()).isEqualTo(defaultValue.toString());
            if (defaultValue instanceof String) {
                assertThat(row.get(1).trim()).as(option.key()).isEqualTo("any text");
                continue;
            }
            List<String> values =
                    Arrays.stream(row.get(1).split(","))
                            .map(String::trim)
                            .map(TypeMappingDocTest::code)
                            .collect(Collectors.toList());
            if (defaultValue instanceof Enum) {
                assertThat(values)
                        .as(option.key())
                        .containsExactlyInAnyOrderElementsOf(
                                Arrays.stream(
                                                ((Enum<?>) defaultValue)
                                                        .getDeclaringClass()
                                                        .getEnumConstants())
                                        .map(Object::toString)
                                        .collect(Collectors.toList()));
            } else {
                assertThat(values).containsExactly("true", "false");
            }
        }
    }
}
