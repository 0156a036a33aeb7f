package io.gpuq.scheduler.packing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV file with a header line, read whole. Fields are comma-separated; a field may be
 * double-quoted to contain commas. Values are read through {@link Row}, which reports problems with
 * the file, line and column.
 */
final class CsvFile {
    private final Map<String, Integer> columns;
    private final List<Row> rows;

    private CsvFile(Map<String, Integer> columns, List<Row> rows) {
        this.columns = columns;
        this.rows = rows;
    }

    static CsvFile read(Path path, List<String> requiredColumns) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("cannot read " + path + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new UncheckedIOException("cannot read " + path + ": permission denied", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new TraceFormatException(path, 1, null,
                    "empty file; expected a header line with the columns " + String.join(",", requiredColumns));
        }
        List<String> header = split(lines.get(0));
        Map<String, Integer> columns = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i).strip(), i);
        }
        for (String c : requiredColumns) {
            if (!columns.containsKey(c)) {
                throw new TraceFormatException(path, 1, c, "missing column; the header must contain "
                        + String.join(",", requiredColumns) + " (found " + String.join(",", header) + ")");
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String text = lines.get(i);
            if (text.isBlank()) {
                continue;
            }
            rows.add(new Row(path, i + 1, columns, split(text)));
        }
        if (rows.isEmpty()) {
            throw new TraceFormatException(path, 2, null, "no data lines after the header; at least one is required");
        }
        return new CsvFile(columns, rows);
    }

    boolean hasColumn(String name) {
        return columns.containsKey(name);
    }

    List<Row> rows() {
        return rows;
    }

    private static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else if (c != '\r') {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** One data line. */
    static final class Row {
        private final Path path;
        private final int line;
        private final Map<String, Integer> columns;
        private final List<String> values;

        Row(Path path, int line, Map<String, Integer> columns, List<String> values) {
            this.path = path;
            this.line = line;
            this.columns = columns;
            this.values = values;
        }

        int line() {
            return line;
        }

        /** The trimmed value; empty when the line is shorter than the header. */
        String text(String column) {
            Integer i = columns.get(column);
            return i == null || i >= values.size() ? "" : values.get(i).strip();
        }

        long nonNegative(String column) {
            String v = text(column);
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw error(column, "'" + v + "' is not a number; a whole number >= 0 is required");
            }
            if (n < 0) {
                throw error(column, n + " is negative; a whole number >= 0 is required");
            }
            return n;
        }

        TraceFormatException error(String column, String problem) {
            return new TraceFormatException(path, line, column, problem);
        }
    }
}
