package io.pgwalstream.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java example of {@code docs/datastream.md} is marked with its name and equals, up to
 * whitespace, the region of that name in {@link DataStreamDocExamples}, which the build compiles.
 */
class DataStreamDocTest {

    private static final Pattern DOC_EXAMPLE =
            Pattern.compile(
                    "<!-- example: ([\\w-]+)[^>]*-->\\s*```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CODE_REGION =
            Pattern.compile("// example: ([\\w-]+)\\n(.*?)// end example", Pattern.DOTALL);

    @Test
    void everyJavaExampleIsCompiledInDataStreamDocExamples() throws IOException {
        Path root = root();
        String doc = Files.readString(root.resolve("docs/datastream.md"), StandardCharsets.UTF_8);
        String code =
                Files.readString(
                        root.resolve(
                                "flink-connector-pgwalstream/src/test/java/io/pgwalstream/docs/"
                                        + "DataStreamDocExamples.java"),
                        StandardCharsets.UTF_8);

        Map<String, String> examples = regions(DOC_EXAMPLE, doc);
        Map<String, String> compiled = regions(CODE_REGION, code);
        long javaBlocks = doc.split("```java", -1).length - 1L;
        assertThat(examples)
                .as("marked Java examples in docs/datastream.md")
                .hasSize((int) javaBlocks);
        assertThat(compiled.keySet()).containsExactlyInAnyOrderElementsOf(examples.keySet());
        for (Map.Entry<String, String> e : examples.entrySet()) {
            assertThat(normalized(compiled.get(e.getKey())))
                    .as("example '%s' of docs/datastream.md", e.getKey())
                    .isEqualTo(normalized(e.getValue()));
        }
    }

    private static Map<String, String> regions(Pattern pattern, String text) {
        Map<String, String> result = new LinkedHashMap<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            result.put(m.group(1), m.group(2));
        }
        return result;
    }

    private static String normalized(String code) {
        return code.replaceAll("\\s+", "");
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/datastream.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/datastream.md above the working directory").isNotNull();
        return dir;
    }
}
