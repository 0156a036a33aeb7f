package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-managed CA across {@code helm upgrade}: Helm's {@code lookup} reads the Secret of the
 * previous release from the API server (the mock of {@link KubeApi}) and the chart keeps it, so the CA
 * that the webhook configurations carry does not change under running API servers.
 */
class ChartUpgradeTest {

    private static final String SECRET = "gpuq-webhook-tls";

    private final KubernetesClient client = KubeApi.get().client();

    @AfterEach
    void removeRelease() {
        client.secrets().inNamespace(Chart.NAMESPACE).withName(SECRET).delete();
    }

    @Test
    void anUpgradeKeepsTheCaAndCertificateOfTheInstalledRelease() {
        JsonNode installed = Chart.render("").one("Secret", SECRET);
        store(installed);

        Chart.Rendered upgrade = Chart.render("webhook: {replicas: 3}");
        JsonNode upgraded = upgrade.one("Secret", SECRET);
        assertThat(upgraded.path("data")).isEqualTo(installed.path("data"));
        assertThat(upgraded.path("metadata").path("annotations")).isEqualTo(installed.path("metadata").path("annotations"));
        String ca = installed.path("data").path("ca.crt").asText();
        for (String kind : new String[] {"MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"}) {
            upgrade.one(kind, "gpuq-webhook").path("webhooks")
                    .forEach(h -> assertThat(h.path("clientConfig").path("caBundle").asText()).isEqualTo(ca));
        }
    }

    @Test
    void aFreshInstallMakesANewCa() {
        String first = Chart.render("").one("Secret", SECRET).path("data").path("ca.crt").asText();
        String second = Chart.render("").one("Secret", SECRET).path("data").path("ca.crt").asText();
        assertThat(second).as("nothing installed: each render is a first install").isNotEqualTo(first);
    }

    @Test
    void aCertificateCloseToExpiryIsReplacedOnUpgrade() throws Exception {
        JsonNode installed = Chart.render("").one("Secret", SECRET);
        Secret stored = store(installed);
        stored.getMetadata().getAnnotations().put("gpuq.io/not-after",
                Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        client.secrets().inNamespace(Chart.NAMESPACE).resource(stored).update();

        JsonNode renewed = Chart.render("").one("Secret", SECRET);
        assertThat(renewed.path("data").path("ca.crt").asText()).isNotEqualTo(installed.path("data").path("ca.crt").asText());
        Instant notAfter = Instant.parse(renewed.path("metadata").path("annotations").path("gpuq.io/not-after").asText());
        assertThat(notAfter).isAfter(Instant.now().plus(3000, ChronoUnit.DAYS));
        Pem.certificate(renewed.path("data").path("tls.crt").asText()).checkValidity();
    }

    @Test
    void aCertificateForOtherNamesIsReplaced() {
        JsonNode installed = Chart.render("").one("Secret", SECRET);
        Secret stored = store(installed);
        stored.getMetadata().getAnnotations().put("gpuq.io/dns-names", "old-webhook,old-webhook.runai.svc");
        client.secrets().inNamespace(Chart.NAMESPACE).resource(stored).update();

        JsonNode replaced = Chart.render("").one("Secret", SECRET);
        assertThat(replaced.path("data").path("tls.crt").asText()).isNotEqualTo(installed.path("data").path("tls.crt").asText());
    }

    @Test
    void aSecretWithoutTheChartsAnnotationsIsReplaced() {
        JsonNode installed = Chart.render("").one("Secret", SECRET);
        Secret stored = store(installed);
        stored.getMetadata().getAnnotations().clear();
        client.secrets().inNamespace(Chart.NAMESPACE).resource(stored).update();

        JsonNode replaced = Chart.render("").one("Secret", SECRET);
        assertThat(replaced.path("data").path("ca.crt").asText()).isNotEqualTo(installed.path("data").path("ca.crt").asText());
    }

    /** What {@code helm install} would have created from the rendered Secret. */
    private Secret store(JsonNode rendered) {
        Secret secret = client.getKubernetesSerialization().convertValue(rendered, Secret.class);
        return client.secrets().inNamespace(Chart.NAMESPACE).resource(secret).create();
    }
}
