package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.StreamSupport;

import static io.gpuq.deploy.ChartDefaultsTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm template} with the optional parts switched on and off. */
class ChartVariationsTest {

    @Test
    void selfManagedCaSignsTheServingCertificateAndIsTrustedByBothConfigurations() throws Exception {
        Chart.Rendered chart = Chart.render("");
        JsonNode secret = chart.one("Secret", "gpuq-webhook-tls");
        assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
        X509Certificate ca = Pem.certificate(secret.path("data").path("ca.crt").asText());
        X509Certificate serving = Pem.certificate(secret.path("data").path("tls.crt").asText());
        serving.verify(ca.getPublicKey());
        serving.checkValidity();
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        List<String> sans = new ArrayList<>();
        serving.getSubjectAlternativeNames().forEach(san -> sans.add(String.valueOf(san.get(1))));
        assertThat(sans).contains("gpuq-webhook.runai.svc", "gpuq-webhook.runai.svc.cluster.local");
        assertThat(new String(Base64.getDecoder().decode(secret.path("data").path("tls.key").asText())))
                .contains("PRIVATE KEY");
        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            for (JsonNode hook : chart.one(kind, "gpuq-webhook").path("webhooks")) {
                assertThat(hook.path("clientConfig").path("caBundle").asText()).as(kind)
                        .isEqualTo(secret.path("data").path("ca.crt").asText());
            }
        }
    }

    @Test
    void certManagerIssuesTheCertificateAndInjectsTheCa() {
        Chart.Rendered chart = Chart.render("webhook: {tls: {certManager: {enabled: true}}}");
        assertThat(chart.has("Secret")).as("no chart-made key material").isFalse();
        JsonNode cert = chart.one("Certificate", "gpuq-webhook");
        assertThat(cert.path("spec").path("secretName").asText()).isEqualTo("gpuq-webhook-tls");
        assertThat(texts(cert.path("spec").path("dnsNames"))).contains("gpuq-webhook.runai.svc");
        assertThat(cert.path("spec").path("issuerRef").path("name").asText()).isEqualTo("gpuq-webhook-ca");
        assertThat(chart.one("Certificate", "gpuq-webhook-ca").path("spec").path("isCA").asBoolean()).isTrue();
        assertThat(chart.kind("Issuer")).hasSize(2);
        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            JsonNode config = chart.one(kind, "gpuq-webhook");
            assertThat(config.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from").asText())
                    .isEqualTo("runai/gpuq-webhook");
            config.path("webhooks").forEach(h -> assertThat(h.path("clientConfig").has("caBundle")).isFalse());
        }
    }

    @Test
    void certManagerWithAGivenIssuerMakesNoCaOfItsOwn() {
        Chart.Rendered chart = Chart.render("""
                webhook:
                  tls:
                    certManager:
                      enabled: true
                      issuerRef: {name: corp-ca, kind: ClusterIssuer, group: cert-manager.io}
                """);
        assertThat(chart.has("Issuer")).isFalse();
        assertThat(chart.kind("Certificate")).hasSize(1);
        JsonNode ref = chart.one("Certificate", "gpuq-webhook").path("spec").path("issuerRef");
        assertThat(ref.path("name").asText()).isEqualTo("corp-ca");
        assertThat(ref.path("kind").asText()).isEqualTo("ClusterIssuer");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Fail", "Ignore"})
    void failurePolicyReachesEveryWebhook(String policy) {
        Chart.Rendered chart = Chart.render("webhook: {failurePolicy: " + policy + ", timeoutSeconds: 3}");
        for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
            for (JsonNode hook : chart.one(kind, "gpuq-webhook").path("webhooks")) {
                assertThat(hook.path("failurePolicy").asText()).isEqualTo(policy);
                assertThat(hook.path("timeoutSeconds").asInt()).isEqualTo(3);
            }
        }
    }

    @Test
    void serviceMonitorScrapesBothComponentsUnderGpuqJobNames() {
        assertThat(Chart.render("serviceMonitor: {enabled: false}").has("ServiceMonitor")).isFalse();
        Chart.Rendered chart = Chart.render("serviceMonitor: {enabled: true, interval: 15s, labels: {release: prom}}");
        JsonNode sm = chart.one("ServiceMonitor", "gpuq");
        assertThat(sm.path("metadata").path("labels").path("release").asText()).isEqualTo("prom");
        JsonNode endpoint = sm.path("spec").path("endpoints").get(0);
        assertThat(endpoint.path("port").asText()).isEqualTo("http-metrics");
        assertThat(endpoint.path("interval").asText()).isEqualTo("15s");
        JsonNode relabel = endpoint.path("relabelings").get(0);
        assertThat(relabel.path("targetLabel").asText()).isEqualTo("job");
        assertThat(relabel.path("replacement").asText()).isEqualTo("gpuq-$1");
        // Both Services expose the port the ServiceMonitor names and carry the labels it selects.
        for (String component : List.of("webhook", "scheduler")) {
            JsonNode svc = chart.one("Service", "gpuq-" + component);
            assertThat(svc.path("metadata").path("labels").path("app.kubernetes.io/component").asText()).isEqualTo(component);
            assertThat(svc.path("spec").path("ports").toString()).contains("\"name\":\"http-metrics\"");
        }
        assertThat(texts(sm.path("spec").path("selector").path("matchExpressions").get(0).path("values")))
                .containsExactlyInAnyOrder("webhook", "scheduler");
    }

    @Test
    void prometheusRuleHoldsTheRuleFilesOfAlerts() {
        assertThat(Chart.render("").has("PrometheusRule")).isFalse();
        JsonNode groups = Chart.render("prometheusRule: {enabled: true}").one("PrometheusRule", "gpuq").path("spec").path("groups");
        List<JsonNode> expected = new ArrayList<>();
        for (Path file : RepoFiles.ruleFiles()) {
            Yaml.read(file).path("groups").forEach(expected::add);
        }
        List<JsonNode> actual = new ArrayList<>();
        groups.forEach(actual::add);
        assertThat(actual).as("the chart's groups are alerts/*.yaml's, thresholds group from the default values included")
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void prometheusRuleThresholdsAndRunbookLinksComeFromValues() {
        JsonNode groups = Chart.render("""
                prometheusRule:
                  enabled: true
                  runbookBaseUrl: https://git.example.com/gpuq/blob/v1/alerts/runbook.md
                  thresholds:
                    queueBacklog: {default: 8, projects: {team-training: 20}}
                    budgetPerHour: {projects: {team-research: 12.5}}
                """).one("PrometheusRule", "gpuq").path("spec").path("groups");
        JsonNode thresholds = StreamSupport.stream(groups.spliterator(), false)
                .filter(g -> g.path("name").asText().equals("gpuq-thresholds")).findFirst().orElseThrow();
        assertThat(thresholds.path("rules")).hasSize(3);
        assertThat(thresholds.path("rules").get(0).path("expr").asText()).isEqualTo("vector(8)");
        assertThat(thresholds.path("rules").get(1).path("record").asText()).isEqualTo("gpuq:queue_backlog_threshold:project");
        assertThat(thresholds.path("rules").get(1).path("expr").asText()).isEqualTo("vector(20)");
        assertThat(thresholds.path("rules").get(1).path("labels").path("project").asText()).isEqualTo("team-training");
        assertThat(thresholds.path("rules").get(2).path("record").asText()).isEqualTo("gpuq:project_budget_per_hour:project");
        assertThat(thresholds.path("rules").get(2).path("expr").asText()).isEqualTo("vector(12.5)");
        List<String> urls = new ArrayList<>();
        groups.forEach(g -> g.path("rules").forEach(r -> {
            if (r.has("alert")) {
                urls.add(r.path("annotations").path("runbook_url").asText());
            }
        }));
        assertThat(urls).isNotEmpty().allMatch(u -> u.startsWith("https://git.example.com/gpuq/blob/v1/alerts/runbook.md#gpuq"));
    }

    @Test
    void dashboardConfigMapsCarryTheGrafanaFilesForTheSidecar() throws Exception {
        assertThat(Chart.render("dashboards: {enabled: false}").where(o -> o.path("metadata").path("name").asText()
                .startsWith("gpuq-dashboard-"))).isEmpty();
        Chart.Rendered chart = Chart.render("dashboards: {enabled: true, namespace: monitoring, folder: GPUs}");
        List<JsonNode> maps = chart.where(o -> o.path("metadata").path("name").asText().startsWith("gpuq-dashboard-"));
        assertThat(maps).hasSize(RepoFiles.dashboards().size());
        for (Path source : RepoFiles.dashboards()) {
            String file = source.getFileName().toString();
            JsonNode map = maps.stream().filter(m -> m.path("data").has(file)).findFirst()
                    .orElseThrow(() -> new AssertionError("no dashboard ConfigMap holds " + file));
            assertThat(map.path("metadata").path("namespace").asText()).isEqualTo("monitoring");
            assertThat(map.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
            assertThat(map.path("metadata").path("annotations").path("grafana_folder").asText()).isEqualTo("GPUs");
            assertThat(map.path("data").path(file).asText()).isEqualTo(Files.readString(source).stripTrailing());
        }
    }

    @Test
    void schedulerOptionsReachItsCommandLine() {
        Chart.Rendered chart = Chart.render("""
                systemNamespace: gpu-system
                image: {tag: "0.2.0"}
                jsonLogs: false
                scheduler:
                  name: gpu-scheduler
                  cyclePeriod: 500ms
                  prometheusUrl: http://prometheus.monitoring:9090
                  reservation: {namespace: gpu-reservations}
                """);
        JsonNode c = chart.one("Deployment", "gpuq-scheduler").path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(texts(c.path("args"))).contains("--scheduler-name=gpu-scheduler", "--system-namespace=gpu-system",
                "--cycle-period=500ms", "--prometheus-url=http://prometheus.monitoring:9090",
                "--reservation-namespace=gpu-reservations", "--reservation-image=gpuq/gpuq:0.2.0")
                .doesNotContain("--json-logs");
        assertThat(chart.one("ConfigMap", "gpuq-webhook").path("data").path("schedulerName").asText()).isEqualTo("gpu-scheduler");
        assertThat(chart.one("ConfigMap", "gpuq-prices").path("metadata").path("namespace").asText()).isEqualTo("gpu-system");
        assertThat(chart.one("Role", "gpuq-reservation").path("metadata").path("namespace").asText()).isEqualTo("gpu-reservations");
        assertThat(chart.one("Namespace", "gpu-reservations")).isNotNull();
    }

    @Test
    void clientCaTurnsOnMutualTls() {
        JsonNode pod = Chart.render("webhook: {clientCaSecret: apiserver-client-ca}")
                .one("Deployment", "gpuq-webhook").path("spec").path("template").path("spec");
        assertThat(texts(pod.path("containers").get(0).path("args"))).contains("--client-ca=/etc/gpuq/client-ca/ca.crt");
        assertThat(pod.path("volumes").toString()).contains("apiserver-client-ca");
    }
}
