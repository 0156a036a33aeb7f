package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;

import java.util.List;
import java.util.Map;

/**
 * What the informers hold at one moment: the input of a snapshot. {@code namespaceQueues} maps a
 * namespace to the project its {@code runai/queue} label names.
 */
record ClusterContents(List<Node> nodes, List<Pod> pods, List<Project> projects, List<Department> departments,
                       Map<String, Integer> priorityClasses, Map<String, String> namespaceQueues) {
    ClusterContents {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        projects = List.copyOf(projects);
        departments = List.copyOf(departments);
        priorityClasses = Map.copyOf(priorityClasses);
        namespaceQueues = Map.copyOf(namespaceQueues);
    }
}
