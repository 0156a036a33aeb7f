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

    private LogSetup() {
    }

    /** Replaces the root logger's handlers; call once at process start, before anything logs. */
    public static void configure(boolean json, Level level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        handler.setLevel(level);
        handler.setFormatter(json ? new JsonLogFormatter() : new PlainFormatter());
        root.addHandler(handler);
        root.setLevel(level);
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
