package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The validating webhook's "can never fit" rules (DESIGN §3.3), applied per pod as the webhook sees
 * pods: above the project's or department's maxGpus, non-preemptible above the project's deserved
 * quota, or GPU memory larger than any GPU it may use. In a cluster such pods are never created, so
 * the simulator keeps these workloads Pending with the webhook's reason and never shows them to the
 * engine.
 */
final class AdmissionCheck {
    private final ClusterModel model;

    AdmissionCheck(ClusterModel model) {
        this.model = model;
    }

    Optional<PendingReason> deny(WorkloadSpec w) {
        GpuDemand demand = w.gpu();
        if (demand.kind() == GpuDemand.Kind.NONE) {
            return Optional.empty();
        }
        Project project = model.project(w.project());
        String pod = w.podName(0);
        long largestMemory = largestGpuMemory(w, project);
        if (demand.kind() == GpuDemand.Kind.MEMORY && demand.memoryMiBPerDevice() > largestMemory) {
            return deny(PendingReason.Code.NO_MATCHING_NODE, pod, "it asks for " + demand.memoryMiBPerDevice()
                    + " MiB of GPU memory, more than any GPU in its pools has (" + largestMemory + " MiB)");
        }
        double gpus = demand.totalMilliOn(largestMemory) / (double) GpuDemand.MILLI;
        if (!project.unlimited() && gpus > project.maxGpus()) {
            return deny(PendingReason.Code.PROJECT_LIMIT, pod, "it asks for " + plain(gpus)
                    + " GPUs, above project " + project.name() + "'s maxGpus (" + plain(project.maxGpus()) + ")");
        }
        Department dept = model.department(project.department());
        if (dept != null && dept.maxGpus() >= 0 && gpus > dept.maxGpus()) {
            return deny(PendingReason.Code.DEPARTMENT_CEILING, pod, "it asks for " + plain(gpus)
                    + " GPUs, above department " + dept.name() + "'s maxGpus (" + plain(dept.maxGpus()) + ")");
        }
        if (!w.preemptible()) {
            double deserved = deservedInReach(w, project);
            if (deserved >= 0 && gpus > deserved) {
                return deny(PendingReason.Code.NON_PREEMPTIBLE_OVER_DESERVED, pod, "a non-preemptible pod asks for "
                        + plain(gpus) + " GPUs, above project " + project.name() + "'s deserved quota ("
                        + plain(deserved) + ")");
            }
        }
        return Optional.empty();
    }

    /** The largest deserved quota among the pools the workload may use; -1 when one is unlimited. */
    private static double deservedInReach(WorkloadSpec w, Project project) {
        double best = 0;
        for (var e : project.deservedByPool().entrySet()) {
            if (w.nodePool() != null && !w.nodePool().equals(e.getKey())) {
                continue;
            }
            if (e.getValue() < 0) {
                return -1;
            }
            best = Math.max(best, e.getValue());
        }
        return best;
    }

    private long largestGpuMemory(WorkloadSpec w, Project project) {
        long largest = 0;
        for (GpuNode n : model.nodes()) {
            boolean usable = w.nodePool() != null ? w.nodePool().equals(n.pool()) : project.canUse(n.pool());
            if (usable && n.gpuCount() > 0) {
                largest = Math.max(largest, n.gpuMemoryMiB());
            }
        }
        return largest;
    }

    private static Optional<PendingReason> deny(PendingReason.Code code, String pod, String why) {
        return Optional.of(new PendingReason(code, "the admission webhook would deny pod " + pod + ": " + why));
    }

    private static String plain(double d) {
        return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
    }
}
