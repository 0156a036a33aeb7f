package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.api.Names;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.Project;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.logging.Logger;

/**
 * Makes a scenario's cluster in an empty API, in the order an install would: the CRDs of the chart,
 * gpuq's PriorityClasses and the namespaces, then Departments and Projects in file order (the order is
 * the tie-break of fair share), the nodes, and the price table.
 */
final class ClusterSeeder {
    /** The chart's CRDs, bundled in the jar under this package (see cli/pom.xml). */
    static final List<String> CRD_FILES = List.of("departments.run.ai-v1.yml", "projects.run.ai-v1.yml",
            "runaijobs.run.ai-v1.yml");

    private static final Logger LOG = Logger.getLogger(ClusterSeeder.class.getName());

    private final KubernetesClient client;

    ClusterSeeder(KubernetesClient client) {
        this.client = client;
    }

    void seed(ScenarioObjects objects) {
        for (String file : CRD_FILES) {
            try (InputStream in = ClusterSeeder.class.getResourceAsStream("crds/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("the CRD " + file + " is missing from the gpuq jar");
                }
                client.apiextensions().v1().customResourceDefinitions().load(in).create();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled CRD " + file, e);
            }
        }
        for (PriorityClass c : ScenarioObjects.priorityClasses()) {
            client.scheduling().v1().priorityClasses().resource(c).create();
        }
        for (Namespace ns : objects.namespaces()) {
            client.namespaces().resource(ns).create();
        }
        List<Department> departments = objects.departments();
        for (Department d : departments) {
            client.resources(Department.class).inNamespace(Names.SYSTEM_NAMESPACE).resource(d).create();
        }
        List<Project> projects = objects.projects();
        for (Project p : projects) {
            client.resources(Project.class).inNamespace(Names.SYSTEM_NAMESPACE).resource(p).create();
        }
        List<Node> nodes = objects.nodes();
        for (Node n : nodes) {
            client.nodes().resource(n).create();
        }
        objects.priceConfigMap().ifPresentOrElse(
                cm -> client.configMaps().inNamespace(Names.SYSTEM_NAMESPACE).resource(cm).create(),
                () -> LOG.info("the scenario lists no prices: the scheduler's default price table applies"));
        LOG.info(() -> "demo cluster created: " + departments.size() + " departments, " + projects.size()
                + " projects, " + nodes.size() + " nodes");
    }
}
