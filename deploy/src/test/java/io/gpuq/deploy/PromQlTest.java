package io.gpuq.deploy;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    void findsMetricNamesAndSkipsLabelsFunctionsAndKeywords() {
        assertThat(PromQl.metricNames("""
                sum by (project, le) (rate(runai_job_wait_time_seconds_bucket{project=~"$project", le!="x"}[$__rate_interval]))
                  > on (project) group_left (currency) gpuq:queue_backlog_threshold:default * 1e3
                  and ignoring (job) up{job=~".*gpuq.*"} offset 5m unless vector(5) or absent(nothing_here == 1)
                """)).containsExactly("runai_job_wait_time_seconds_bucket", "gpuq:queue_backlog_threshold:default",
                "up", "nothing_here");
    }

    @Test
    void stringsAndLabelValuesAreNotNames() {
        assertThat(PromQl.metricNames("label_replace(vector(1), \"project\", \"team_training\", \"\", \"\")")).isEmpty();
        assertThat(PromQl.metricNames("runai_allocated_gpus{project=\"team-training\"} * 1.69"))
                .containsExactly("runai_allocated_gpus");
    }

    @Test
    void histogramSeriesBelongToTheirFamily() {
        Set<String> families = Set.of("runai_admission_duration_seconds");
        assertThat(PromQl.family("runai_admission_duration_seconds_bucket", families)).isEqualTo("runai_admission_duration_seconds");
        assertThat(PromQl.family("runai_other_bucket", families)).isEqualTo("runai_other_bucket");
    }
}
