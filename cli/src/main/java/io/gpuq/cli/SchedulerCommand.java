package io.gpuq.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.gpuq.api.Names;
import io.gpuq.scheduler.cluster.LeaderSettings;
import io.gpuq.scheduler.cluster.SchedulerProcess;
import io.gpuq.scheduler.cluster.SchedulerSettings;
import io.gpuq.scheduler.engine.placement.PlacementPolicies;
import io.gpuq.scheduler.runtime.RuntimeOptions;
import io.gpuq.scheduler.runtime.SchedulerRuntime;
import io.gpuq.webhook.server.LogSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code gpuq scheduler}: the co-deployed GPU scheduler, in a cluster or against a kubeconfig. */
@Command(name = "scheduler",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Schedule the pods that name the scheduler: fair share, gangs, fractional GPUs with reservations,",
            "reclaim and preemption; run RunaiJobs; export runai_* metrics and cost on the HTTP port.",
            "Uses the in-cluster configuration or KUBECONFIG. Replicas elect a leader with a Lease."
        })
public final class SchedulerCommand implements Runnable {
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m)$");

    @Option(names = "--scheduler-name", defaultValue = Names.SCHEDULER_NAME,
            description = "pods naming this scheduler are ours (default: ${DEFAULT-VALUE})")
    String schedulerName;
    @Option(names = "--system-namespace", defaultValue = Names.SYSTEM_NAMESPACE,
            description = "namespace of Projects, Departments and the price ConfigMap (default: ${DEFAULT-VALUE})")
    String systemNamespace;
    @Option(names = "--http-host", defaultValue = "0.0.0.0", description = "address of the HTTP port (default: ${DEFAULT-VALUE})")
    String httpHost;
    @Option(names = "--http-port", defaultValue = "9090",
            description = "/metrics, /healthz, /readyz, /api/v1/chargeback (default: ${DEFAULT-VALUE})")
    int httpPort;
    @Option(names = "--cycle-period", defaultValue = "1s", description = "time between cycles, e.g. 1s, 500ms (default: ${DEFAULT-VALUE})")
    String cyclePeriod;
    @Option(names = "--client-qps", defaultValue = "50", description = "API writes per second (default: ${DEFAULT-VALUE})")
    double clientQps;
    @Option(names = "--client-burst", defaultValue = "100", description = "API write burst (default: ${DEFAULT-VALUE})")
    int clientBurst;
    @Option(names = "--bind-concurrency", defaultValue = "16", description = "binds and evictions in flight (default: ${DEFAULT-VALUE})")
    int bindConcurrency;
    @Option(names = "--placement-policy", defaultValue = "default",
            description = "default (fragmentation-aware), binpack or spread (default: ${DEFAULT-VALUE})")
    String placementPolicy;
    @Option(names = "--reservation-namespace", defaultValue = "runai-reservation",
            description = "where reservation pods live (default: ${DEFAULT-VALUE})")
    String reservationNamespace;
    @Option(names = "--reservation-image", defaultValue = "gpuq/gpuq:latest",
            description = "image of the reservation pods, running gpuq reserve (default: ${DEFAULT-VALUE})")
    String reservationImage;
    @Option(names = "--price-configmap", defaultValue = "gpuq-prices",
            description = "ConfigMap with prices.yaml in the system namespace (default: ${DEFAULT-VALUE})")
    String priceConfigMap;
    @Option(names = "--prometheus-url", description = "Prometheus HTTP API for DCGM utilization and chargeback")
    URI prometheusUrl;
    @Option(names = "--lease-name", defaultValue = "gpuq-scheduler", description = "Lease for leader election (default: ${DEFAULT-VALUE})")
    String leaseName;
    @Option(names = "--lease-namespace", description = "namespace of the Lease (default: POD_NAMESPACE, else the system namespace)")
    String leaseNamespace;
    @Option(names = "--lease-duration", defaultValue = "15s", description = "leader lease duration (default: ${DEFAULT-VALUE})")
    String leaseDuration;
    @Option(names = "--no-leader-election", description = "lead at once (a single replica)")
    boolean noLeaderElection;
    @Option(names = "--json-logs", description = "log one JSON object per line")
    boolean jsonLogs;

    @Override
    public void run() {
        RuntimeOptions options = options();
        LogSetup.configure(jsonLogs, Level.INFO, false);
        KubernetesClient client = new KubernetesClientBuilder().build();
        SchedulerRuntime runtime;
        try {
            runtime = SchedulerRuntime.start(client, options);
        } catch (Exception e) {
            client.close();
            throw new UserInputException("the scheduler could not start: " + rootMessage(e));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            client.close();
            stopped.countDown();
        }, "gpuq-scheduler-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checks what a user can get wrong before anything starts. */
    RuntimeOptions options() {
        if (httpPort < 0 || httpPort > 65535) {
            throw new UserInputException("--http-port must be between 0 and 65535, not " + httpPort);
        }
        if (!(clientQps > 0)) {
            throw new UserInputException("--client-qps must be above 0, not " + clientQps);
        }
        if (clientBurst < 1 || bindConcurrency < 1) {
            throw new UserInputException("--client-burst and --bind-concurrency must be at least 1");
        }
        if (!PlacementPolicies.NAMES.contains(placementPolicy)) {
            throw new UserInputException("--placement-policy must be one of " + PlacementPolicies.NAMES + ", not "
                    + placementPolicy);
        }
        Duration period = duration("--cycle-period", cyclePeriod);
        Duration lease = duration("--lease-duration", leaseDuration);
        if (lease.compareTo(Duration.ofSeconds(3)) < 0) {
            throw new UserInputException("--lease-duration must be at least 3s, not " + leaseDuration);
        }
        SchedulerSettings defaults = SchedulerSettings.defaults();
        SchedulerSettings settings = new SchedulerSettings(schedulerName, systemNamespace, period, clientQps,
                clientBurst, bindConcurrency, placementPolicy, reservationNamespace, reservationImage,
                defaults.bindTimeout(), defaults.pendingEventPeriod(), defaults.reservationGrace());
        String identity = SchedulerProcess.defaultIdentity();
        String ns = leaseNamespace != null ? leaseNamespace
                : System.getenv("POD_NAMESPACE") != null ? System.getenv("POD_NAMESPACE") : systemNamespace;
        LeaderSettings leader = noLeaderElection ? LeaderSettings.disabled(identity)
                : LeaderSettings.lease(leaseName, ns, identity, lease);
        return new RuntimeOptions(settings, leader, httpHost, httpPort, priceConfigMap, Duration.ofSeconds(10),
                prometheusUrl, InstantSource.system());
    }

    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UserInputException(option + " must be a positive duration such as 500ms, 1s or 2m, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
