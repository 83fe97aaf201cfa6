package org.jnfsd.core.fs;

/** A malformed exports file: the message starts with {@code source:line:column:}. */
public final class ExportsSyntaxException extends Exception {
    private final int line;
    private final int column;

    public ExportsSyntaxException(String source, int line, int column, String message) {
        super(source + ":" + line + ":" + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
