package io.gpuq.scheduler.sim;

import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.NodeSelectorRequirement;
import io.gpuq.scheduler.engine.model.NodeSelectorTerm;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.sim.scenario.DepartmentSpec;
import io.gpuq.scheduler.sim.scenario.NodeSpec;
import io.gpuq.scheduler.sim.scenario.ProjectSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scenario translated once into the engine's model: nodes, the queue tree and one
 * {@link Workload} per scenario workload, with pods shaped as the webhook would leave them (pool
 * affinity, hostname selector for pinned workloads).
 */
final class ClusterModel {
    private final List<GpuNode> nodes;
    private final Map<String, GpuNode> nodeByName;
    private final List<Department> departments;
    private final List<Project> projects;
    private final Map<String, Project> projectByName;
    private final Map<String, Department> departmentByName;
    private final Map<String, Workload> workloads;

    private ClusterModel(List<GpuNode> nodes, List<Department> departments, List<Project> projects,
                         Map<String, Workload> workloads) {
        this.nodes = List.copyOf(nodes);
        this.departments = List.copyOf(departments);
        this.projects = List.copyOf(projects);
        this.workloads = Collections.unmodifiableMap(workloads);
        this.nodeByName = new LinkedHashMap<>();
        for (GpuNode n : nodes) {
            nodeByName.put(n.name(), n);
        }
        this.projectByName = new LinkedHashMap<>();
        for (Project p : projects) {
            projectByName.put(p.name(), p);
        }
        this.departmentByName = new LinkedHashMap<>();
        for (Department d : departments) {
            departmentByName.put(d.name(), d);
        }
    }

    static ClusterModel of(Scenario s) {
        List<GpuNode> nodes = new ArrayList<>();
        for (NodeSpec spec : s.nodes()) {
            for (String name : spec.nodeNames()) {
                nodes.add(new GpuNode(name, spec.pool(), spec.gpuModel(), spec.gpuMemoryMiB(), spec.gpus(),
                        spec.cpuMillis(), spec.memoryMiB(), spec.capacityType(), spec.labels(), List.of(),
                        true, false));
            }
        }
        List<Department> departments = new ArrayList<>();
        long order = 0;
        for (DepartmentSpec d : s.departments()) {
            departments.add(new Department(d.name(), d.deservedGpus(), d.maxGpus(), d.overQuotaWeight(),
                    d.priority(), order++));
        }
        boolean declaresDefault = s.departments().stream()
                .anyMatch(d -> d.name().equals(Project.DEFAULT_DEPARTMENT));
        boolean usesDefault = s.projects().stream()
                .anyMatch(p -> p.department() == null || p.department().equals(Project.DEFAULT_DEPARTMENT));
        if (usesDefault && !declaresDefault) {
            departments.add(Department.implicitDefault());
        }
        List<Project> projects = new ArrayList<>();
        Map<String, ProjectSpec> projectSpecs = new LinkedHashMap<>();
        order = 0;
        for (ProjectSpec p : s.projects()) {
            projects.add(new Project(p.name(), p.department(), p.deservedByPool(), p.maxGpus(),
                    p.overQuotaWeight(), p.priority(), order++));
            projectSpecs.put(p.name(), p);
        }
        Map<String, Workload> workloads = new LinkedHashMap<>();
        order = 0;
        for (WorkloadSpec w : s.workloads()) {
            workloads.put(w.name(), workload(w, projectSpecs.get(w.project()), order++));
        }
        return new ClusterModel(nodes, departments, projects, workloads);
    }

    private static Workload workload(WorkloadSpec w, ProjectSpec project, long order) {
        List<String> pools = w.nodePool() != null ? List.of(w.nodePool())
                : new ArrayList<>(project.deservedByPool().keySet());
        List<NodeSelectorTerm> affinity = poolAffinity(pools);
        Map<String, String> selector = w.node() == null ? Map.of() : Map.of(GpuNode.HOSTNAME_LABEL, w.node());
        List<PodRequest> pods = new ArrayList<>(w.pods());
        for (int i = 0; i < w.pods(); i++) {
            pods.add(new PodRequest(w.podName(i), w.gpu(), w.cpuMillis(), w.memoryMiB(), selector, affinity,
                    List.of()));
        }
        return new Workload(w.name(), w.project(), w.nodePool(), w.type().label(), w.priority(), w.preemptible(),
                w.submitAt(), order, w.minMember(), pods);
    }

    /**
     * The webhook's node-pool affinity: one term for the named pools, and, when the default pool is
     * allowed, one for nodes without the pool label (terms are ORed).
     */
    private static List<NodeSelectorTerm> poolAffinity(List<String> pools) {
        List<NodeSelectorTerm> terms = new ArrayList<>();
        terms.add(new NodeSelectorTerm(List.of(new NodeSelectorRequirement(NodeSpec.POOL_LABEL, "In", pools))));
        if (pools.contains(GpuNode.DEFAULT_POOL)) {
            terms.add(new NodeSelectorTerm(List.of(
                    new NodeSelectorRequirement(NodeSpec.POOL_LABEL, "DoesNotExist", List.of()))));
        }
        return terms;
    }

    List<GpuNode> nodes() {
        return nodes;
    }

    GpuNode node(String name) {
        GpuNode n = nodeByName.get(name);
        if (n == null) {
            throw new IllegalStateException("the engine placed a pod on unknown node " + name);
        }
        return n;
    }

    List<Department> departments() {
        return departments;
    }

    Department department(String name) {
        return departmentByName.get(name);
    }

    List<Project> projects() {
        return projects;
    }

    Project project(String name) {
        return projectByName.get(name);
    }

    Workload workload(String name) {
        return workloads.get(name);
    }
}
