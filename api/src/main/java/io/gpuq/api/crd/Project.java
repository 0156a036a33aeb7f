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
 * A Run:ai project: the quota queue of one namespace. Lives in the system namespace; the pods it
 * governs live in {@link #effectiveNamespace()}.
 */
@Group(Names.API_GROUP)
@Version(Names.API_VERSION)
@Kind("Project")
@Singular("project")
@Plural("projects")
@AdditionalPrinterColumn(name = "Department", jsonPath = ".spec.department", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Deserved", jsonPath = ".spec.deservedGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Fair Share", jsonPath = ".status.fairShareGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Allocated", jsonPath = ".status.allocatedGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Pending", jsonPath = ".status.pendingWorkloads", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Max", jsonPath = ".spec.maxGpus", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".spec.overQuotaWeight", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Project extends CustomResource<ProjectSpec, ProjectStatus> implements Namespaced {

    /** A spec is always present so readers need no null checks; an empty one means "all defaults". */
    @Override
    protected ProjectSpec initSpec() {
        return new ProjectSpec();
    }

    /** Projects map 1:1 to namespaces, named after the project unless {@code spec.namespace} says otherwise. */
    public String effectiveNamespace() {
        ProjectSpec spec = getSpec();
        if (spec != null && spec.getNamespace() != null && !spec.getNamespace().isBlank()) {
            return spec.getNamespace();
        }
        return getMetadata() == null ? null : getMetadata().getName();
    }
}
