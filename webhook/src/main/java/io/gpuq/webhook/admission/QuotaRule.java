package io.gpuq.webhook.admission;

import io.gpuq.api.WorkloadType;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.DepartmentSpec;
import io.gpuq.api.crd.ProjectSpec;
import io.gpuq.api.crd.Quota;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/**
 * Requests that can never be scheduled, however long they wait: above the project's or department's
 * hard limit, or non-preemptible and above what the project deserves (non-preemptible work only ever
 * runs within deserved quota). Denying them at admission beats a pod that stays Pending forever.
 */
final class QuotaRule implements PodRule {

    private static final double EPSILON = 1e-9;

    @Override
    public void check(PodContext context, PodFacts old, Findings findings) {
        OptionalDouble requested = context.requestedGpus();
        if (requested.isEmpty() || requested.getAsDouble() <= 0) {
            return;
        }
        double gpus = requested.getAsDouble();
        String project = context.project().projectName();
        ProjectSpec spec = ProjectSpecs.of(context.project().project());
        double projectMax = spec.effectiveMaxGpus();
        if (!Quota.isUnlimited(projectMax) && gpus > projectMax + EPSILON) {
            findings.deny(aboveMax(gpus, "project " + Messages.quote(project), projectMax,
                    "ask an administrator to raise the project's maxGpus"));
        }
        String departmentName = spec.effectiveDepartment();
        Optional<Department> department = context.view().department(departmentName);
        if (department.isPresent()) {
            DepartmentSpec departmentSpec = ProjectSpecs.of(department.get());
            double departmentMax = departmentSpec.effectiveMaxGpus();
            if (!Quota.isUnlimited(departmentMax) && gpus > departmentMax + EPSILON) {
                findings.deny(aboveMax(gpus, "department " + Messages.quote(departmentName) + " of project "
                        + Messages.quote(project), departmentMax, "ask an administrator to raise the department's maxGpus"));
            }
        }
        if (!PriorityClasses.preemptible(context.pod(), context.settings())) {
            double deserved = context.pools().largestCandidateDeserved();
            if (!Quota.isAll(deserved) && gpus > deserved + EPSILON) {
                WorkloadType type = PriorityClasses.effective(context.pod(), context.settings());
                findings.deny("the pod requests " + Messages.gpus(gpus) + " GPUs with the non-preemptible class "
                        + Messages.quote(type.priorityClassName()) + ", but project " + Messages.quote(project)
                        + " deserves only " + Messages.gpus(deserved) + " GPUs in pool "
                        + String.join(" or ", context.pools().candidates())
                        + ": non-preemptible work runs only within deserved quota, so it could never start;"
                        + " request at most " + Messages.gpus(deserved) + ", or use a preemptible class ("
                        + preemptibleClasses() + ")");
            }
        }
    }

    private static String aboveMax(double gpus, String who, double max, String raise) {
        String limit = max == 0 ? "may use no GPUs (spec.maxGpus is 0)"
                : "may use at most " + Messages.gpus(max) + " (spec.maxGpus)";
        return "the pod requests " + Messages.gpus(gpus) + " GPUs but " + who + " " + limit
                + ", so it could never start: request at most " + Messages.gpus(max) + ", or " + raise;
    }

    private static String preemptibleClasses() {
        return Arrays.stream(WorkloadType.values()).filter(WorkloadType::preemptible)
                .map(WorkloadType::priorityClassName).collect(Collectors.joining(", "));
    }
}
