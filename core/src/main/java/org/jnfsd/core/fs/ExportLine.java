package org.jnfsd.core.fs;

import java.util.List;

/**
 * One export as an exports file declares it: a path and its client rules in the order written.
 *
 * @param line where it was declared (1-based; 0 when not read from a file)
 */
public record ExportLine(String path, List<ClientRule> rules, int line) {
    public ExportLine {
        rules = List.copyOf(rules);
    }

    /** Equality ignores where the line was. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ExportLine l && l.path.equals(path) && l.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + rules.hashCode();
    }
}
