package io.gpuq.api.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.gpuq.api.Names;

/**
 * A Run:ai job in a project's namespace: one pod, or a gang of distributed-training workers. The
 * controller owns the pods ({@code <job>-<index>}) and a headless Service {@code <job>}, so deleting the
 * job deletes them.
 */
@Group(Names.API_GROUP)
@Version(Names.API_VERSION)
@Kind("RunaiJob")
@Singular("runaijob")
@Plural("runaijobs")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".spec.distributedTraining.workers.replicas", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Active", jsonPath = ".status.active", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Started", jsonPath = ".status.startTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Completed", jsonPath = ".status.completionTime", type = AdditionalPrinterColumn.Type.DATE, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class RunaiJob extends CustomResource<RunaiJobSpec, RunaiJobStatus> implements Namespaced {

    /** A spec is always present so readers need no null checks. */
    @Override
    protected RunaiJobSpec initSpec() {
        return new RunaiJobSpec();
    }

    /** The phase a job without status is in: the controller has not seen it yet, so nothing runs. */
    public RunaiJobPhase effectivePhase() {
        RunaiJobStatus status = getStatus();
        return status == null || status.getPhase() == null ? RunaiJobPhase.PENDING : status.getPhase();
    }
}
