package io.gpuq.scheduler.packing;

import java.nio.file.Path;

/** A trace file that cannot be used; the message names the file, line, column and what is allowed. */
public final class TraceFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String column;

    public TraceFormatException(Path file, int line, String column, String problem) {
        super(format(file, line, column, problem));
        this.file = file.toString();
        this.line = line;
        this.column = column;
    }

    private static String format(Path file, int line, String column, String problem) {
        StringBuilder sb = new StringBuilder().append(file).append(':').append(line).append(": ");
        if (column != null) {
            sb.append("column '").append(column).append("': ");
        }
        return sb.append(problem).toString();
    }

    public String file() {
        return file;
    }

    /** 1-based line number; the header is line 1. */
    public int line() {
        return line;
    }

    /** The column concerned, or null when the problem is the whole line or file. */
    public String column() {
        return column;
    }
}
