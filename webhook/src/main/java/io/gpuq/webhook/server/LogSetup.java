package io.gpuq.webhook.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Process-wide log output of the long-running modes: one line per record on stderr, plain or JSON. */
public final class LogSetup {

    /** Held here: JUL keeps loggers weakly, and a collected logger would forget its level. */
    private static volatile Logger access;

    private LogSetup() {
    }

    /**
     * The JDK's own shutdown hook resets logging, which would swallow what the webhook logs while it
     * drains after SIGTERM. Once {@link #configure} has set logging up, this manager ignores resets.
     * Used only when installed before anything touched java.util.logging, which {@link #configure}
     * tries; otherwise the JDK's manager stays and only the last lines of a shutdown may be lost.
     */
    public static final class KeepOpenLogManager extends LogManager {
        private static volatile boolean frozen;

        @Override
        public void reset() {
            if (!frozen) {
                super.reset();
            }
        }
    }

    /**
     * Replaces the root logger's handlers; call once at process start, before anything logs.
     *
     * @param everyReview also log allowed reviews (one line each), not only denials and errors
     */
    public static void configure(boolean json, Level level, boolean everyReview) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", KeepOpenLogManager.class.getName());
        }
        KeepOpenLogManager.frozen = false;
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        // Levels are decided per logger, so the access logger can go below the root's level alone.
        handler.setLevel(Level.ALL);
        handler.setFormatter(json ? new JsonLogFormatter() : new PlainFormatter());
        root.addHandler(handler);
        root.setLevel(level);
        access = Logger.getLogger(ReviewLog.LOGGER);
        access.setLevel(everyReview ? Level.FINE : null);
        KeepOpenLogManager.frozen = true;
    }

    /** "time LEVEL logger: message", and the stack trace when there is one. */
    static final class PlainFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder sb = new StringBuilder(160)
                    .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(record.getParameters() != null && record.getParameters().length == 1
                            && record.getParameters()[0] instanceof LogFields
                            ? record.getMessage() : formatMessage(record))
                    .append(System.lineSeparator());
            if (record.getThrown() != null) {
                StringWriter stack = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(stack));
                sb.append(stack);
            }
            return sb.toString();
        }

        private static String shortName(String logger) {
            if (logger == null) {
                return "";
            }
            int dot = logger.lastIndexOf('.');
            return dot < 0 ? logger : logger.substring(dot + 1);
        }
    }
}
