package io.pgwalstream.replication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Quoting and parsing of table, schema and publication names, and the DDL built from them. */
@Timeout(30)
class TableNameTest {

    @Test
    void quotesEveryPartAndDoublesQuotes() {
        assertThat(TableName.of("public", "orders").quoted()).isEqualTo("\"public\".\"orders\"");
        assertThat(TableName.of("Sales ✓", "Kunden \"VIP\"").toString())
                .isEqualTo("\"Sales ✓\".\"Kunden \"\"VIP\"\"\"");
        assertThat(SqlIdentifier.quote("My \"Pub\" ü")).isEqualTo("\"My \"\"Pub\"\" ü\"");
    }

    @Test
    void parsesPlainAndQuotedParts() {
        assertThat(TableName.parse("public.orders")).isEqualTo(TableName.of("public", "orders"));
        assertThat(TableName.parse("Sales.Orders")).isEqualTo(TableName.of("Sales", "Orders"));
        assertThat(TableName.parse("Sales ✓.Order Items"))
                .isEqualTo(TableName.of("Sales ✓", "Order Items"));
        assertThat(TableName.parse("\"Sales ✓\".\"Order Items\""))
                .isEqualTo(TableName.of("Sales ✓", "Order Items"));
        assertThat(TableName.parse("\"a.b\".\"c\"\"d\"")).isEqualTo(TableName.of("a.b", "c\"d"));
        assertThat(TableName.parse("s.\"\"\"\"")).isEqualTo(TableName.of("s", "\""));
    }

    @Test
    void rejectsWhatIsNotSchemaDotTable() {
        for (String bad :
                List.of(
                        "orders",
                        "a.b.c",
                        ".orders",
                        "public.",
                        "\"open.orders",
                        "\"a\"x.b",
                        "a.\"b\" ",
                        "a\"b.c",
                        "\"\".t")) {
            assertThatThrownBy(() -> TableName.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> TableName.parse("orders"))
                .hasMessageContaining("Write schema.table")
                .hasMessageContaining("\"Sales\".\"Order Items\"");
        assertThatThrownBy(() -> TableName.parse(null)).hasMessageContaining("missing");
    }

    @Test
    void namesTheServerWouldTruncateOrRejectAreRefused() {
        String longest = "ü".repeat(31) + "x";
        assertThat(SqlIdentifier.validate(longest, "schema")).isEqualTo(longest);
        assertThatThrownBy(() -> TableName.of("ü".repeat(32), "t"))
                .hasMessageContaining("schema name")
                .hasMessageContaining("64 bytes");
        assertThatThrownBy(() -> TableName.of("s", "")).hasMessageContaining("table name is empty");
        assertThatThrownBy(() -> SqlIdentifier.quote("a\0b")).hasMessageContaining("NUL");
    }

    @Test
    void ordersBySchemaThenTable() {
        assertThat(
                        List.of(
                                        TableName.of("b", "a"),
                                        TableName.of("a", "z"),
                                        TableName.of("a", "b"))
                                .stream()
                                .sorted()
                                .toList())
                .containsExactly(
                        TableName.of("a", "b"), TableName.of("a", "z"), TableName.of("b", "a"));
    }

    @Test
    void publicationDdlQuotesEveryName() {
        List<TableName> tables =
                List.of(TableName.of("Sales ✓", "Order Items"), TableName.of("public", "x\"y"));
        assertThat(PublicationDdl.create("My \"Pub\" ü", tables))
                .isEqualTo(
                        "CREATE PUBLICATION \"My \"\"Pub\"\" ü\" FOR TABLE \"Sales ✓\".\"Order"
                                + " Items\", \"public\".\"x\"\"y\"");
        assertThat(PublicationDdl.addTables("p", tables.subList(1, 2)))
                .isEqualTo("ALTER PUBLICATION \"p\" ADD TABLE \"public\".\"x\"\"y\"");
        assertThatThrownBy(() -> PublicationDdl.create("p", List.of()))
                .hasMessageContaining("at least one table");
    }

    @Test
    void theQuotedFormParsesBack() {
        String alphabet = "aZ_0 .\"'\\ü✓\uD83D\uDE00";
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            TableName name =
                    TableName.of(randomName(random, alphabet), randomName(random, alphabet));
            assertThat(TableName.parse(name.quoted())).as(name.quoted()).isEqualTo(name);
        }
    }

    private static String randomName(Random random, String alphabet) {
        StringBuilder name = new StringBuilder();
        int length = 1 + random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int at = random.nextInt(alphabet.length() - 1);
            // Keep surrogate pairs whole.
            if (Character.isHighSurrogate(alphabet.charAt(at))) {
                name.append(alphabet, at, at + 2);
            } else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
                name.append(alphabet.charAt(at));
            }
        }
        return name.length() == 0 ? "x" : name.toString();
    }
}
