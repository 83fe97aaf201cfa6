package org.jnfsd.server.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's embedding example is the code {@link ReadmeExample} compiles. */
class ReadmeExampleTest {
    @Test
    void readmeEmbeddingExample_isTheCompiledExample() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("## Embedding\\n.*?```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("a ```java block under ## Embedding in README.md").isTrue();

        String source = Files.readString(Path.of("src", "test", "java", "org", "jnfsd", "server", "example",
                "ReadmeExample.java"));
        Matcher region = Pattern.compile("// README:begin\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL).matcher(source);
        assertThat(region.find()).isTrue();

        assertThat(lines(block.group(1))).isEqualTo(lines(region.group(1)));
    }

    /** The lines of {@code code} without the indentation they share. */
    private static List<String> lines(String code) {
        return code.stripIndent().strip().lines().map(String::stripTrailing).toList();
    }
}
