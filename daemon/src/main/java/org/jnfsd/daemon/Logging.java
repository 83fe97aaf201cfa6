package org.jnfsd.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's logging set-up on top of {@code logback.xml}: {@code --log-level} and
 * {@code --log-file}. Called once, before the server starts, on the main thread.
 */
final class Logging {
    /** The pattern of logback.xml: an ISO 8601 date and time with offset on every line. */
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0} - %msg%n";

    private Logging() {}

    /**
     * Sets a level: {@code LEVEL} (TRACE, DEBUG, INFO, WARN, ERROR) for the root logger, or
     * {@code LOGGER=LEVEL} for one logger and those below it ({@code org.jnfsd.core.callback=DEBUG}).
     * Anything else is one line.
     */
    static void level(String spec) throws DaemonException {
        int eq = spec.indexOf('=');
        String name = eq < 0 ? spec : spec.substring(eq + 1);
        Level level = Level.toLevel(name, null);
        if (level == null || (eq == 0)) {
            throw new DaemonException("--log-level " + spec + ": expected TRACE, DEBUG, INFO, WARN or ERROR"
                    + (eq < 0 ? "" : ", after LOGGER="));
        }
        ch.qos.logback.classic.Logger logger = eq < 0 ? root()
                : (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(spec.substring(0, eq));
        logger.setLevel(level);
    }

    /** From now on the log goes to {@code file} (appended, created with its parent), no longer to stderr. */
    static void toFile(Path file) throws DaemonException {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(ctx);
        appender.setName("FILE");
        appender.setFile(file.toAbsolutePath().toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new DaemonException("cannot write the log file " + file);
        }
        ch.qos.logback.classic.Logger root = root();
        root.addAppender(appender);
        root.detachAppender("STDERR");
    }

    private static ch.qos.logback.classic.Logger root() {
        return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    }
}
