package io.gpuq.scheduler.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PoolShare;
import io.gpuq.scheduler.engine.model.QueueStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link SimulationResult} as the §7 output document. Keys come in a fixed order, GPU
 * quantities are rounded to 6 decimals and always carry a decimal point (so 9 GPUs read 9.0 and
 * 1/3 GPU never shows float noise), times and counts are integers.
 */
public final class ResultJsonWriter {
    static final int SCALE = 6;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build();

    private ResultJsonWriter() {
    }

    /** Writes the document and flushes; the caller owns {@code out} and closes it. */
    public static void write(SimulationResult result, Writer out) {
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(pretty);
            g.writeStartObject();
            g.writeArrayFieldStart("snapshots");
            for (Observation o : result.snapshots()) {
                snapshot(g, o);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("workloads");
            for (WorkloadOutcome w : result.workloads()) {
                workload(g, w);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("events");
            for (SimEvent e : result.events()) {
                g.writeStartObject();
                g.writeNumberField("time", e.time());
                g.writeStringField("type", e.type().name());
                g.writeStringField("workload", e.workload());
                g.writeStringField("details", e.details());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("cost");
            for (Map.Entry<String, ProjectCost> c : result.cost().entrySet()) {
                g.writeObjectFieldStart(c.getKey());
                g.writeFieldName("gpuHours");
                g.writeNumber(quantity(c.getValue().gpuHours()));
                g.writeFieldName("amount");
                g.writeNumber(quantity(c.getValue().amount()));
                g.writeStringField("currency", c.getValue().currency());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void snapshot(JsonGenerator g, Observation o) throws IOException {
        g.writeStartObject();
        g.writeNumberField("time", o.time());
        queues(g, "projects", o.projects());
        queues(g, "departments", o.departments());
        g.writeObjectFieldStart("workloads");
        for (Map.Entry<String, WorkloadView> w : o.workloads().entrySet()) {
            g.writeObjectFieldStart(w.getKey());
            g.writeStringField("state", w.getValue().state().label());
            placement(g, w.getValue().placement());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void queues(JsonGenerator g, String field, Map<String, QueueStatus> queues) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, QueueStatus> e : queues.entrySet()) {
            QueueStatus q = e.getValue();
            g.writeObjectFieldStart(e.getKey());
            gpus(g, "deservedGpus", q.deservedGpus());
            gpus(g, "fairShareGpus", q.fairShareGpus());
            gpus(g, "allocatedGpus", q.allocatedGpus());
            gpus(g, "allocatedNonPreemptibleGpus", q.allocatedNonPreemptibleGpus());
            gpus(g, "pendingGpus", q.pendingGpus());
            g.writeNumberField("pendingWorkloads", q.pendingWorkloads());
            g.writeObjectFieldStart("pools");
            for (Map.Entry<String, PoolShare> p : new TreeMap<>(q.pools()).entrySet()) {
                g.writeObjectFieldStart(p.getKey());
                gpus(g, "deservedGpus", p.getValue().deservedGpus());
                gpus(g, "fairShareGpus", p.getValue().fairShareGpus());
                gpus(g, "allocatedGpus", p.getValue().allocatedGpus());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void workload(JsonGenerator g, WorkloadOutcome w) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", w.name());
        g.writeStringField("project", w.project());
        g.writeStringField("state", w.state().label());
        g.writeNumberField("submittedAt", w.submittedAt());
        if (w.startedAt() == null) {
            g.writeNullField("startedAt");
        } else {
            g.writeNumberField("startedAt", w.startedAt());
        }
        g.writeNumberField("waitSeconds", w.waitSeconds());
        g.writeNumberField("evictions", w.evictions());
        if (w.reason() == null) {
            g.writeNullField("reason");
        } else {
            g.writeStringField("reason", w.reason());
        }
        placement(g, w.placement());
        g.writeEndObject();
    }

    private static void placement(JsonGenerator g, List<PodAllocation> pods) throws IOException {
        g.writeArrayFieldStart("placement");
        for (PodAllocation a : pods) {
            g.writeStartObject();
            g.writeStringField("pod", a.pod());
            g.writeStringField("node", a.node());
            g.writeArrayFieldStart("devices");
            for (DeviceShare d : a.devices()) {
                g.writeStartObject();
                g.writeNumberField("index", d.index());
                g.writeFieldName("fraction");
                g.writeNumber(quantity(BigDecimal.valueOf(d.milli(), 3)));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void gpus(JsonGenerator g, String field, double value) throws IOException {
        if (!Double.isFinite(value)) {
            throw new IllegalStateException("the engine reported " + field + " = " + value);
        }
        g.writeFieldName(field);
        g.writeNumber(quantity(BigDecimal.valueOf(value)));
    }

    /** 6 decimals at most, trailing zeros dropped, but at least one decimal so the type stays "float". */
    static BigDecimal quantity(BigDecimal v) {
        BigDecimal r = v.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        return r.scale() < 1 ? r.setScale(1) : r;
    }
}
