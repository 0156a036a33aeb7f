package io.gpuq.cli.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.gpuq.embedded.AdmissionHook;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.logging.Logger;

/**
 * Pod admission as the API server does it with gpuq's webhook configurations: for a pod in an
 * opted-in namespace, POST an AdmissionReview v1 over HTTPS (verifying the webhook's certificate
 * against the CA, as {@code caBundle} does) to {@code /mutate--v1-pod}, apply the JSON Patch it
 * answers, then review the mutated pod at {@code /validate--v1-pod}. A denial becomes the API
 * server's error ({@code admission webhook "…" denied the request: …}); a webhook that cannot be
 * reached fails the request ({@code failurePolicy: Fail}).
 *
 * <p>It makes blocking HTTP calls on the calling thread with the JDK client (never on an event loop of
 * the webhook) and never calls the Kubernetes API: the namespace selector is answered from an informer
 * cache, as the API server's own is.
 */
final class WebhookAdmission implements AdmissionHook {
    static final String MUTATING_WEBHOOK = "mutate-pod.gpuq.io";
    static final String VALIDATING_WEBHOOK = "validate-pod.gpuq.io";
    /** The chart's {@code timeoutSeconds}, the API server's default. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Who the demo's API server says is asking: it has no authentication, so one admin-like user. */
    static final String USER = "gpuq-demo-admin";

    private static final Logger LOG = Logger.getLogger(WebhookAdmission.class.getName());

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient https;
    private final URI mutate;
    private final URI validate;
    private final Predicate<String> optedIn;

    /**
     * @param optedIn whether a namespace matches the webhooks' namespace selector ({@code runai-job: "true"})
     */
    WebhookAdmission(URI webhook, SSLContext trustingCa, Predicate<String> optedIn) {
        this.https = HttpClient.newBuilder().sslContext(trustingCa).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT).build();
        this.mutate = webhook.resolve("/mutate--v1-pod");
        this.validate = webhook.resolve("/validate--v1-pod");
        this.optedIn = optedIn;
    }

    @Override
    public Outcome admitPodCreate(String namespace, ObjectNode pod) {
        if (!optedIn.test(namespace)) {
            return Outcome.allow(pod);
        }
        return admit(namespace, pod, false);
    }

    /**
     * A dry-run review of a plain pod in {@code namespace} through both webhooks, before any real pod:
     * checks the wiring (TLS, endpoints, answers) and opens the connection the first pods will use.
     *
     * @throws IllegalStateException when the webhook does not answer as the API server expects
     */
    void probe(String namespace) {
        ObjectNode pod = json.createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "gpuq-demo-probe").put("namespace", namespace);
        pod.putObject("spec").putArray("containers").addObject().put("name", "probe").put("image", WorkloadPods.IMAGE);
        Outcome outcome = admit(namespace, pod, true);
        LOG.info(() -> "admission webhooks answer over HTTPS: a dry-run review of a plain pod in " + namespace + " was "
                + (outcome.allowed() ? "allowed" : "denied: " + outcome.denial()));
    }

    private Outcome admit(String namespace, ObjectNode pod, boolean dryRun) {
        ObjectNode metadata = pod.withObjectProperty("metadata");
        if (!metadata.hasNonNull("namespace")) {
            metadata.put("namespace", namespace);
        }
        JsonNode mutation = review(MUTATING_WEBHOOK, mutate, namespace, pod, dryRun);
        if (!mutation.path("allowed").asBoolean(false)) {
            return denial(MUTATING_WEBHOOK, mutation);
        }
        ObjectNode mutated = pod;
        String patch = mutation.path("patch").asText("");
        if (!patch.isEmpty()) {
            if (!"JSONPatch".equals(mutation.path("patchType").asText("JSONPatch"))) {
                throw failure(MUTATING_WEBHOOK, "unsupported patchType " + mutation.path("patchType").asText());
            }
            mutated = applyPatch(pod, patch);
        }
        warn(MUTATING_WEBHOOK, namespace, mutated, mutation);
        JsonNode validation = review(VALIDATING_WEBHOOK, validate, namespace, mutated, dryRun);
        if (!validation.path("allowed").asBoolean(false)) {
            return denial(VALIDATING_WEBHOOK, validation);
        }
        warn(VALIDATING_WEBHOOK, namespace, mutated, validation);
        return Outcome.allow(mutated);
    }

    /** One AdmissionReview round trip; the response's {@code response} object. */
    private JsonNode review(String webhook, URI endpoint, String namespace, ObjectNode pod, boolean dryRun) {
        String uid = UUID.randomUUID().toString();
        ObjectNode review = json.createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", uid);
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.putObject("requestKind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("requestResource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("name", pod.path("metadata").path("name").asText(""));
        request.put("namespace", namespace);
        request.put("operation", "CREATE");
        ObjectNode user = request.putObject("userInfo");
        user.put("username", USER);
        user.putArray("groups").add("system:masters").add("system:authenticated");
        request.set("object", pod);
        request.putNull("oldObject");
        request.put("dryRun", dryRun);
        request.putObject("options").put("apiVersion", "meta.k8s.io/v1").put("kind", "CreateOptions");
        HttpResponse<String> response;
        try {
            response = https.send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(review))).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure(webhook, "Post \"" + endpoint + "\": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(webhook, "interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw failure(webhook, "expected response code 200, got " + response.statusCode() + ": "
                    + abbreviate(response.body()), null);
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body()).path("response");
        } catch (JsonProcessingException e) {
            throw failure(webhook, "the answer is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!uid.equals(answer.path("uid").asText())) {
            throw failure(webhook, "expected response.uid=\"" + uid + "\", got \"" + answer.path("uid").asText() + "\"",
                    null);
        }
        return answer;
    }

    private ObjectNode applyPatch(ObjectNode pod, String base64) {
        try {
            JsonNode patch = json.readTree(Base64.getDecoder().decode(base64));
            JsonNode patched = JsonPatch.apply(patch, pod);
            if (!(patched instanceof ObjectNode o)) {
                throw failure(MUTATING_WEBHOOK, "its JSON Patch turns the pod into " + patched.getNodeType(), null);
            }
            return o;
        } catch (IOException | IllegalArgumentException | JsonPatchException e) {
            throw failure(MUTATING_WEBHOOK, "its JSON Patch does not apply: " + e.getMessage(), e);
        }
    }

    /** As {@code ToStatusErr} of the API server phrases a webhook's denial; codes below 400 become 400. */
    private static Outcome denial(String webhook, JsonNode response) {
        JsonNode status = response.path("status");
        int code = status.path("code").asInt(0);
        String message = status.path("message").asText("");
        String reason = status.path("reason").asText("");
        String deniedBy = "admission webhook \"" + webhook + "\" denied the request";
        String text = !message.isEmpty() ? deniedBy + ": " + message
                : !reason.isEmpty() ? deniedBy + ": " + reason : deniedBy + " without explanation";
        return Outcome.deny(code < 400 ? 400 : code, text);
    }

    /** The API server hands warnings to the client as Warning headers; the demo logs them. */
    private static void warn(String webhook, String namespace, JsonNode pod, JsonNode response) {
        for (JsonNode w : response.path("warnings")) {
            LOG.info(() -> "admission webhook " + webhook + " warns about pod " + namespace + "/"
                    + pod.path("metadata").path("name").asText() + ": " + w.asText());
        }
    }

    /** The embedded API answers these with 500 "failed calling admission webhook: ...", as failurePolicy Fail does. */
    private static IllegalStateException failure(String webhook, String detail, Throwable cause) {
        return new IllegalStateException("webhook \"" + webhook + "\": " + detail, cause);
    }

    private static IllegalStateException failure(String webhook, String detail) {
        return failure(webhook, detail, null);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
