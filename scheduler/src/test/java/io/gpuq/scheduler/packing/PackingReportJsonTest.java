package io.gpuq.scheduler.packing;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PackingReportJsonTest {
    @Test
    void writesTheDocumentWithKeysInOrderAndNullForMissingFigures() {
        PackingReport r = new PackingReport("openb_pod_list_default", 1213, 6212, List.of(
                new PackingReport.PolicyResult("default", 4.256, List.of(4.1, Double.NaN),
                        List.of(new PackingReport.CurvePoint(95, 5.004)))));
        StringWriter w = new StringWriter();
        PackingReportJson.write(r, w);

        String compact = w.toString().replaceAll("\\s+", "");
        assertThat(compact).isEqualTo("{\"trace\":\"openb_pod_list_default\",\"nodes\":1213,\"gpus\":6212,"
                + "\"policies\":[{\"policy\":\"default\",\"unallocatedPctAtArrived100\":4.26,"
                + "\"perSeed\":[4.1,null],\"curve\":[{\"arrivedPct\":95,\"unallocatedPct\":5.0}]}]}");
        assertThat(w.toString()).endsWith("}\n");
    }
}
