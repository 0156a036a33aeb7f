package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.EnvVars;
import io.gpuq.api.gpu.GpuRequest;
import io.gpuq.webhook.ClusterView;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Step 3, environment: the container holding a shared GPU sees the devices the scheduler picked and its
 * fraction; on MPS pools it also gets the thread share and a pinned memory limit, so memory is
 * enforced there. Entries the user already set are left alone (the validator judges them).
 */
final class GpuEnvMutation implements PodMutation {

    private static final int PERCENT = 100;

    @Override
    public void apply(PodContext context, PodDraft pod, List<String> warnings) {
        GpuRequest request = context.request();
        if (request == null || !request.isShared()) {
            return;
        }
        ObjectNode container = container(pod, request.containerName());
        if (container == null) {
            return;
        }
        ArrayNode env = pod.array(container, "env");
        if (env == null) {
            return;
        }
        // A container has a handful of variables and at most four are added: a list of the names is
        // cheaper to build and search than a set.
        List<String> present = new ArrayList<>(env.size() + 4);
        for (JsonNode e : env) {
            String name = JsonReads.textAt(e, "name");
            if (name != null) {
                present.add(name);
            }
        }
        addIfAbsent(env, present, GpuEnv.SHARED_WIRING);
        if (request.kind() == GpuRequest.Kind.FRACTION) {
            addIfAbsent(env, present, GpuEnv.plain(EnvVars.RUNAI_GPU_FRACTION, request.fraction()));
        }
        addMps(context, request, env, present);
    }

    private static void addMps(PodContext context, GpuRequest request, ArrayNode env, List<String> present) {
        PoolChoice pools = context.pools();
        if (pools == null) {
            return;
        }
        List<String> mpsPools = pools.candidatesIn(context.settings().mpsPools());
        if (mpsPools.isEmpty()) {
            return;
        }
        long deviceMib = smallestDeviceMib(context.view(), mpsPools);
        Integer threads = threadPercentage(request, deviceMib);
        if (threads != null) {
            addIfAbsent(env, present, GpuEnv.plain(EnvVars.CUDA_MPS_ACTIVE_THREAD_PERCENTAGE, Integer.toString(threads)));
        }
        long limitMib = request.kind() == GpuRequest.Kind.MEMORY ? request.memoryMib()
                : deviceMib > 0 ? (long) request.fractionMilli() * deviceMib / GpuRequest.MILLI_PER_GPU : 0;
        if (limitMib > 0) {
            addIfAbsent(env, present, GpuEnv.plain(EnvVars.CUDA_MPS_PINNED_DEVICE_MEM_LIMIT,
                    pinnedLimit(limitMib, request.numDevices())));
        }
    }

    /** Share of the SMs, rounded up so a fraction never gets less than it asked for. */
    private static Integer threadPercentage(GpuRequest request, long deviceMib) {
        if (request.kind() == GpuRequest.Kind.FRACTION) {
            return (int) Math.ceil(request.fractionMilli() * PERCENT / (double) GpuRequest.MILLI_PER_GPU);
        }
        if (deviceMib <= 0) {
            return null;
        }
        long percent = (long) Math.ceil(request.memoryMib() * (double) PERCENT / deviceMib);
        return (int) Math.max(1, Math.min(PERCENT, percent));
    }

    /** CUDA's per-device syntax; inside the container its devices are numbered from 0. */
    private static String pinnedLimit(long mib, int devices) {
        StringJoiner joiner = new StringJoiner(",");
        for (int i = 0; i < devices; i++) {
            joiner.add(i + "=" + mib + "M");
        }
        return joiner.toString();
    }

    /** The smallest of the pools' largest GPUs: a limit that holds on whichever pool the pod lands. */
    private static long smallestDeviceMib(ClusterView view, List<String> pools) {
        Map<String, ClusterView.PoolGpus> known = view.pools();
        long smallest = 0;
        for (String pool : pools) {
            ClusterView.PoolGpus gpus = known.get(pool);
            if (gpus != null && gpus.maxGpuMemoryMiB() > 0
                    && (smallest == 0 || gpus.maxGpuMemoryMiB() < smallest)) {
                smallest = gpus.maxGpuMemoryMiB();
            }
        }
        return smallest;
    }

    /** The writable container of that name, or null. */
    private static ObjectNode container(PodDraft pod, String name) {
        JsonNode containers = JsonReads.at(pod.root(), "spec", "containers");
        for (int i = 0; i < containers.size(); i++) {
            JsonNode c = containers.get(i);
            if (c.isObject() && name.equals(PodFacts.containerName(c))) {
                return pod.objectAt(pod.existingArray(pod.existingObject(pod.root(), "spec"), "containers"), i);
            }
        }
        return null;
    }

    /** Appends the entry unless one of that name is already there (the user's, or one added just before). */
    private static void addIfAbsent(ArrayNode env, List<String> present, ObjectNode entry) {
        String name = entry.get("name").asText();
        if (!present.contains(name)) {
            present.add(name);
            env.add(entry);
        }
    }
}
