package io.gpuq.scheduler.chargeback;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How a chargeback is written: JSON and CSV for programs (HTTP and CLI), a table for people (CLI). */
public enum ChargebackFormat {
    JSON("application/json"),
    CSV("text/csv; charset=utf-8"),
    TABLE("text/plain; charset=utf-8");

    /** The name of the unallocated line in CSV and table output, so the cost column adds up to the fleet. */
    public static final String UNALLOCATED = "(unallocated)";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final String contentType;

    ChargebackFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** @throws ChargebackException (bad request) when {@code text} is not one of {@code allowed} */
    public static ChargebackFormat parse(String text, List<ChargebackFormat> allowed) {
        for (ChargebackFormat f : allowed) {
            if (f.name().toLowerCase(Locale.ROOT).equals(text)) {
                return f;
            }
        }
        List<String> names = new ArrayList<>();
        allowed.forEach(f -> names.add(f.name().toLowerCase(Locale.ROOT)));
        throw ChargebackException.badRequest("format '" + text + "' is not supported; use one of "
                + String.join(", ", names));
    }

    public String render(ChargebackReport report) {
        return switch (this) {
            case JSON -> json(report);
            case CSV -> csv(report);
            case TABLE -> table(report);
        };
    }

    private static String json(ChargebackReport r) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("from", r.from().toString());
        doc.put("to", r.to().toString());
        doc.put("groupBy", r.groupBy().label());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ChargebackReport.Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(r.groupBy().label(), row.name());
            m.put("gpuHours", row.gpuHours().stripTrailingZeros());
            m.put("cost", row.cost().stripTrailingZeros());
            m.put("currency", row.currency());
            rows.add(m);
        }
        doc.put("rows", rows);
        doc.put("unallocated", amounts(r.unallocated()));
        doc.put("fleet", amounts(r.fleet()));
        try {
            return MAPPER.writeValueAsString(doc) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> amounts(List<ChargebackReport.Amount> amounts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ChargebackReport.Amount a : amounts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("cost", a.cost().stripTrailingZeros());
            m.put("currency", a.currency());
            out.add(m);
        }
        return out;
    }

    private static String csv(ChargebackReport r) {
        StringBuilder out = new StringBuilder();
        out.append(r.groupBy().label()).append(",gpu_hours,cost,currency\r\n");
        for (ChargebackReport.Row row : r.rows()) {
            out.append(field(row.name())).append(',').append(row.gpuHours().toPlainString()).append(',')
                    .append(row.cost().toPlainString()).append(',').append(field(row.currency())).append("\r\n");
        }
        for (ChargebackReport.Amount a : r.unallocated()) {
            out.append(UNALLOCATED).append(",,").append(a.cost().toPlainString()).append(',')
                    .append(field(a.currency())).append("\r\n");
        }
        return out.toString();
    }

    /** RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes. */
    private static String field(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return '"' + v.replace("\"", "\"\"") + '"';
    }

    private static String table(ChargebackReport r) {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {r.groupBy().label().toUpperCase(Locale.ROOT), "GPU-HOURS", "COST", "CURRENCY"});
        for (ChargebackReport.Row row : r.rows()) {
            lines.add(new String[] {row.name().isEmpty() ? "(none)" : row.name(), two(row.gpuHours()), two(row.cost()),
                row.currency()});
        }
        for (ChargebackReport.Amount a : r.unallocated()) {
            lines.add(new String[] {UNALLOCATED, "", two(a.cost()), a.currency()});
        }
        for (ChargebackReport.Amount a : r.fleet()) {
            lines.add(new String[] {"FLEET TOTAL", "", two(a.cost()), a.currency()});
        }
        int[] width = new int[4];
        for (String[] l : lines) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("GPU cost by ").append(r.groupBy().label()).append(", ").append(r.from()).append(" to ")
                .append(r.to()).append("\n\n");
        for (String[] l : lines) {
            out.append(String.format("%-" + width[0] + "s  %" + width[1] + "s  %" + width[2] + "s  %s",
                    l[0], l[1], l[2], l[3]).stripTrailing()).append('\n');
        }
        if (r.rows().isEmpty() && r.fleet().isEmpty()) {
            out.append("\nno cost data in this range: is Prometheus scraping the scheduler's /metrics?\n");
        }
        return out.toString();
    }

    private static String two(BigDecimal v) {
        return v.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
