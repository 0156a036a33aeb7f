package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.List;
import java.util.Map;

/**
 * Generators of pod-like JSON for property tests: the shapes real pods take plus what a careless tool
 * could send (missing sections, nulls, numbers and booleans where strings belong, wrong container
 * types). {@link MissingNode} stands for "member left out".
 */
final class PodShapes {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonNode ABSENT = MissingNode.getInstance();

    private PodShapes() {
    }

    static Arbitrary<ObjectNode> pods() {
        return Combinators.combine(metadata(), spec(), Arbitraries.of("Pod", "pod", "")).as((metadata, spec, kind) -> {
            ObjectNode pod = NODES.objectNode();
            pod.put("apiVersion", "v1");
            if (!kind.isEmpty()) {
                pod.put("kind", kind);
            }
            put(pod, "metadata", metadata);
            put(pod, "spec", spec);
            return pod;
        });
    }

    /** Any JSON value up to a small depth, for members whose type cannot be trusted. */
    static Arbitrary<JsonNode> anyJson() {
        return json(3);
    }

    private static Arbitrary<JsonNode> json(int depth) {
        if (depth == 0) {
            return scalar();
        }
        Arbitrary<JsonNode> child = json(depth - 1);
        return Arbitraries.oneOf(
                scalar(),
                Arbitraries.maps(Arbitraries.of("a", "name", "spec", "containers", "x/y", "t~"), child)
                        .ofMaxSize(3).map(PodShapes::object),
                child.list().ofMaxSize(3).map(PodShapes::array));
    }

    private static Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(8).map(NODES::textNode),
                Arbitraries.integers().between(-3, 200).map(NODES::numberNode),
                Arbitraries.of(0.5, 1.5, -0.25).map(NODES::numberNode),
                Arbitraries.of(true, false).map(NODES::booleanNode),
                Arbitraries.just(NODES.nullNode()));
    }

    private static Arbitrary<JsonNode> metadata() {
        Arbitrary<JsonNode> labels = stringMap(Arbitraries.of("runai/queue", "runai/node-pool", "runai/workload-type",
                "runai/preemptible", "app", "a~b/c"), Arbitraries.of("team-training", "team-inference", "nobody",
                "inference-pool", "default", "a100", "train", "inference", "bogus", "true", "false", ""));
        Arbitrary<JsonNode> annotations = stringMap(Arbitraries.of("gpu-fraction", "gpu-memory",
                "gpu-fraction-num-devices", "gpu-fraction-container-name", "runai/gpu-fraction", "runai/gpu-devices",
                "pod-group-name", "runai/quota-status", "kubernetes.io/config.mirror", "note"),
                Arbitraries.of("0.5", "0.25", "1", "0", "2", "abc", "main", "side", "2000", "20Gi", "within-quota", "-1"));
        Arbitrary<JsonNode> owners = Arbitraries.of(
                ABSENT, NODES.nullNode(), NODES.arrayNode(),
                Reviews.json("{\"o\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"sweep\",\"controller\":true}]}").get("o"),
                Reviews.json("{\"o\":[{\"kind\":\"RunaiJob\",\"name\":\"fsdp\"},\"junk\"]}").get("o"));
        return Combinators.combine(labels, annotations, owners, Arbitraries.of("job-0", "")).as((l, a, o, name) -> {
            ObjectNode metadata = NODES.objectNode();
            if (!name.isEmpty()) {
                metadata.put("name", name);
            }
            put(metadata, "labels", l);
            put(metadata, "annotations", a);
            put(metadata, "ownerReferences", o);
            return (JsonNode) metadata;
        }).injectNull(0.03).map(n -> n == null ? (JsonNode) NODES.nullNode() : n);
    }

    private static Arbitrary<JsonNode> spec() {
        Arbitrary<JsonNode> containers = container().list().ofMaxSize(3).map(PodShapes::array);
        Arbitrary<JsonNode> containersOrOdd = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, containers),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(ABSENT, NODES.nullNode(), NODES.textNode("c"))));
        Arbitrary<JsonNode> initContainers = Arbitraries.oneOf(Arbitraries.just(ABSENT),
                container().list().ofMaxSize(2).map(PodShapes::array));
        Arbitrary<JsonNode> scheduler = Arbitraries.of(ABSENT, NODES.nullNode(), NODES.textNode("default-scheduler"),
                NODES.textNode("volcano"), NODES.textNode("runai-scheduler"), NODES.numberNode(5));
        Arbitrary<JsonNode> priorityClass = Arbitraries.of(ABSENT, NODES.textNode("train"), NODES.textNode("inference"),
                NODES.textNode("system-node-critical"), NODES.nullNode());
        Arbitrary<JsonNode> priority = Arbitraries.of(ABSENT, NODES.numberNode(25), NODES.numberNode(1000),
                NODES.textNode("high"), NODES.nullNode());
        return Combinators.combine(containersOrOdd, initContainers, scheduler, priorityClass, priority, affinity(),
                nodeSelector()).as((c, i, s, pc, p, a, ns) -> {
            ObjectNode spec = NODES.objectNode();
            put(spec, "containers", c);
            put(spec, "initContainers", i);
            put(spec, "schedulerName", s);
            put(spec, "priorityClassName", pc);
            put(spec, "priority", p);
            put(spec, "affinity", a);
            put(spec, "nodeSelector", ns);
            return (JsonNode) spec;
        }).injectNull(0.03).map(n -> n == null ? (JsonNode) NODES.nullNode() : n);
    }

    private static Arbitrary<JsonNode> container() {
        Arbitrary<JsonNode> gpu = Arbitraries.of(ABSENT, NODES.textNode("1"), NODES.textNode("0.5"),
                NODES.textNode("250m"), NODES.textNode("2"), NODES.textNode("1.5"), NODES.textNode("x"),
                NODES.numberNode(1), NODES.numberNode(0.25), NODES.nullNode(), NODES.objectNode());
        Arbitrary<JsonNode> env = Arbitraries.of(ABSENT, NODES.nullNode(), NODES.arrayNode(),
                Reviews.json("{\"e\":[{\"name\":\"HF_HOME\",\"value\":\"/c\"}]}").get("e"),
                Reviews.json("{\"e\":[{\"name\":\"NVIDIA_VISIBLE_DEVICES\",\"value\":\"all\"}]}").get("e"),
                Reviews.json("{\"e\":[\"junk\",{\"name\":\"RUNAI_GPU_FRACTION\",\"value\":\"0.5\"}]}").get("e"),
                NODES.textNode("env"));
        return Combinators.combine(Arbitraries.of("main", "side", "", "main"), gpu, gpu, env,
                Arbitraries.of(true, false)).as((name, limit, request, e, sidecar) -> {
            ObjectNode c = NODES.objectNode();
            if (!name.isEmpty()) {
                c.put("name", name);
            }
            c.put("image", "busybox");
            if (!limit.isMissingNode() || !request.isMissingNode()) {
                ObjectNode resources = c.putObject("resources");
                if (!limit.isMissingNode()) {
                    resources.putObject("limits").set("nvidia.com/gpu", limit);
                }
                if (!request.isMissingNode()) {
                    resources.putObject("requests").set("nvidia.com/gpu", request);
                }
            }
            put(c, "env", e);
            if (sidecar) {
                c.put("restartPolicy", "Always");
            }
            return (JsonNode) c;
        });
    }

    private static Arbitrary<JsonNode> affinity() {
        return Arbitraries.of(List.of(
                "",
                "null",
                "{}",
                "{\"nodeAffinity\":null}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[]}}}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":"
                        + "[{\"matchExpressions\":[{\"key\":\"zone\",\"operator\":\"In\",\"values\":[\"a\"]}]},{}]}}}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":"
                        + "[{\"matchFields\":[{\"key\":\"metadata.name\",\"operator\":\"In\",\"values\":[\"n\"]}]},"
                        + "{\"matchExpressions\":[{\"key\":\"runai/node-pool\",\"operator\":\"In\",\"values\":[\"a100\"]}]}]}}}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":\"x\"}}}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":[5]}}}",
                "{\"nodeAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":{\"nodeSelectorTerms\":"
                        + "[{\"matchExpressions\":null,\"matchFields\":[{\"key\":\"k\",\"operator\":\"In\",\"values\":[\"v\"]}]}]}}}",
                "{\"podAffinity\":{\"requiredDuringSchedulingIgnoredDuringExecution\":[{\"topologyKey\":\"zone\"}]}}",
                "\"affinity\""))
                .map(text -> text.isEmpty() ? ABSENT : Reviews.json("{\"v\":" + text + "}").get("v"));
    }

    private static Arbitrary<JsonNode> nodeSelector() {
        return Arbitraries.of(ABSENT, NODES.nullNode(),
                Reviews.json("{\"s\":{\"runai/node-pool\":\"a100\"}}").get("s"),
                Reviews.json("{\"s\":{\"disktype\":\"ssd\"}}").get("s"));
    }

    private static Arbitrary<JsonNode> stringMap(Arbitrary<String> keys, Arbitrary<String> values) {
        Arbitrary<JsonNode> value = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, values.map(NODES::textNode)),
                net.jqwik.api.Tuple.of(1, scalar()));
        Arbitrary<JsonNode> map = Arbitraries.maps(keys, value).ofMaxSize(4).map(PodShapes::object);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, map),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(ABSENT, NODES.nullNode(), NODES.arrayNode())));
    }

    private static JsonNode object(Map<String, JsonNode> members) {
        ObjectNode node = NODES.objectNode();
        members.forEach(node::set);
        return node;
    }

    private static JsonNode array(List<JsonNode> elements) {
        ArrayNode node = NODES.arrayNode();
        elements.forEach(node::add);
        return node;
    }

    private static void put(ObjectNode parent, String key, JsonNode value) {
        if (!value.isMissingNode()) {
            parent.set(key, value.deepCopy());
        }
    }
}
