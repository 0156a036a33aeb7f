package io.gpuq.deploy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** values.schema.json: Helm refuses values the chart does not know, naming the offending key. */
class ChartSchemaTest {

    @Test
    void aTypoAtTheTopIsRejected() {
        assertThatThrownBy(() -> Chart.template("serviceMonitr: {enabled: true}"))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("serviceMonitr");
    }

    @Test
    void aTypoInsideAComponentIsRejected() {
        assertThatThrownBy(() -> Chart.template("webhook: {failurPolicy: Ignore}"))
                .hasMessageContaining("failurPolicy");
        assertThatThrownBy(() -> Chart.template("scheduler: {reservation: {namespce: x}}"))
                .hasMessageContaining("namespce");
    }

    @Test
    void valuesOutsideTheirRangeAreRejected() {
        assertThatThrownBy(() -> Chart.template("webhook: {failurePolicy: Sometimes}"))
                .hasMessageContaining("failurePolicy");
        assertThatThrownBy(() -> Chart.template("webhook: {timeoutSeconds: 45}"))
                .hasMessageContaining("timeoutSeconds");
        assertThatThrownBy(() -> Chart.template("scheduler: {replicas: 0}"))
                .hasMessageContaining("replicas");
        assertThatThrownBy(() -> Chart.template("prices: {currency: USD, prices: [{gpuModel: H100, perGpuHour: 2}]}"))
                .hasMessageContaining("capacityType");
        assertThatThrownBy(() -> Chart.template("webhook: {settings: {defaultWorkloadType: batch}}"))
                .hasMessageContaining("defaultWorkloadType");
    }

    @Test
    void everyDefaultIsValid() {
        assertThat(Chart.template("")).contains("kind: Deployment");
    }
}
