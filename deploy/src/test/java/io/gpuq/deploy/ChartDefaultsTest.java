package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.LintResult;
import io.gpuq.api.Names;
import io.gpuq.webhook.admission.AdmissionEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict} and {@code helm template} with the chart's default values. */
class ChartDefaultsTest {

    private static Chart.Rendered chart;

    @BeforeAll
    static void render() {
        chart = Chart.render("");
    }

    @Test
    void lintStrictPasses() {
        LintResult lint = Chart.lint();
        assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void everyManifestIsAKubernetesObject() {
        assertThat(chart.objects()).isNotEmpty();
        for (JsonNode o : chart.objects()) {
            assertThat(o.path("apiVersion").asText()).as("apiVersion of %s", o).isNotBlank();
            assertThat(o.path("kind").asText()).as("kind of %s", o).isNotBlank();
            assertThat(o.path("metadata").path("name").asText()).as("name of %s", o)
                    .matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/managed-by").asText())
                    .as("labels of %s", o.path("metadata").path("name").asText()).isEqualTo("Helm");
        }
    }

    @Test
    void defaultsRenderBothComponentsAndTheirParts() {
        assertThat(chart.summary()).contains("Deployment/gpuq-webhook", "Deployment/gpuq-scheduler",
                "Service/gpuq-webhook", "Service/gpuq-scheduler", "PodDisruptionBudget/gpuq-webhook",
                "MutatingWebhookConfiguration/gpuq-webhook", "ValidatingWebhookConfiguration/gpuq-webhook",
                "Secret/gpuq-webhook-tls", "ConfigMap/gpuq-webhook", "ConfigMap/gpuq-prices",
                "Namespace/runai-reservation", "ServiceAccount/gpuq-reservation");
        // Optional parts whose CRDs may be missing are off by default.
        assertThat(chart.has("ServiceMonitor")).isFalse();
        assertThat(chart.has("PrometheusRule")).isFalse();
        assertThat(chart.has("Certificate")).isFalse();
        assertThat(chart.kind("Deployment")).allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2));
    }

    @Test
    void priorityClassesAreThoseOfTheDesign() {
        Map<String, Integer> expected = Map.of("inference", 125, "interactive", 100, "interactive-preemptible", 75,
                "train", 50, "build", 25);
        List<JsonNode> classes = chart.kind("PriorityClass");
        assertThat(classes).hasSize(expected.size());
        for (JsonNode pc : classes) {
            String name = pc.path("metadata").path("name").asText();
            assertThat(pc.path("value").asInt()).as(name).isEqualTo(expected.get(name));
            assertThat(pc.path("globalDefault").asBoolean()).isFalse();
            assertThat(pc.path("metadata").path("labels").path("runai/preemptible").asText())
                    .isEqualTo(expected.get(name) < 100 ? "true" : "false");
        }
    }

    @Test
    void podWebhooksSelectOptedInNamespacesAndNeverKubeSystemOrTheirOwn() {
        List<JsonNode> podHooks = new ArrayList<>();
        podHooks.add(webhook("MutatingWebhookConfiguration", "mutate-pod.gpuq.io"));
        podHooks.add(webhook("ValidatingWebhookConfiguration", "validate-pod.gpuq.io"));
        for (JsonNode hook : podHooks) {
            JsonNode selector = hook.path("namespaceSelector");
            assertThat(selector.path("matchLabels").path("runai-job").asText()).isEqualTo("true");
            JsonNode notIn = StreamSupport.stream(selector.path("matchExpressions").spliterator(), false)
                    .filter(e -> e.path("key").asText().equals("kubernetes.io/metadata.name")
                            && e.path("operator").asText().equals("NotIn"))
                    .findFirst().orElseThrow();
            assertThat(texts(notIn.path("values"))).contains("kube-system", Chart.NAMESPACE, "runai-reservation");
            assertThat(hook.path("sideEffects").asText()).isEqualTo("None");
            assertThat(hook.path("failurePolicy").asText()).isEqualTo("Fail");
            assertThat(hook.path("timeoutSeconds").asInt()).isBetween(1, 10);
            assertThat(texts(hook.path("admissionReviewVersions"))).contains("v1");
            assertThat(hook.path("clientConfig").path("service").path("name").asText()).isEqualTo("gpuq-webhook");
            assertThat(hook.path("clientConfig").path("service").path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
        }
        JsonNode mutate = podHooks.get(0);
        assertThat(mutate.path("reinvocationPolicy").asText()).isEqualTo("IfNeeded");
        assertThat(texts(mutate.path("rules").get(0).path("operations"))).containsExactly("CREATE");
        assertThat(texts(mutate.path("rules").get(0).path("resources"))).containsExactly("pods");
        assertThat(mutate.path("clientConfig").path("service").path("path").asText())
                .isEqualTo(AdmissionEndpoint.MUTATE_POD.path());
        JsonNode validate = podHooks.get(1);
        assertThat(texts(validate.path("rules").get(0).path("operations"))).containsExactly("CREATE", "UPDATE");
        assertThat(validate.path("clientConfig").path("service").path("path").asText())
                .isEqualTo(AdmissionEndpoint.VALIDATE_POD.path());
    }

    @Test
    void projectAndDepartmentValidationCoverTheSystemNamespaceOnly() {
        for (var e : Map.of("validate-project.gpuq.io", AdmissionEndpoint.VALIDATE_PROJECT,
                "validate-department.gpuq.io", AdmissionEndpoint.VALIDATE_DEPARTMENT).entrySet()) {
            JsonNode hook = webhook("ValidatingWebhookConfiguration", e.getKey());
            assertThat(hook.path("clientConfig").path("service").path("path").asText()).isEqualTo(e.getValue().path());
            JsonNode rule = hook.path("rules").get(0);
            assertThat(texts(rule.path("apiGroups"))).containsExactly(Names.API_GROUP);
            assertThat(texts(rule.path("operations"))).containsExactly("CREATE", "UPDATE");
            JsonNode in = hook.path("namespaceSelector").path("matchExpressions").get(0);
            assertThat(in.path("operator").asText()).isEqualTo("In");
            assertThat(texts(in.path("values"))).containsExactly(Chart.NAMESPACE);
            assertThat(hook.path("sideEffects").asText()).isEqualTo("None");
        }
    }

    @Test
    void rbacHasNoWildcards() {
        for (JsonNode role : chart.where(o -> Set.of("ClusterRole", "Role").contains(o.path("kind").asText()))) {
            for (JsonNode rule : role.path("rules")) {
                for (String field : List.of("verbs", "resources", "apiGroups")) {
                    assertThat(texts(rule.path(field))).as("%s %s of %s", role.path("kind").asText(), field,
                            role.path("metadata").path("name").asText()).doesNotContain("*").isNotEmpty();
                }
            }
        }
    }

    @Test
    void schedulerRbacIsExactlyWhatItNeeds() {
        assertThat(grants(chart.one("ClusterRole", "gpuq-scheduler"))).containsExactlyInAnyOrder(
                "/pods:get,list,watch,create,delete,patch,update", "/pods/status:patch,update",
                "/pods/binding:create", "/pods/eviction:create", "/nodes:get,list,watch", "/namespaces:get,list,watch",
                "/services:get,list,watch,create", "/events:create,patch", "events.k8s.io/events:create,patch",
                "scheduling.k8s.io/priorityclasses:get,list,watch", "policy/poddisruptionbudgets:get,list,watch",
                "run.ai/projects:get,list,watch", "run.ai/departments:get,list,watch", "run.ai/runaijobs:get,list,watch",
                "run.ai/projects/status:update", "run.ai/departments/status:update", "run.ai/runaijobs/status:update",
                "run.ai/runaijobs:delete", "run.ai/runaijobs/finalizers:update");
        JsonNode leases = chart.one("Role", "gpuq-scheduler-leader-election");
        assertThat(leases.path("metadata").path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
        assertThat(grants(leases)).containsExactly("coordination.k8s.io/leases:get,create,update");
        assertThat(grants(chart.one("Role", "gpuq-scheduler-config"))).containsExactly("/configmaps:get,list,watch");
    }

    @Test
    void webhookRbacOnlyReads() {
        List<String> cluster = grants(chart.one("ClusterRole", "gpuq-webhook"));
        List<String> system = grants(chart.one("Role", "gpuq-webhook"));
        assertThat(cluster).allMatch(g -> g.endsWith(":get,list,watch"));
        assertThat(cluster).contains("/namespaces:get,list,watch", "/nodes:get,list,watch",
                "run.ai/runaijobs:get,list,watch", "batch/jobs:get,list,watch");
        assertThat(cluster).noneMatch(g -> g.startsWith("/pods") || g.startsWith("/secrets"));
        assertThat(system).containsExactlyInAnyOrder("run.ai/projects:get,list,watch",
                "run.ai/departments:get,list,watch", "/configmaps:get");
        JsonNode configMapRule = StreamSupport.stream(chart.one("Role", "gpuq-webhook").path("rules").spliterator(), false)
                .filter(r -> texts(r.path("resources")).contains("configmaps")).findFirst().orElseThrow();
        assertThat(texts(configMapRule.path("resourceNames"))).containsExactly("gpuq-webhook");
        assertThat(grants(chart.one("Role", "gpuq-reservation"))).containsExactly("/pods:get,patch");
        assertThat(chart.one("Role", "gpuq-reservation").path("metadata").path("namespace").asText())
                .isEqualTo("runai-reservation");
    }

    @Test
    void everyContainerHasResourcesAndTheRestrictedSecurityContext() {
        assertThat(chart.podSpecs()).hasSize(2);
        for (JsonNode pod : chart.podSpecs()) {
            JsonNode podContext = pod.path("securityContext");
            assertThat(podContext.path("runAsNonRoot").asBoolean()).isTrue();
            assertThat(podContext.path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("hostNetwork").asBoolean(false)).isFalse();
            List<JsonNode> containers = new ArrayList<>();
            pod.path("containers").forEach(containers::add);
            pod.path("initContainers").forEach(containers::add);
            assertThat(containers).isNotEmpty();
            for (JsonNode c : containers) {
                String name = c.path("name").asText();
                JsonNode resources = c.path("resources");
                assertThat(resources.path("requests").path("cpu").asText()).as("%s cpu request", name).isNotBlank();
                assertThat(resources.path("requests").path("memory").asText()).as("%s memory request", name).isNotBlank();
                assertThat(resources.path("limits").path("memory").asText()).as("%s memory limit", name).isNotBlank();
                JsonNode sc = c.path("securityContext");
                assertThat(sc.path("allowPrivilegeEscalation").isBoolean() && !sc.path("allowPrivilegeEscalation").asBoolean())
                        .as("%s allowPrivilegeEscalation false", name).isTrue();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).as("%s read-only root", name).isTrue();
                assertThat(sc.path("privileged").asBoolean(false)).isFalse();
                assertThat(texts(sc.path("capabilities").path("drop"))).as("%s drops", name).contains("ALL");
                assertThat(sc.path("capabilities").path("add").isMissingNode()).isTrue();
                assertThat(c.path("livenessProbe").isObject() && c.path("readinessProbe").isObject()).isTrue();
                // A read-only root filesystem needs a writable /tmp for the JVM and Netty.
                assertThat(c.path("volumeMounts").toString()).contains("\"mountPath\":\"/tmp\"");
            }
        }
    }

    @Test
    void webhookDeploymentRunsTheWebhookCommand() {
        JsonNode d = chart.one("Deployment", "gpuq-webhook");
        JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(texts(c.path("command"))).containsExactly("java", "-jar", "/opt/gpuq/gpuq.jar");
        assertThat(texts(c.path("args"))).containsExactly("webhook", "--port=8443", "--metrics-port=9090",
                "--tls-cert=/etc/gpuq/tls/tls.crt", "--tls-key=/etc/gpuq/tls/tls.key", "--config-map=gpuq-webhook",
                "--namespace=runai", "--json-logs");
        assertThat(c.path("image").asText()).isEqualTo("gpuq/gpuq:" + appVersion());
        assertThat(d.path("spec").path("strategy").path("rollingUpdate").path("maxUnavailable").asInt()).isZero();
        JsonNode anti = d.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity");
        assertThat(anti.path("preferredDuringSchedulingIgnoredDuringExecution").get(0).path("podAffinityTerm")
                .path("topologyKey").asText()).isEqualTo("kubernetes.io/hostname");
        assertThat(chart.one("PodDisruptionBudget", "gpuq-webhook").path("spec").path("minAvailable").asInt()).isEqualTo(1);
        JsonNode tls = StreamSupport.stream(d.path("spec").path("template").path("spec").path("volumes").spliterator(), false)
                .filter(v -> v.path("name").asText().equals("tls")).findFirst().orElseThrow();
        assertThat(tls.path("secret").path("secretName").asText()).isEqualTo("gpuq-webhook-tls");
        JsonNode svc = chart.one("Service", "gpuq-webhook");
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(443);
        assertThat(svc.path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("https");
    }

    @Test
    void schedulerDeploymentRunsTheSchedulerCommandWithLeaderElection() {
        JsonNode d = chart.one("Deployment", "gpuq-scheduler");
        JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
        String image = "gpuq/gpuq:" + appVersion();
        assertThat(texts(c.path("args"))).containsExactly("scheduler", "--scheduler-name=runai-scheduler",
                "--system-namespace=runai", "--http-port=9090", "--cycle-period=1s", "--client-qps=50",
                "--client-burst=100", "--bind-concurrency=16", "--lease-name=gpuq-scheduler", "--lease-namespace=runai",
                "--lease-duration=15s", "--reservation-namespace=runai-reservation", "--reservation-image=" + image,
                "--price-configmap=gpuq-prices", "--json-logs");
        assertThat(c.path("image").asText()).isEqualTo(image);
        Map<String, String> fieldRefs = new java.util.HashMap<>();
        c.path("env").forEach(e -> {
            if (e.has("valueFrom")) {
                fieldRefs.put(e.path("name").asText(), e.path("valueFrom").path("fieldRef").path("fieldPath").asText());
            }
        });
        assertThat(fieldRefs).containsEntry("POD_NAME", "metadata.name").containsEntry("POD_NAMESPACE", "metadata.namespace");
        assertThat(d.path("spec").path("template").path("spec").path("serviceAccountName").asText()).isEqualTo("gpuq-scheduler");
    }

    @Test
    void priceTableCarriesTheSeedPrices() {
        JsonNode prices = Yaml.readYaml(chart.one("ConfigMap", "gpuq-prices").path("data").path("prices.yaml").asText());
        assertThat(prices.path("currency").asText()).isEqualTo("USD");
        assertThat(prices.path("prices")).hasSize(2);
        assertThat(prices.path("prices").get(0).path("gpuModel").asText()).isEqualTo("H100");
        assertThat(prices.path("prices").get(0).path("capacityType").asText()).isEqualTo("spot");
        assertThat(prices.path("prices").get(0).path("perGpuHour").asDouble()).isEqualTo(1.69);
        assertThat(prices.path("prices").get(1).path("capacityType").asText()).isEqualTo("on-demand");
        assertThat(prices.path("prices").get(1).path("perGpuHour").asDouble()).isEqualTo(4.0);
        assertThat(chart.one("ConfigMap", "gpuq-prices").path("metadata").path("namespace").asText()).isEqualTo(Chart.NAMESPACE);
    }

    private JsonNode webhook(String kind, String name) {
        JsonNode config = chart.one(kind, "gpuq-webhook");
        return StreamSupport.stream(config.path("webhooks").spliterator(), false)
                .filter(w -> w.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(kind + " has no webhook " + name + ": " + config.path("webhooks")));
    }

    static String appVersion() {
        return Yaml.read(RepoFiles.chart().resolve("Chart.yaml")).path("appVersion").asText();
    }

    /** "group/resource:verb,verb" per resource of every rule, resource names aside. */
    static List<String> grants(JsonNode role) {
        List<String> out = new ArrayList<>();
        for (JsonNode rule : role.path("rules")) {
            String verbs = String.join(",", texts(rule.path("verbs")));
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    out.add(group + "/" + resource + ":" + verbs);
                }
            }
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
