package io.gpuq.cli.demo;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the components' logs go while the demo runs: everything from INFO up to {@code demo.log}, so
 * that the terminal shows the demo's own output; only SEVERE records also reach stderr. Closing puts
 * the previous handlers back.
 */
final class DemoLogging implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final List<Handler> previous;
    private final Level previousLevel;
    private final FileHandler file;
    private final Handler console;
    private final Path logFile;

    private DemoLogging(Path log) {
        this.logFile = log;
        this.previous = List.of(root.getHandlers());
        this.previousLevel = root.getLevel();
        try {
            this.file = new FileHandler(log.toString(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo log " + log + ": " + e.getMessage(), e);
        }
        file.setFormatter(new LineFormatter());
        file.setLevel(Level.INFO);
        console = new ConsoleHandler();
        console.setLevel(Level.SEVERE);
        console.setFormatter(new LineFormatter());
        previous.forEach(root::removeHandler);
        root.addHandler(file);
        root.addHandler(console);
        root.setLevel(Level.INFO);
    }

    static DemoLogging toFile(Path log) {
        return new DemoLogging(log);
    }

    /**
     * Runs {@code first}, the first use of slf4j (the fabric8 mock server logs through it): finding no
     * provider in the jar, slf4j says so on stderr, where it would sit above the demo's output, so that
     * notice goes to the log file instead.
     */
    <T> T quietSlf4j(Supplier<T> first) {
        PrintStream stderr = System.err;
        try (PrintStream toLog = new PrintStream(new FileOutputStream(logFile.toFile(), true), true, StandardCharsets.UTF_8)) {
            System.setErr(toLog);
            return first.get();
        } catch (IOException e) {
            return first.get();
        } finally {
            System.setErr(stderr);
        }
    }

    @Override
    public void close() {
        root.removeHandler(file);
        root.removeHandler(console);
        file.close();
        previous.forEach(root::addHandler);
        root.setLevel(previousLevel);
    }

    /** "time LEVEL logger: message", and the stack trace when there is one. */
    private static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            StringBuilder sb = new StringBuilder(160).append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                    .append(r.getLevel().getName()).append(' ')
                    .append(name.substring(name.lastIndexOf('.') + 1)).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                StringWriter stack = new StringWriter();
                r.getThrown().printStackTrace(new PrintWriter(stack));
                sb.append(stack);
            }
            return sb.toString();
        }
    }
}
