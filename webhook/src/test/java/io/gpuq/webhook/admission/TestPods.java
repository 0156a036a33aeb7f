package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pods for rule tests, built member by member so each test shows only what it is about. */
final class TestPods {

    private final ObjectNode pod = Reviews.JSON.createObjectNode();

    private TestPods(String name) {
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        pod.putObject("metadata").put("name", name);
        ObjectNode main = pod.putObject("spec").putArray("containers").addObject();
        main.put("name", "main");
        main.put("image", "nvcr.io/nvidia/pytorch:24.12-py3");
    }

    /** A pod with one container named {@code main} and nothing else. */
    static TestPods pod() {
        return new TestPods("job-0");
    }

    TestPods label(String key, String value) {
        metadata().withObjectProperty("labels").put(key, value);
        return this;
    }

    TestPods annotation(String key, String value) {
        metadata().withObjectProperty("annotations").put(key, value);
        return this;
    }

    /** {@code nvidia.com/gpu} in the limits of container {@code main}. */
    TestPods gpus(String quantity) {
        return limit("main", "nvidia.com/gpu", quantity);
    }

    TestPods limit(String container, String resource, String quantity) {
        ((ObjectNode) container(container)).withObjectProperty("resources").withObjectProperty("limits").put(resource, quantity);
        return this;
    }

    TestPods container(String name, String image) {
        ObjectNode c = containers().addObject();
        c.put("name", name);
        c.put("image", image);
        return this;
    }

    TestPods env(String container, String name, String value) {
        ObjectNode e = ((ObjectNode) container(container)).withArrayProperty("env").addObject();
        e.put("name", name);
        e.put("value", value);
        return this;
    }

    TestPods envNode(String container, JsonNode env) {
        ((ObjectNode) container(container)).withArrayProperty("env").add(env);
        return this;
    }

    TestPods spec(String key, String value) {
        ((ObjectNode) pod.get("spec")).put(key, value);
        return this;
    }

    TestPods spec(String key, JsonNode value) {
        ((ObjectNode) pod.get("spec")).set(key, value);
        return this;
    }

    TestPods owner(String apiVersion, String kind, String name) {
        ObjectNode owner = metadata().withArrayProperty("ownerReferences").addObject();
        owner.put("apiVersion", apiVersion);
        owner.put("kind", kind);
        owner.put("name", name);
        owner.put("uid", "6a3f1c2e-0000-4000-8000-000000000042");
        owner.put("controller", true);
        return this;
    }

    ObjectNode json() {
        return pod.deepCopy();
    }

    private ObjectNode metadata() {
        return (ObjectNode) pod.get("metadata");
    }

    private ArrayNode containers() {
        return (ArrayNode) pod.get("spec").get("containers");
    }

    private JsonNode container(String name) {
        for (JsonNode c : containers()) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        throw new IllegalArgumentException("no container " + name);
    }
}
