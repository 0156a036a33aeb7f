package io.gpuq.cli;

import io.gpuq.scheduler.chargeback.ChargebackException;
import io.gpuq.scheduler.chargeback.ChargebackFormat;
import io.gpuq.scheduler.chargeback.ChargebackReport;
import io.gpuq.scheduler.chargeback.ChargebackRequest;
import io.gpuq.scheduler.chargeback.ChargebackService;
import io.gpuq.scheduler.metrics.query.PrometheusClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code gpuq chargeback}: the bill the scheduler's {@code /api/v1/chargeback} gives, computed from
 * Prometheus directly and printed as a table (or JSON or CSV). Exit 0 with the bill, 2 for bad options,
 * 1 when Prometheus cannot answer.
 */
@Command(name = "chargeback",
        mixinStandardHelpOptions = true,
        description = "Print the GPU cost per project, department or node pool over a time range, from the "
                + "scheduler's cost counters in Prometheus (increase() over the range, so scheduler restarts "
                + "are accounted for). The cost column adds up to the fleet's cost with the unallocated line.")
final class ChargebackCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--prometheus-url", paramLabel = "URL", defaultValue = "http://localhost:9090",
            description = "the Prometheus that scrapes the scheduler (default: ${DEFAULT-VALUE})")
    String prometheusUrl;

    @Option(names = "--from", paramLabel = "TIME", defaultValue = "now-30d",
            description = "start of the range: 2026-05-01T00:00:00Z, 2026-05-01 (midnight UTC), unix seconds, now "
                    + "or now-<n><s|m|h|d|w> (default: ${DEFAULT-VALUE})")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now",
            description = "end of the range, same forms (default: ${DEFAULT-VALUE})")
    String to;

    @Option(names = "--group-by", paramLabel = "G", defaultValue = "project",
            description = "project, department or nodepool (default: ${DEFAULT-VALUE})")
    String groupBy;

    @Option(names = "--format", paramLabel = "F", defaultValue = "table",
            description = "table, json or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "how long each Prometheus query may take (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw new UserInputException("--timeout must be a positive number of seconds, was " + timeoutSeconds);
        }
        URI url;
        try {
            url = PrometheusClient.parseBaseUrl(prometheusUrl);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--prometheus-url: " + e.getMessage());
        }
        ChargebackService service = new ChargebackService(url, Duration.ofSeconds(timeoutSeconds));
        ChargebackFormat output;
        ChargebackRequest request;
        try {
            output = ChargebackFormat.parse(format, List.of(ChargebackFormat.TABLE, ChargebackFormat.JSON,
                    ChargebackFormat.CSV));
            request = service.request(from, to, groupBy);
        } catch (ChargebackException e) {
            throw new UserInputException(e.getMessage(), e);
        }
        ChargebackReport report;
        try {
            // Four queries run at once, each bounded by the timeout; the extra second covers the client.
            report = service.report(request).get(timeoutSeconds + 1L, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            spec.commandLine().getErr().println("gpuq: " + ChargebackException.from(e).getMessage());
            return 1;
        } catch (TimeoutException e) {
            spec.commandLine().getErr().println("gpuq: Prometheus at " + url + " did not answer within "
                    + timeoutSeconds + " s");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            spec.commandLine().getErr().println("gpuq: interrupted while waiting for Prometheus");
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(output.render(report));
        out.flush();
        return 0;
    }
}
