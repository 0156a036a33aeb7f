package io.gpuq.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.WebhookSettings;
import io.gpuq.webhook.config.SettingsParser;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The settings ConfigMap the chart writes is one the webhook's own parser accepts, key for key. */
class WebhookSettingsConfigMapTest {

    @Test
    void defaultSettingsParseAndNameTheChartsSchedulerAccount() {
        WebhookSettings settings = parse(Chart.render(""));
        assertThat(settings.enforceScheduler()).isTrue();
        assertThat(settings.schedulerName()).isEqualTo("runai-scheduler");
        assertThat(settings.optInLabelKey()).isEqualTo("runai-job");
        assertThat(settings.optInLabelValue()).isEqualTo("true");
        assertThat(settings.defaultWorkloadType()).isEqualTo(WorkloadType.fromLabel("train").orElseThrow());
        assertThat(settings.mpsPools()).isEmpty();
        assertThat(settings.schedulerUsers()).containsExactly("system:serviceaccount:runai:gpuq-scheduler");
    }

    @Test
    void changedSettingsParse() {
        Chart.Rendered chart = Chart.render("""
                optInLabel: {key: gpuq.io/enabled, value: "yes"}
                scheduler: {name: gpu-scheduler}
                webhook:
                  settings:
                    enforceScheduler: false
                    defaultWorkloadType: interactive-preemptible
                    mpsPools: [inference-pool, a100-pool]
                    extraSchedulerUsers: ["system:serviceaccount:ops:gpu-admin"]
                """);
        WebhookSettings settings = parse(chart);
        assertThat(settings.enforceScheduler()).isFalse();
        assertThat(settings.schedulerName()).isEqualTo("gpu-scheduler");
        assertThat(settings.optInLabelKey()).isEqualTo("gpuq.io/enabled");
        assertThat(settings.optInLabelValue()).isEqualTo("yes");
        assertThat(settings.mpsPools()).isEqualTo(Set.of("inference-pool", "a100-pool"));
        assertThat(settings.schedulerUsers()).containsExactlyInAnyOrder("system:serviceaccount:runai:gpuq-scheduler",
                "system:serviceaccount:ops:gpu-admin");
        // The pod webhooks select the same label the settings name.
        JsonNode selector = chart.one("MutatingWebhookConfiguration", "gpuq-webhook").path("webhooks").get(0)
                .path("namespaceSelector").path("matchLabels");
        assertThat(selector.path("gpuq.io/enabled").asText()).isEqualTo("yes");
    }

    private static WebhookSettings parse(Chart.Rendered chart) {
        JsonNode data = chart.one("ConfigMap", "gpuq-webhook").path("data");
        Map<String, Object> values = new TreeMap<>();
        data.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(SettingsParser.KEYS);
        SettingsParser.Result result = SettingsParser.parse(new JsonObject(values), Chart.NAMESPACE);
        assertThat(result.errors()).isEmpty();
        assertThat(result.ignoredKeys()).isEmpty();
        return result.settings().orElseThrow();
    }
}
