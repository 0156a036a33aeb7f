package io.gpuq.webhook.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured fields attached to a log record as its only parameter. {@link JsonLogFormatter} writes them
 * as JSON members; the plain formatter ignores them, since the message already says the same in words.
 */
public record LogFields(Map<String, Object> fields) {

    public LogFields {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects fields in insertion order; null values are left out. */
    public static final class Builder {
        private final Map<String, Object> fields = new LinkedHashMap<>();

        public Builder put(String key, Object value) {
            if (value != null) {
                fields.put(key, value);
            }
            return this;
        }

        public LogFields build() {
            return new LogFields(fields);
        }
    }
}
