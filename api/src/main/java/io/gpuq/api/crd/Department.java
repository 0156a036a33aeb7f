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
 * A Run:ai department: groups projects under a shared quota and an optional ceiling. Projects that name
 * no department belong to the implicit {@link Names#DEFAULT_DEPARTMENT}, which needs no object.
 */
@Group(Names.API_GROUP)
@Version(Names.API_VERSION)
@Kind("Department")
@Singular("department")
@Plural("departments")
@AdditionalPrinterColumn(name = "Deserved", jsonPath = ".status.deservedGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Max", jsonPath = ".spec.maxGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Fair Share", jsonPath = ".status.fairShareGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Allocated", jsonPath = ".status.allocatedGpus", type = AdditionalPrinterColumn.Type.NUMBER)
@AdditionalPrinterColumn(name = "Pending", jsonPath = ".status.pendingWorkloads", type = AdditionalPrinterColumn.Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".spec.overQuotaWeight", type = AdditionalPrinterColumn.Type.NUMBER, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Department extends CustomResource<DepartmentSpec, DepartmentStatus> implements Namespaced {

    /** A spec is always present so readers need no null checks; an empty one means "all defaults". */
    @Override
    protected DepartmentSpec initSpec() {
        return new DepartmentSpec();
    }
}
