package io.gpuq.webhook.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: time, level, logger, message, the record's {@link LogFields} and, when
 * present, the exception and its stack trace, so log pipelines can filter on uid, namespace or allowed.
 */
public final class JsonLogFormatter extends Formatter {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String format(LogRecord record) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(record.getMillis()).toString());
            g.writeStringField("level", record.getLevel().getName());
            g.writeStringField("logger", record.getLoggerName());
            g.writeStringField("message", formatMessage(record));
            Object[] params = record.getParameters();
            if (params != null && params.length == 1 && params[0] instanceof LogFields fields) {
                for (Map.Entry<String, Object> e : fields.fields().entrySet()) {
                    writeField(g, e.getKey(), e.getValue());
                }
            }
            Throwable t = record.getThrown();
            if (t != null) {
                g.writeStringField("exception", t.toString());
                StringWriter stack = new StringWriter();
                t.printStackTrace(new PrintWriter(stack));
                g.writeStringField("stackTrace", stack.toString());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.append(System.lineSeparator()).toString();
    }

    @Override
    public String formatMessage(LogRecord record) {
        // Parameters carry fields, not MessageFormat arguments.
        if (record.getParameters() != null && record.getParameters().length == 1
                && record.getParameters()[0] instanceof LogFields) {
            return record.getMessage();
        }
        return super.formatMessage(record);
    }

    private static void writeField(JsonGenerator g, String key, Object value) throws IOException {
        if (value instanceof Boolean b) {
            g.writeBooleanField(key, b);
        } else if (value instanceof Integer || value instanceof Long) {
            g.writeNumberField(key, ((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumberField(key, n.doubleValue());
        } else {
            g.writeStringField(key, String.valueOf(value));
        }
    }
}
