package io.gpuq.cli.demo;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the demo prints. On a terminal, a live frame (clock, the project table, the latest events)
 * redrawn in place with ANSI escapes a few times a second; elsewhere (a pipe, a file, a CI log), each
 * event as one line and the table as a block at the moments {@link #snapshot} is asked for.
 */
final class DemoConsole implements AutoCloseable {
    private static final int RECENT_EVENTS = 8;
    private static final int MAX_LINE = 160;
    private static final long REFRESH_MILLIS = 250;

    private final PrintWriter out;
    private final boolean ansi;
    private final Deque<String> recent = new ArrayDeque<>();
    private ScheduledExecutorService refresher;
    private Supplier<List<String>> frame;
    private int drawn;

    DemoConsole(PrintWriter out, boolean ansi) {
        this.out = out;
        this.ansi = ansi;
    }

    boolean ansi() {
        return ansi;
    }

    /** Something happened at scenario second {@code t}. */
    synchronized void event(double t, String text) {
        String line = String.format(Locale.ROOT, "t=%4.0fs  %s", t, text);
        if (ansi) {
            recent.addLast(line.length() > MAX_LINE ? line.substring(0, MAX_LINE - 3) + "..." : line);
            while (recent.size() > RECENT_EVENTS) {
                recent.removeFirst();
            }
        } else {
            out.println(line);
            out.flush();
        }
    }

    /** Lines that stay (above the live frame on a terminal). */
    synchronized void print(List<String> lines) {
        erase();
        lines.forEach(out::println);
        draw();
        out.flush();
    }

    /**
     * On a terminal, keeps {@code header} and the table up to date in place until {@link #stopLive}.
     * Elsewhere it prints nothing by itself.
     */
    synchronized void startLive(Supplier<String> header, Supplier<ProjectTable> table) {
        if (!ansi || refresher != null) {
            return;
        }
        frame = () -> {
            List<String> lines = new ArrayList<>();
            lines.add(header.get());
            lines.addAll(table.get().lines());
            if (!recent.isEmpty()) {
                lines.add("");
                lines.addAll(recent);
            }
            return lines;
        };
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-console");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(this::redraw, 0, REFRESH_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Draws the frame one last time and leaves it on the screen. */
    void stopLive() {
        ScheduledExecutorService r;
        synchronized (this) {
            r = refresher;
            refresher = null;
        }
        if (r == null) {
            return;
        }
        r.shutdownNow();
        try {
            r.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            redraw();
            drawn = 0;
            frame = null;
        }
    }

    /** Plain output: the table as a block under {@code title}. On a terminal the live frame shows it. */
    synchronized void snapshot(String title, ProjectTable table) {
        if (ansi) {
            return;
        }
        out.println();
        out.println(title);
        table.lines().forEach(out::println);
        out.println();
        out.flush();
    }

    private synchronized void redraw() {
        erase();
        draw();
        out.flush();
    }

    private void erase() {
        if (ansi && drawn > 0) {
            // To the start of the frame's first line, then clear to the end of the screen.
            out.print("\u001b[" + drawn + "F\u001b[J");
            drawn = 0;
        }
    }

    private void draw() {
        if (ansi && frame != null) {
            List<String> lines = frame.get();
            lines.forEach(out::println);
            drawn = lines.size();
        }
    }

    @Override
    public void close() {
        stopLive();
        out.flush();
    }
}
