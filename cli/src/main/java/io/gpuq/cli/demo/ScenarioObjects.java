package io.gpuq.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.WorkloadType;
import io.gpuq.api.crd.Department;
import io.gpuq.api.crd.NodePoolQuota;
import io.gpuq.api.crd.Project;
import io.gpuq.scheduler.sim.scenario.DepartmentSpec;
import io.gpuq.scheduler.sim.scenario.NodeSpec;
import io.gpuq.scheduler.sim.scenario.PriceSpec;
import io.gpuq.scheduler.sim.scenario.ProjectSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario's cluster as Kubernetes objects, the way the Helm chart and a cluster admin would make
 * them: the system and reservation namespaces, one opted-in namespace per project, gpuq's
 * PriorityClasses, the Departments and Projects, the nodes as the kubelet and GPU feature discovery
 * report them, and the price ConfigMap. Pure: nothing here talks to an API.
 */
final class ScenarioObjects {
    static final String RESERVATION_NAMESPACE = "runai-reservation";
    static final String PRICE_CONFIGMAP = "gpuq-prices";
    static final String PRICE_KEY = "prices.yaml";
    /** Every object the demo makes carries this, so that users can tell them from their own. */
    static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    static final String MANAGER = "gpuq-demo";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private final Scenario scenario;

    ScenarioObjects(Scenario scenario) {
        this.scenario = scenario;
    }

    List<Namespace> namespaces() {
        List<Namespace> out = new ArrayList<>();
        out.add(namespace(Names.SYSTEM_NAMESPACE, false));
        out.add(namespace(RESERVATION_NAMESPACE, false));
        for (ProjectSpec p : scenario.projects()) {
            out.add(namespace(p.name(), true));
        }
        return out;
    }

    /** The chart's classes (DESIGN §3.2): a value of 100 or more is non-preemptible. */
    static List<PriorityClass> priorityClasses() {
        List<PriorityClass> out = new ArrayList<>();
        for (WorkloadType t : WorkloadType.values()) {
            out.add(new PriorityClassBuilder()
                    .withMetadata(new ObjectMetaBuilder().withName(t.priorityClassName())
                            .addToLabels(MANAGED_BY, MANAGER)
                            .addToLabels(Labels.PREEMPTIBLE, Boolean.toString(t.preemptible())).build())
                    .withValue(t.priority())
                    .withGlobalDefault(false)
                    .withDescription("Run:ai workload type " + t.label() + (t.preemptible() ? ", preemptible" : ", not preemptible"))
                    .build());
        }
        return out;
    }

    List<Department> departments() {
        List<Department> out = new ArrayList<>();
        for (DepartmentSpec d : scenario.departments()) {
            Department cr = new Department();
            cr.setMetadata(meta(d.name()));
            cr.getSpec().setDeservedGpus(d.deservedGpus());
            cr.getSpec().setMaxGpus(d.maxGpus() < 0 ? null : d.maxGpus());
            cr.getSpec().setOverQuotaWeight(d.overQuotaWeight());
            cr.getSpec().setPriority(d.priority());
            out.add(cr);
        }
        return out;
    }

    List<Project> projects() {
        List<Project> out = new ArrayList<>();
        for (ProjectSpec p : scenario.projects()) {
            Project cr = new Project();
            cr.setMetadata(meta(p.name()));
            cr.getSpec().setDeservedGpus(p.deservedGpus());
            cr.getSpec().setOverQuotaWeight(p.overQuotaWeight());
            cr.getSpec().setMaxGpus(p.maxGpus() < 0 ? null : p.maxGpus());
            cr.getSpec().setPriority(p.priority());
            cr.getSpec().setDepartment(p.department());
            if (!p.nodePools().isEmpty()) {
                List<NodePoolQuota> pools = new ArrayList<>();
                p.nodePools().forEach(q -> pools.add(new NodePoolQuota(q.pool(), q.deservedGpus())));
                cr.getSpec().setNodePools(pools);
            }
            out.add(cr);
        }
        return out;
    }

    List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        for (NodeSpec spec : scenario.nodes()) {
            for (String name : spec.nodeNames()) {
                Map<String, Quantity> resources = new LinkedHashMap<>();
                resources.put(Names.GPU_RESOURCE, new Quantity(Integer.toString(spec.gpus())));
                if (spec.cpuMillis() >= 0) {
                    resources.put("cpu", new Quantity(spec.cpuMillis() + "m"));
                }
                if (spec.memoryMiB() >= 0) {
                    resources.put("memory", new Quantity(spec.memoryMiB() + "Mi"));
                }
                resources.put("pods", new Quantity("110"));
                out.add(new NodeBuilder()
                        .withNewMetadata().withName(name).withLabels(GpuFeatureLabels.of(spec, name))
                        .addToAnnotations(MANAGED_BY, MANAGER).endMetadata()
                        .withNewStatus().withCapacity(resources).withAllocatable(resources)
                        .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .withMessage("the demo's kubelet stand-in runs this node's pods").endCondition()
                        .endStatus().build());
            }
        }
        return out;
    }

    /** The scheduler's price table from the scenario's prices; empty when the scenario lists none. */
    Optional<ConfigMap> priceConfigMap() {
        if (scenario.prices().isEmpty()) {
            return Optional.empty();
        }
        List<Map<String, Object>> prices = new ArrayList<>();
        for (PriceSpec p : scenario.prices()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("gpuModel", p.gpuModel());
            entry.put("capacityType", p.capacityType());
            entry.put("perGpuHour", p.perGpuHour());
            prices.add(entry);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("currency", scenario.prices().get(0).currency());
        doc.put("prices", prices);
        String text;
        try {
            text = YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the price table as YAML", e);
        }
        return Optional.of(new ConfigMapBuilder().withMetadata(meta(PRICE_CONFIGMAP))
                .addToData(PRICE_KEY, text).build());
    }

    private static Namespace namespace(String name, boolean optedIn) {
        NamespaceBuilder b = new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("kubernetes.io/metadata.name", name).addToLabels(MANAGED_BY, MANAGER).endMetadata();
        if (optedIn) {
            b.editMetadata().addToLabels(Labels.RUNAI_JOB, Labels.RUNAI_JOB_ENABLED).endMetadata();
        }
        return b.build();
    }

    private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(Names.SYSTEM_NAMESPACE)
                .addToLabels(MANAGED_BY, MANAGER).build();
    }
}
