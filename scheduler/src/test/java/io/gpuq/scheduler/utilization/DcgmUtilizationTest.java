package io.gpuq.scheduler.utilization;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.gpuq.scheduler.cost.PriceTable;
import io.gpuq.scheduler.cost.PriceTableSource;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.metrics.SchedulerMetrics;
import io.gpuq.scheduler.metrics.testing.MetricsEndpoint;
import io.gpuq.scheduler.metrics.testing.MutableClock;
import io.gpuq.scheduler.metrics.testing.Scrape;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.gpuq.scheduler.metrics.testing.Allocations.fraction;
import static io.gpuq.scheduler.metrics.testing.Allocations.node;
import static io.gpuq.scheduler.metrics.testing.Allocations.project;
import static io.gpuq.scheduler.metrics.testing.Allocations.report;
import static io.gpuq.scheduler.metrics.testing.Allocations.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** GPU utilization per project from DCGM data, with WireMock standing in for Prometheus' HTTP API. */
class DcgmUtilizationTest {

    /**
     * dcgm-exporter samples as Prometheus returns them: some with the exporter's own pod labels
     * (honor_labels), some renamed to exported_* because Prometheus' pod label is the exporter's.
     */
    private static final String DCGM = """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"0","Hostname":"n0","pod":"a-train","namespace":"a"},
               "value":[1777593600,"80"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"1","Hostname":"n0","exported_pod":"a-train",
                         "exported_namespace":"a","pod":"dcgm-exporter-7x2k","namespace":"gpu-operator"},
               "value":[1777593600,"60"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"2","pod":"b-chat","namespace":"b"},
               "value":[1777593600,"40"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"2","exported_pod":"c-chat","exported_namespace":"c",
                         "pod":"dcgm-exporter-7x2k","namespace":"gpu-operator"},
               "value":[1777593600,"40"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"3","pod":"b-serve","namespace":"b"},
               "value":[1777593600,"100"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"4","pod":"","namespace":""},
               "value":[1777593600,"0"]},
              {"metric":{"__name__":"DCGM_FI_DEV_GPU_UTIL","gpu":"5","pod":"other","namespace":"x"},
               "value":[1777593600,"99"]}
            ]}}
            """;

    private static final List<GpuNode> NODES = List.of(node("n0", "default", "H100", "spot", 8, Map.of()));
    private static final List<Project> PROJECTS = List.of(project("a", null, Map.of("default", 2.0)),
            project("b", null, Map.of("default", 2.0)), project("c", null, Map.of("default", 1.0)));
    private static final List<RunningWorkload> RUNNING = List.of(
            whole("a-train", "a", "n0", 0, 1),
            fraction("b-chat", "b", "n0", 2, 500),
            fraction("c-chat", "c", "n0", 2, 250),
            whole("b-serve", "b", "n0", 3));

    private static final WireMockServer prometheus = new WireMockServer(options().dynamicPort());
    private final MutableClock schedulerClock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
    private final MutableClock wallClock = new MutableClock(Instant.parse("2026-05-01T00:00:00Z"));
    private DcgmUtilization utilization;
    private SchedulerMetrics metrics;
    private MetricsEndpoint endpoint;

    @BeforeAll
    static void startPrometheus() {
        prometheus.start();
    }

    @AfterAll
    static void stopPrometheus() {
        prometheus.stop();
    }

    @BeforeEach
    void start() {
        prometheus.resetAll();
        utilization = new DcgmUtilization(new UtilizationSettings(URI.create(prometheus.baseUrl()),
                UtilizationSettings.DEFAULT_QUERY, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(5)), wallClock);
        PrometheusRegistry registry = new PrometheusRegistry();
        metrics = new SchedulerMetrics(registry, schedulerClock, PriceTableSource.fixed(PriceTable.defaults()),
                utilization, Project -> Project);
        endpoint = new MetricsEndpoint(registry);
    }

    @AfterEach
    void stop() throws Exception {
        endpoint.close();
    }

    private void answer(ResponseDefinitionBuilder response) {
        prometheus.resetAll();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo(UtilizationSettings.DEFAULT_QUERY))
                .willReturn(response));
    }

    private void cycleAndRead() throws Exception {
        metrics.cycleCompleted(report(schedulerClock, NODES, PROJECTS, RUNNING));
        utilization.refresh().get(30, TimeUnit.SECONDS);
    }

    @Test
    void bothLabelSpellingsAndFractionalPodsAreAttributedToProjects() throws Exception {
        answer(okJson(DCGM));
        cycleAndRead();
        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_gpu_utilization_per_project", "project", "a")).as("(80 + 60) / 2").isEqualTo(70);
        assertThat(s.value("runai_gpu_utilization_per_project", "project", "b"))
                .as("half a device at 40 and a whole one at 100").isCloseTo(80, within(1e-9));
        assertThat(s.value("runai_gpu_utilization_per_project", "project", "c")).isEqualTo(40);
        assertThat(s.samples("runai_gpu_utilization_per_project")).hasSize(3);
        assertThat(s.value("runai_gpu_utilization_source_up")).isEqualTo(1);
        assertThat(s.value("runai_gpu_utilization_stale")).isZero();
        assertThat(s.value("runai_gpu_utilization_age_seconds")).isZero();
    }

    @Test
    void answersAreCachedForTheRefreshInterval() throws Exception {
        answer(okJson(DCGM));
        cycleAndRead();
        for (int i = 0; i < 3; i++) {
            endpoint.scrape();
            metrics.cycleCompleted(report(schedulerClock, NODES, PROJECTS, RUNNING));
        }
        prometheus.verify(exactly(1), getRequestedFor(urlPathEqualTo("/api/v1/query")));

        wallClock.advance(Duration.ofSeconds(31));
        utilization.refresh().get(30, TimeUnit.SECONDS);
        endpoint.scrape();
        prometheus.verify(exactly(2), getRequestedFor(urlPathEqualTo("/api/v1/query")));
        Scrape s = endpoint.scrape();
        assertThat(s.value("caffeine_cache_miss_total", "cache", "gpu_utilization")).isEqualTo(2);
        assertThat(s.value("caffeine_cache_hit_total", "cache", "gpu_utilization")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void aTimeoutKeepsTheLastValuesForTheStalenessBoundThenTheyDisappear() throws Exception {
        answer(okJson(DCGM));
        cycleAndRead();
        answer(okJson(DCGM).withFixedDelay(6500));
        wallClock.advance(Duration.ofSeconds(31));
        cycleAndRead();

        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_gpu_utilization_source_up")).isZero();
        assertThat(s.value("runai_gpu_utilization_stale")).isEqualTo(1);
        assertThat(s.value("runai_gpu_utilization_age_seconds")).isEqualTo(31);
        assertThat(s.value("runai_gpu_utilization_per_project", "project", "a")).as("kept").isEqualTo(70);

        wallClock.advance(Duration.ofMinutes(5));
        s = endpoint.scrape();
        assertThat(s.samples("runai_gpu_utilization_per_project")).as("older than 5 min: gone").isEmpty();
        assertThat(s.samples("runai_gpu_utilization_age_seconds")).isEmpty();
        assertThat(s.value("runai_gpu_utilization_stale")).isZero();
        assertThat(s.value("runai_gpu_utilization_source_up")).isZero();
    }

    @Test
    void errorsAndMalformedAnswersKeepTheLastValuesAndNeverReachTheCycle() throws Exception {
        List<Supplier<ResponseDefinitionBuilder>> bad = List.of(
                () -> aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"too many queries\"}"),
                () -> aResponse().withStatus(502).withBody("<html>bad gateway</html>"),
                () -> okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"),
                () -> okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"),
                () -> okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                        + "{\"metric\":{\"pod\":\"a-train\",\"namespace\":\"a\"},\"value\":[1,\"lots\"]}]}}"),
                () -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        for (Supplier<ResponseDefinitionBuilder> response : bad) {
            answer(okJson(DCGM));
            wallClock.advance(Duration.ofSeconds(31));
            cycleAndRead();
            assertThat(endpoint.scrape().value("runai_gpu_utilization_source_up")).isEqualTo(1);

            answer(response.get());
            wallClock.advance(Duration.ofSeconds(31));
            cycleAndRead();
            Scrape s = endpoint.scrape();
            assertThat(s.value("runai_gpu_utilization_source_up")).as(response.get().build().toString()).isZero();
            assertThat(s.value("runai_gpu_utilization_stale")).isEqualTo(1);
            assertThat(s.value("runai_gpu_utilization_per_project", "project", "c")).isEqualTo(40);
        }
    }

    @Test
    void anEmptyResultIsAnAnswerWithNoProjects() throws Exception {
        answer(okJson("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
        cycleAndRead();
        Scrape s = endpoint.scrape();
        assertThat(s.value("runai_gpu_utilization_source_up")).isEqualTo(1);
        assertThat(s.samples("runai_gpu_utilization_per_project")).isEmpty();
    }

    @Test
    void anUnreachablePrometheusMeansNoUtilizationAndSourceDown() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        DcgmUtilization unreachable = new DcgmUtilization(UtilizationSettings.defaults(
                URI.create("http://127.0.0.1:" + closed)), wallClock);
        PrometheusRegistry registry = new PrometheusRegistry();
        SchedulerMetrics m = new SchedulerMetrics(registry, schedulerClock, PriceTableSource.fixed(PriceTable.defaults()),
                unreachable, p -> p);
        m.cycleCompleted(report(schedulerClock, NODES, PROJECTS, RUNNING));
        unreachable.refresh().get(10, TimeUnit.SECONDS);
        try (MetricsEndpoint e = new MetricsEndpoint(registry)) {
            Scrape s = e.scrape();
            assertThat(s.value("runai_gpu_utilization_source_up")).isZero();
            assertThat(s.value("runai_gpu_utilization_stale")).isZero();
            assertThat(s.samples("runai_gpu_utilization_per_project")).isEmpty();
            assertThat(s.samples("runai_allocated_gpus")).as("the cycle's metrics are unaffected").hasSize(3);
        }
    }
}
