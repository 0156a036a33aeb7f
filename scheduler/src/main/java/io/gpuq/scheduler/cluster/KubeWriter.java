package io.gpuq.scheduler.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Every write of the scheduler to the API server, behind one client rate limit: the
 * {@code pods/binding} and {@code pods/eviction} subresources, status patches, pod creation and
 * deletion. Blocking; called from worker threads only. Failures come back as
 * {@link ApiResult}s, never as exceptions.
 */
final class KubeWriter {
    private final KubernetesClient client;
    private final RateLimiter limiter;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    KubeWriter(KubernetesClient client, RateLimiter limiter, Duration timeout) {
        this.client = client;
        this.limiter = limiter;
        this.timeout = timeout;
    }

    KubernetesClient client() {
        return client;
    }

    /**
     * Posts a Binding. The API server copies the Binding's annotations onto the pod and refuses it
     * (409) when the pod's uid is not {@code uid}, so the devices and the node land in one write, on
     * the pod the engine saw.
     */
    ApiResult bind(String namespace, String pod, String uid, String node, java.util.Map<String, String> annotations) {
        ObjectNode binding = json.createObjectNode();
        binding.put("apiVersion", "v1").put("kind", "Binding");
        ObjectNode meta = binding.putObject("metadata").put("name", pod).put("namespace", namespace).put("uid", uid);
        if (!annotations.isEmpty()) {
            ObjectNode a = meta.putObject("annotations");
            annotations.forEach(a::put);
        }
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
        return post("api/v1/namespaces/" + namespace + "/pods/" + pod + "/binding", binding);
    }

    ApiResult evict(String namespace, String pod) {
        ObjectNode eviction = json.createObjectNode();
        eviction.put("apiVersion", "policy/v1").put("kind", "Eviction");
        eviction.putObject("metadata").put("name", pod).put("namespace", namespace);
        return post("api/v1/namespaces/" + namespace + "/pods/" + pod + "/eviction", eviction);
    }

    ApiResult create(Pod pod) {
        return call(() -> client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).create());
    }

    ApiResult delete(String namespace, String pod) {
        return call(() -> client.pods().inNamespace(namespace).withName(pod).delete());
    }

    /**
     * A JSON merge patch of the status subresource. Merge patches carry only what changes, so they
     * never race with other writers of the status (kubelets, controllers) the way a full update would.
     */
    ApiResult mergePatchStatus(io.fabric8.kubernetes.client.dsl.Resource<?> resource, java.util.Map<String, ?> patch) {
        return call(() -> {
            try {
                return resource.subresource("status").patch(
                        io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
                        json.writeValueAsString(patch));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("status patch is not serializable", e);
            }
        });
    }

    /** Any other write, rate limited, with failures mapped to a result. */
    ApiResult call(Supplier<?> write) {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResult(0, "interrupted");
        }
        try {
            write.get();
            return new ApiResult(200, "");
        } catch (KubernetesClientException e) {
            return new ApiResult(e.getCode(), e.getMessage());
        } catch (RuntimeException e) {
            return new ApiResult(0, String.valueOf(e.getMessage()));
        }
    }

    private ApiResult post(String path, ObjectNode body) {
        try {
            limiter.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResult(0, "interrupted");
        }
        try {
            HttpClient http = client.getHttpClient();
            String base = client.getMasterUrl().toString();
            String url = base.endsWith("/") ? base + path : base + "/" + path;
            HttpRequest request = http.newHttpRequestBuilder().uri(url)
                    .post("application/json", json.writeValueAsString(body)).build();
            HttpResponse<String> response = http.sendAsync(request, String.class)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new ApiResult(response.code(), response.isSuccessful() ? "" : messageOf(response.body()));
        } catch (TimeoutException e) {
            return new ApiResult(0, "no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ApiResult(0, "interrupted");
        } catch (ExecutionException | java.io.IOException | RuntimeException e) {
            return new ApiResult(0, String.valueOf(e.getMessage()));
        }
    }

    private String messageOf(String body) {
        if (body == null) {
            return "";
        }
        try {
            return json.readTree(body).path("message").asText(body);
        } catch (java.io.IOException e) {
            return body;
        }
    }
}
