package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/** The human-readable {@code details} of each event type. */
final class EventDetails {
    private EventDetails() {
    }

    static String submitted(WorkloadSpec w, boolean deniedAtAdmission) {
        StringBuilder sb = new StringBuilder("project ").append(w.project()).append(": ")
                .append(w.pods()).append(w.pods() == 1 ? " pod" : " pods").append(" × ").append(demand(w.gpu()))
                .append(", ").append(w.type().label()).append(" (priority ").append(w.priority())
                .append(w.preemptible() ? ", preemptible" : ", non-preemptible").append(')');
        if (w.minMember() > 1) {
            sb.append(", gang of ").append(w.minMember());
        }
        if (deniedAtAdmission) {
            sb.append("; the admission webhook would deny its pods");
        }
        return sb.toString();
    }

    static String started(List<PodAllocation> pods) {
        return pods.stream().map(EventDetails::pod).collect(Collectors.joining("; "));
    }

    /** The engine's message usually names the reclaimer already; otherwise it is named here. */
    static String evicted(EvictionDecision e) {
        String message = e.message() == null ? "" : e.message().trim();
        if (e.byWorkload() != null && message.contains(e.byWorkload())) {
            return message;
        }
        String verb = e.kind() == EvictionDecision.Kind.PREEMPT ? "preempted" : "reclaimed";
        StringBuilder sb = new StringBuilder(verb);
        if (e.byWorkload() != null) {
            sb.append(" by ").append(e.byWorkload());
            if (e.byProject() != null) {
                sb.append(" (").append(e.byProject()).append(')');
            }
        }
        if (!message.isEmpty()) {
            sb.append(": ").append(message);
        }
        return sb.toString();
    }

    static String completed(long ranSeconds) {
        return "ran " + ranSeconds + " s";
    }

    private static String pod(PodAllocation a) {
        String devices = a.devices().stream().map(EventDetails::device).collect(Collectors.joining(","));
        return a.pod() + " on " + a.node() + (devices.isEmpty() ? "" : " [" + devices + "]");
    }

    private static String device(DeviceShare d) {
        return d.isWhole() ? Integer.toString(d.index()) : d.index() + ":" + plain(d.fraction());
    }

    private static String demand(GpuDemand g) {
        switch (g.kind()) {
            case WHOLE:
                return g.wholeGpus() + (g.wholeGpus() == 1 ? " GPU" : " GPUs");
            case FRACTION:
                return plain(g.milliPerDevice() / (double) GpuDemand.MILLI) + " GPU";
            case MEMORY:
                return g.memoryMiBPerDevice() + " MiB of GPU memory";
            default:
                return "no GPU";
        }
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
