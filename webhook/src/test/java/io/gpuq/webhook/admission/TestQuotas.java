package io.gpuq.webhook.admission;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.gpuq.api.Names;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.DepartmentSpec;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectSpec;
import io.gpuq.api.crd.ProjectStatus;

import java.util.Arrays;

/** Projects and Departments built from the api CRD classes, as the informers would hold them. */
final class TestQuotas {

    private TestQuotas() {
    }

    static Project project(String name, double deserved) {
        Project project = new Project();
        project.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Names.SYSTEM_NAMESPACE).build());
        ProjectSpec spec = new ProjectSpec();
        spec.setDeservedGpus(deserved);
        project.setSpec(spec);
        return project;
    }

    static Project project(String name, double deserved, NodePoolQuota... pools) {
        Project project = project(name, deserved);
        project.getSpec().setNodePools(Arrays.asList(pools));
        return project;
    }

    static NodePoolQuota pool(String name, double deserved) {
        return new NodePoolQuota(name, deserved);
    }

    static Project withMax(Project project, double max) {
        project.getSpec().setMaxGpus(max);
        return project;
    }

    static Project inDepartment(Project project, String department) {
        project.getSpec().setDepartment(department);
        return project;
    }

    static Project forNamespace(Project project, String namespace) {
        project.getSpec().setNamespace(namespace);
        return project;
    }

    static Project allocated(Project project, double allocated) {
        ProjectStatus status = new ProjectStatus();
        status.setAllocatedGpus(allocated);
        project.setStatus(status);
        return project;
    }

    static Department department(String name, Double deserved, Double max) {
        Department department = new Department();
        department.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(Names.SYSTEM_NAMESPACE).build());
        DepartmentSpec spec = new DepartmentSpec();
        spec.setDeservedGpus(deserved);
        spec.setMaxGpus(max);
        department.setSpec(spec);
        return department;
    }

    /** The seed's cluster: three teams, team-inference bound to the inference pool, department ml. */
    static InMemoryClusterView seedCluster() {
        InMemoryClusterView view = new InMemoryClusterView()
                .optIn("team-training").optIn("team-inference").optIn("team-research")
                .project(inDepartment(project("team-training", 8), "ml"))
                .project(inDepartment(project("team-inference", 4, pool("inference-pool", 4)), "ml"))
                .project(inDepartment(project("team-research", 2), "ml"))
                .department(department("ml", 16.0, 24.0))
                .pool(Names.DEFAULT_NODE_POOL, 81920, "NVIDIA-H100-80GB-HBM3")
                .pool("inference-pool", 81920, "NVIDIA-H100-80GB-HBM3");
        return view;
    }
}
