package io.gpuq.webhook.config;

import io.gpuq.api.WorkloadType;
import io.gpuq.webhook.WebhookSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SettingsParserTest {

    @Test
    void anEmptyConfigMapMeansTheDefaults() {
        SettingsParser.Result r = SettingsParser.parse(new JsonObject(), "runai");
        assertThat(r.valid()).isTrue();
        assertThat(r.settings()).contains(WebhookSettings.defaults());
    }

    @Test
    void everyKeyInItsStringForm() {
        JsonObject data = new JsonObject()
                .put("enforceScheduler", "false")
                .put("schedulerName", "my-scheduler")
                .put("optInLabel", "gpu.example.com/enabled=yes")
                .put("defaultWorkloadType", "Interactive-Preemptible")
                .put("mpsPools", "mps-a, mps-b")
                .put("schedulerUsers", "system:serviceaccount:gpu:sched,admin");
        WebhookSettings s = SettingsParser.parse(data, "gpu-system").settings().orElseThrow();
        assertThat(s.enforceScheduler()).isFalse();
        assertThat(s.schedulerName()).isEqualTo("my-scheduler");
        assertThat(s.optInLabelKey()).isEqualTo("gpu.example.com/enabled");
        assertThat(s.optInLabelValue()).isEqualTo("yes");
        assertThat(s.defaultWorkloadType()).isEqualTo(WorkloadType.INTERACTIVE_PREEMPTIBLE);
        assertThat(s.mpsPools()).containsExactlyInAnyOrder("mps-a", "mps-b");
        assertThat(s.schedulerUsers()).containsExactlyInAnyOrder("system:serviceaccount:gpu:sched", "admin");
        assertThat(s.systemNamespace()).isEqualTo("gpu-system");
    }

    @Test
    void typedValuesAsTheVertxStoreDeliversThem() {
        // The store turns "true" into a Boolean, "123" into a number and "[...]" into an array.
        JsonObject data = new JsonObject()
                .put("enforceScheduler", true)
                .put("mpsPools", new JsonArray().add("a").add("b"))
                .put("optInLabel", "runai-job=true");
        WebhookSettings s = SettingsParser.parse(data, "runai").settings().orElseThrow();
        assertThat(s.enforceScheduler()).isTrue();
        assertThat(s.mpsPools()).containsExactlyInAnyOrder("a", "b");
        assertThat(SettingsParser.parse(new JsonObject().put("mpsPools", ""), "runai").settings().orElseThrow().mpsPools())
                .isEmpty();
    }

    @Test
    void eachBadValueIsNamedWithWhatIsAllowedAndTheWholeDocumentIsRejected() {
        JsonObject data = new JsonObject()
                .put("enforceScheduler", "sometimes")
                .put("schedulerName", "Runai_Scheduler")
                .put("optInLabel", "runai-job")
                .put("defaultWorkloadType", "batch")
                .put("mpsPools", "ok-pool,bad pool")
                .put("schedulerUsers", " , ")
                .put("schedulerNameTypo", "x");
        SettingsParser.Result r = SettingsParser.parse(data, "runai");
        assertThat(r.valid()).isFalse();
        assertThat(r.settings()).isEmpty();
        assertThat(r.errors()).containsExactly(
                "key 'enforceScheduler' has value 'sometimes'; allowed: true or false",
                "key 'schedulerName' has value 'Runai_Scheduler'; allowed: a DNS subdomain name (lowercase letters, "
                        + "digits, '-' and '.', at most 253 characters), e.g. runai-scheduler",
                "key 'optInLabel' has value 'runai-job'; allowed: key=value with a valid label key and value, "
                        + "e.g. runai-job=true",
                "key 'defaultWorkloadType' has value 'batch'; allowed: one of inference, interactive, "
                        + "interactive-preemptible, train, build",
                "key 'mpsPools' has value 'ok-pool,bad pool'; allowed: a comma-separated list of node pool names "
                        + "(label values: letters, digits, '-', '_', '.'), or empty for none",
                "key 'schedulerUsers' has value ','; allowed: a non-empty comma-separated list of user names, e.g. "
                        + "system:serviceaccount:runai:gpuq-scheduler (without one the scheduler could not write "
                        + "runai/gpu-devices)");
        assertThat(r.ignoredKeys()).containsExactly("schedulerNameTypo");
    }

    @Test
    void labelSyntax() {
        assertThat(SettingsParser.isLabelKey("runai-job")).isTrue();
        assertThat(SettingsParser.isLabelKey("example.com/team")).isTrue();
        assertThat(SettingsParser.isLabelKey("Example.com/team")).isFalse();
        assertThat(SettingsParser.isLabelKey("-bad")).isFalse();
        assertThat(SettingsParser.isLabelKey("a".repeat(64))).isFalse();
        assertThat(SettingsParser.isLabelValue("")).isTrue();
        assertThat(SettingsParser.isLabelValue("v1.2_x")).isTrue();
        assertThat(SettingsParser.isLabelValue("has space")).isFalse();
        assertThat(SettingsParser.isDnsSubdomain("runai-scheduler")).isTrue();
        assertThat(SettingsParser.isDnsSubdomain("a.b-c.d")).isTrue();
        assertThat(SettingsParser.isDnsSubdomain("")).isFalse();
        assertThat(Set.of(SettingsParser.KEYS.toArray())).hasSize(6);
    }
}
