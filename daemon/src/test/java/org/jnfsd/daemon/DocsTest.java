package org.jnfsd.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The documentation names what the command line has: every {@code jnfsd serve} option is in the
 * README's options table and in the man page, and every subcommand is in the man page's synopsis
 * and in the README. A new option or command without its documentation fails here.
 */
class DocsTest {
    private static final CommandSpec JNFSD = new CommandLine(new Main()).getCommandSpec();

    @Test
    void everyServeOption_isInTheReadmeTable_andTheManPage() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String table = readme.substring(readme.indexOf("### `jnfsd serve` options"));
        table = table.substring(0, table.indexOf("\n\n", table.indexOf("|---|")));
        String man = Files.readString(Path.of("..", "dist", "src", "man", "jnfsd.8"));
        for (String option : serveOptions()) {
            assertThat(table).as("README's serve options table documents %s", option).contains("| `" + option);
            assertThat(man).as("jnfsd.8 documents %s", option).satisfiesAnyOf(m -> assertThat(m).contains(".BI " + roff(option) + " "),
                            m -> assertThat(m).contains(".B " + roff(option) + "\n"),
                            m -> assertThat(m).contains(".BR " + roff(option) + " "));
        }
    }

    @Test
    void everySubcommand_isInTheManPageSynopsis_andTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        String man = Files.readString(Path.of("..", "dist", "src", "man", "jnfsd.8"));
        String synopsis = man.substring(man.indexOf(".SH SYNOPSIS"), man.indexOf(".SH DESCRIPTION"));
        for (String command : JNFSD.subcommands().keySet()) {
            if (command.equals("help")) {
                continue;
            }
            assertThat(synopsis).as("jnfsd.8 synopsis shows jnfsd %s", command).contains(".B jnfsd " + command + "\n");
            assertThat(readme).as("README shows jnfsd %s", command).contains("jnfsd " + command);
        }
    }

    private static List<String> serveOptions() {
        return JNFSD.subcommands().get("serve").getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp())
                .map(OptionSpec::longestName)
                .toList();
    }

    /** How roff source spells an option: every '-' escaped. */
    private static String roff(String option) {
        return option.replace("-", "\\-");
    }
}
