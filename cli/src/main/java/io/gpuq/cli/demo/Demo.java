package io.gpuq.cli.demo;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.gpuq.api.Names;
import io.gpuq.cli.UserInputException;
import io.gpuq.embedded.EmbeddedApiServer;
import io.gpuq.embedded.KubeletStandIn;
import io.gpuq.scheduler.cluster.LeaderSettings;
import io.gpuq.scheduler.cluster.SchedulerSettings;
import io.gpuq.scheduler.engine.placement.PlacementPolicies;
import io.gpuq.scheduler.runtime.RuntimeOptions;
import io.gpuq.scheduler.runtime.SchedulerRuntime;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.webhook.server.ServerOptions;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code gpuq demo}: a whole gpuq installation in one process against an embedded Kubernetes API
 * (DESIGN §6). {@link #start} brings the parts up in the order a cluster would have them (API and
 * cluster objects, webhook over HTTPS with the admission step in front of pod creation, kubelet
 * stand-in, scheduler with its metrics port); {@link #run} replays the scenario in scenario time
 * and prints the summary; {@link #close} takes everything down in reverse.
 */
public final class Demo implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Demo.class.getName());
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    /** Wall time the summary waits for the scheduler's Events that explain the last evictions. */
    private static final Duration EVENT_GRACE = Duration.ofSeconds(2);
    /** Plain output in --forever mode: the table again when allocations changed, at most this often. */
    private static final Duration PLAIN_REFRESH = Duration.ofSeconds(10);

    private final DemoOptions options;
    private final Scenario scenario;
    private final DemoConsole console;
    private final ScenarioClock clock;
    private final DemoPaths paths;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** HTTP/1.1: on plain http the JDK client would otherwise try an HTTP/2 upgrade it can get stuck in. */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private KubernetesClient client;
    private SchedulerRuntime scheduler;
    private EvictionLog evictions;
    private WorkloadReplay replay;
    private boolean closed;

    private Demo(DemoOptions options, Scenario scenario, DemoConsole console) {
        this.options = options;
        this.scenario = scenario;
        this.console = console;
        this.clock = new ScenarioClock(options.speed());
        this.paths = DemoPaths.under(options.workingDirectory());
    }

    /**
     * Checks the options, then starts every part; returns once all of them are ready and the scenario
     * clock has started. Whatever started is stopped again when a later part fails.
     *
     * @throws UserInputException for a bad scenario, option or a port in use
     */
    public static Demo start(DemoOptions options, WebhookLauncher webhooks, PrintWriter out, boolean ansi) {
        checkOptions(options);
        Scenario scenario = DemoScenario.load(options.scenarioFile());
        PortCheck.requireFree(options.apiPort(), "--api-port");
        PortCheck.requireFree(options.webhookPort(), "--webhook-port");
        PortCheck.requireFree(options.metricsPort(), "--metrics-port");
        Demo demo = new Demo(options, scenario, new DemoConsole(out, ansi));
        try {
            demo.startParts(webhooks);
            return demo;
        } catch (RuntimeException e) {
            demo.close();
            throw e;
        } catch (Exception e) {
            demo.close();
            throw new IllegalStateException("the demo could not start: " + e.getMessage(), e);
        }
    }

    static void checkOptions(DemoOptions o) {
        if (!(o.speed() >= 0.1 && o.speed() <= 1000)) {
            throw new UserInputException("--speed must be between 0.1 and 1000 (scenario seconds per wall second), not "
                    + DemoSummary.speedText(o.speed()));
        }
        checkPort("--api-port", o.apiPort());
        checkPort("--webhook-port", o.webhookPort());
        checkPort("--metrics-port", o.metricsPort());
        if (o.apiPort() == o.webhookPort() || o.apiPort() == o.metricsPort() || o.webhookPort() == o.metricsPort()) {
            throw new UserInputException("--api-port, --webhook-port and --metrics-port must differ; got " + o.apiPort()
                    + ", " + o.webhookPort() + " and " + o.metricsPort());
        }
    }

    private static void checkPort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new UserInputException(option + " must be between 1 and 65535, not " + port);
        }
    }

    private void startParts(WebhookLauncher webhooks) throws Exception {
        try {
            Files.createDirectories(paths.dir());
        } catch (IOException e) {
            throw new UserInputException("cannot create " + paths.dir() + " for the demo's files: " + e.getMessage());
        }
        DemoLogging logging = DemoLogging.toFile(paths.log());
        resources.push(logging);

        EmbeddedApiServer api = logging.quietSlf4j(EmbeddedApiServer::new);
        api.useClock(clock);
        try {
            api.start(options.apiPort());
        } catch (EmbeddedApiServer.PortInUseException e) {
            throw PortCheck.inUse(options.apiPort(), "--api-port");
        }
        resources.push(api);
        api.writeKubeconfig(paths.kubeconfig());
        client = api.newClient();
        resources.push(client);
        new ClusterSeeder(client).seed(new ScenarioObjects(scenario));

        DemoCertificates certs = DemoCertificates.generate();
        certs.write(paths.webhookCa(), paths.webhookCert(), paths.webhookKey());
        ServerOptions webhookOptions = ServerOptions.builder(paths.webhookCert(), paths.webhookKey())
                .host(LOOPBACK).metricsHost(LOOPBACK).port(options.webhookPort()).metricsPort(0).instances(1).build();
        WebhookLauncher.RunningWebhook webhook;
        try {
            webhook = webhooks.start(kubernetesConfig(api), webhookOptions);
        } catch (UserInputException e) {
            if (portInUse(e)) {
                throw PortCheck.inUse(options.webhookPort(), "--webhook-port");
            }
            throw e;
        }
        resources.push(webhook);
        URI webhookUrl = URI.create("https://" + LOOPBACK + ":" + webhook.port());
        HttpClient https = HttpClient.newBuilder().sslContext(certs.trustingCa()).connectTimeout(Duration.ofSeconds(5)).build();
        await("the webhook", () -> status(https, webhookUrl.resolve("/readyz")) == 200);

        OptedInNamespaces optedIn = new OptedInNamespaces(client, Names.SYSTEM_NAMESPACE).start();
        resources.push(optedIn);
        WebhookAdmission admission = new WebhookAdmission(webhookUrl, certs.trustingCa(), optedIn);
        if (!scenario.projects().isEmpty()) {
            admission.probe(scenario.projects().get(0).name());
        }
        api.setAdmission(admission);
        resources.push(() -> api.setAdmission(null));

        KubernetesClient kubeletClient = api.newClient();
        resources.push(kubeletClient);
        resources.push(new KubeletStandIn(kubeletClient, options.speed()).start());

        KubernetesClient schedulerClient = api.newClient();
        resources.push(schedulerClient);
        try {
            scheduler = SchedulerRuntime.start(schedulerClient, runtimeOptions());
        } catch (Exception e) {
            if (portInUse(e)) {
                throw PortCheck.inUse(options.metricsPort(), "--metrics-port");
            }
            throw e;
        }
        resources.push(scheduler);
        URI metrics = URI.create("http://" + LOOPBACK + ":" + scheduler.httpPort());
        await("the scheduler", () -> scheduler.process().isLeader() && scheduler.process().lastReport() != null
                && status(http, metrics.resolve("/readyz")) == 200);

        evictions = new EvictionLog().start(client);
        resources.push(evictions);
        replay = new WorkloadReplay(client, scenario, clock, console, evictions);
        resources.push(replay);
        announce(webhook);
        clock.start();
        replay.start();
        console.startLive(this::header, this::table);
        LOG.info(() -> "demo started: scenario " + scenario.source() + " at " + DemoSummary.speedText(options.speed()) + "×");
    }

    /**
     * Replays the scenario to its end (the last {@code observeAt}, or when no work is left), prints the
     * summary, and with {@code --forever} keeps serving until {@link #requestStop}. Returns early, with
     * the summary, when a stop is requested.
     */
    public void run() throws InterruptedException {
        List<Long> points = scenario.observeAt();
        double end = points.isEmpty() ? Double.NaN : points.get(points.size() - 1);
        int next = 0;
        while (true) {
            double t = clock.seconds();
            while (next < points.size() && points.get(next) <= t) {
                console.snapshot("t=" + points.get(next) + " s", table());
                next++;
            }
            boolean over = Double.isNaN(end) ? replay.settled() : t >= end;
            if (over) {
                break;
            }
            long waitNanos = Duration.ofMillis(100).toNanos();
            if (next < points.size()) {
                waitNanos = Math.min(waitNanos, clock.wallUntil(points.get(next)).toNanos());
            }
            if (stopRequested.await(Math.max(1, waitNanos), TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        summary();
        if (options.forever() && stopRequested.getCount() > 0) {
            serve();
        }
    }

    /** Ends {@link #run} (from a shutdown hook or another thread). */
    public void requestStop() {
        stopRequested.countDown();
    }

    private void summary() throws InterruptedException {
        long deadline = System.nanoTime() + EVENT_GRACE.toNanos();
        while (!evictions.allExplained() && System.nanoTime() < deadline && stopRequested.getCount() > 0) {
            Thread.sleep(50);
        }
        double at = clock.seconds();
        ProjectTable table = table();
        List<SharedDevices.Workload> shared = SharedDevices.read(client, scenario, ScenarioObjects.RESERVATION_NAMESPACE);
        console.stopLive();
        console.print(DemoSummary.lines(scenario, at, options.speed(), table, evictions.all(), shared, replay.runs()));
    }

    private void serve() throws InterruptedException {
        console.print(List.of("", "Still serving (--forever): the cluster, webhook, scheduler and metrics stay up; "
                + "evicted pods are recreated. Ctrl-C stops."));
        console.startLive(this::header, this::table);
        ProjectTable printed = null;
        while (!stopRequested.await(console.ansi() ? 1000 : PLAIN_REFRESH.toMillis(), TimeUnit.MILLISECONDS)) {
            ProjectTable now = table();
            if (!console.ansi() && !now.sameAllocation(printed)) {
                console.snapshot(String.format(Locale.ROOT, "t=%.0f s", clock.seconds()), now);
                printed = now;
            }
        }
    }

    private ProjectTable table() {
        return ProjectTable.of(scenario, scheduler.process().lastReport(), scheduler.metrics().costs());
    }

    private String header() {
        List<Long> points = scenario.observeAt();
        double t = clock.seconds();
        String of = "";
        if (!points.isEmpty() && t <= points.get(points.size() - 1)) {
            of = " of " + points.get(points.size() - 1);
        }
        return String.format(Locale.ROOT, "gpuq demo  t=%.0f s%s (scenario time, %s× the wall clock)   Ctrl-C stops",
                t, of, DemoSummary.speedText(options.speed()));
    }

    private void announce(WebhookLauncher.RunningWebhook webhook) {
        int gpus = scenario.nodes().stream().mapToInt(n -> n.gpus() * n.nodeNames().size()).sum();
        int nodes = scenario.nodes().stream().mapToInt(n -> n.nodeNames().size()).sum();
        List<Long> points = scenario.observeAt();
        String length = points.isEmpty() ? "until no work is left"
                : String.format(Locale.ROOT, "%d s of scenario time in %.1f s", points.get(points.size() - 1),
                        points.get(points.size() - 1) / options.speed());
        Path cwd = options.workingDirectory();
        console.print(List.of(
                "gpuq demo: " + scenario.source() + ": " + nodes + " nodes, " + gpus + " GPUs, " + scenario.projects().size()
                        + " projects, " + scenario.workloads().size() + " workloads; " + length + " at "
                        + DemoSummary.speedText(options.speed()) + "×" + (options.forever() ? ", then serving until Ctrl-C" : ""),
                "  kubeconfig        " + paths.kubeconfig().toAbsolutePath(),
                "  webhook CA        " + paths.webhookCa().toAbsolutePath(),
                "  Kubernetes API    http://" + LOOPBACK + ":" + options.apiPort(),
                "  webhook (HTTPS)   https://localhost:" + webhook.port() + "/mutate--v1-pod, /validate--v1-pod"
                        + "  (its metrics: http://" + LOOPBACK + ":" + webhook.metricsPort() + "/metrics)",
                "  scheduler         http://localhost:" + scheduler.httpPort() + "/metrics, /readyz",
                "  logs              " + paths.log().toAbsolutePath(),
                "  try               kubectl --kubeconfig " + cwd.relativize(paths.kubeconfig().toAbsolutePath())
                        + " get pods -A -o custom-columns=POD:.metadata.name,PHASE:.status.phase,NODE:.spec.nodeName",
                "                    curl -s localhost:" + scheduler.httpPort() + "/metrics | grep ^runai_allocated_gpus",
                ""));
    }

    private RuntimeOptions runtimeOptions() {
        SchedulerSettings d = SchedulerSettings.defaults();
        // The cycle period and the event repeat interval are wall durations. The bind deadline and the
        // reservation grace are compared with the scheduler's clock, i.e. in scenario time, but they
        // wait for API round trips, which do not speed up: they get at least their wall length.
        Duration cycle = max(Duration.ofMillis(25), clock.toWall(Duration.ofSeconds(scenario.cycleSeconds())));
        Duration eventRepeat = max(Duration.ofMillis(50), clock.toWall(d.pendingEventPeriod()));
        Duration bindTimeout = max(d.bindTimeout(), clock.toScenario(Duration.ofSeconds(30)));
        Duration reservationGrace = max(d.reservationGrace(), clock.toScenario(d.reservationGrace()));
        SchedulerSettings settings = new SchedulerSettings(Names.SCHEDULER_NAME, Names.SYSTEM_NAMESPACE, cycle, 500, 1000,
                d.bindConcurrency(), PlacementPolicies.NAMES.get(0), ScenarioObjects.RESERVATION_NAMESPACE,
                d.reservationImage(), bindTimeout, eventRepeat, reservationGrace);
        LeaderSettings leader = LeaderSettings.lease("gpuq-scheduler", Names.SYSTEM_NAMESPACE, "gpuq-demo-scheduler",
                Duration.ofSeconds(15));
        return new RuntimeOptions(settings, leader, LOOPBACK, options.metricsPort(), ScenarioObjects.PRICE_CONFIGMAP,
                Duration.ofSeconds(10), null, clock);
    }

    private static Config kubernetesConfig(EmbeddedApiServer api) {
        return new ConfigBuilder(Config.empty()).withMasterUrl(api.url()).withNamespace("default")
                .withRequestRetryBackoffLimit(0).build();
    }

    private void await(String what, BooleanSupplier ready) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + " did not become ready within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + paths.log());
            }
            Thread.sleep(50);
        }
    }

    private static int status(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static boolean portInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Stops the replay and every part, last started first. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        console.close();
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "demo shutdown: " + r.getClass().getSimpleName() + " did not close cleanly", e);
            }
        }
    }
}
