package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Annotations;
import io.gpuq.api.EnvVars;

import java.util.Iterator;

/**
 * The environment wiring of a shared-GPU container. {@code NVIDIA_VISIBLE_DEVICES} comes from the
 * downward API on {@code runai/gpu-devices}, which the scheduler writes before it binds, so the
 * container sees exactly the devices it was given; the validator accepts only this exact wiring.
 */
final class GpuEnv {

    static final String DEVICES_FIELD_PATH = "metadata.annotations['" + Annotations.GPU_DEVICES + "']";
    /** The API server defaults {@code fieldRef.apiVersion} to this; writing it keeps reinvocation a no-op. */
    static final String FIELD_REF_API_VERSION = "v1";

    /**
     * The wiring every shared-GPU container gets, built once: the mutation adds this very node to the
     * draft instead of a new one per review. It must never be written to; the draft refuses writes
     * below nodes it did not create, so a step cannot do so by mistake.
     */
    static final ObjectNode SHARED_WIRING = visibleDevicesWiring();

    private GpuEnv() {
    }

    /** A new node of the wiring, for callers that may change it. */
    static ObjectNode visibleDevicesWiring() {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("name", EnvVars.NVIDIA_VISIBLE_DEVICES);
        ObjectNode fieldRef = env.putObject("valueFrom").putObject("fieldRef");
        fieldRef.put("apiVersion", FIELD_REF_API_VERSION);
        fieldRef.put("fieldPath", DEVICES_FIELD_PATH);
        return env;
    }

    static ObjectNode plain(String name, String value) {
        ObjectNode env = JsonNodeFactory.instance.objectNode();
        env.put("name", name);
        env.put("value", value);
        return env;
    }

    /**
     * Whether an env entry is the webhook's wiring: only {@code valueFrom.fieldRef} on the devices
     * annotation (apiVersion absent or v1), and no literal value beside it.
     */
    static boolean isVisibleDevicesWiring(JsonNode env) {
        String value = JsonReads.textAt(env, "value");
        if (value != null && !value.isEmpty()) {
            return false;
        }
        JsonNode valueFrom = JsonReads.at(env, "valueFrom");
        if (!valueFrom.isObject() || valueFrom.size() != 1) {
            return false;
        }
        JsonNode fieldRef = valueFrom.get("fieldRef");
        if (fieldRef == null || !fieldRef.isObject()) {
            return false;
        }
        for (Iterator<String> names = fieldRef.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("fieldPath") && !name.equals("apiVersion")) {
                return false;
            }
        }
        String apiVersion = JsonReads.textAt(fieldRef, "apiVersion");
        return DEVICES_FIELD_PATH.equals(JsonReads.textAt(fieldRef, "fieldPath"))
                && (apiVersion == null || apiVersion.isEmpty() || FIELD_REF_API_VERSION.equals(apiVersion));
    }
}
