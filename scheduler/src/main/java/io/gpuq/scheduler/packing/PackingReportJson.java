package io.gpuq.scheduler.packing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Writes a {@link PackingReport} as the {@code gpuq packing-bench} document: keys in a fixed order,
 * percentages with two decimals, and null where a run never reached the point (tune below 1).
 */
public final class PackingReportJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private PackingReportJson() {
    }

    /** Writes the document and a final newline, and flushes; the caller owns {@code out}. */
    public static void write(PackingReport report, Writer out) {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeStringField("trace", report.trace());
            g.writeNumberField("nodes", report.nodes());
            g.writeNumberField("gpus", report.gpus());
            g.writeArrayFieldStart("policies");
            for (PackingReport.PolicyResult p : report.policies()) {
                g.writeStartObject();
                g.writeStringField("policy", p.policy());
                g.writeFieldName("unallocatedPctAtArrived100");
                percent(g, p.unallocatedPctAtArrived100());
                g.writeArrayFieldStart("perSeed");
                for (double v : p.perSeed()) {
                    percent(g, v);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("curve");
                for (PackingReport.CurvePoint c : p.curve()) {
                    g.writeStartObject();
                    g.writeNumberField("arrivedPct", c.arrivedPct());
                    g.writeFieldName("unallocatedPct");
                    percent(g, c.unallocatedPct());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.flush();
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void percent(JsonGenerator g, double v) throws IOException {
        if (Double.isNaN(v)) {
            g.writeNull();
        } else {
            g.writeNumber(Math.round(v * 100) / 100.0);
        }
    }
}
