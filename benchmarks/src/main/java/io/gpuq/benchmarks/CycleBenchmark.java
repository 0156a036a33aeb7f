package io.gpuq.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gpuq.scheduler.engine.EngineSettings;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.engine.placement.PlacementPolicies;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cycle-time benchmark: full scheduling cycles on generated clusters (see README.md beside the
 * module's pom). Prints a table and writes the figures as JSON.
 */
public final class CycleBenchmark {
    static final String EMPTY = "empty";
    static final String STEADY = "steady";
    static final String LARGE = "large";
    static final String SCALING = "scaling";
    private static final List<String> ALL_SCENARIOS = List.of(EMPTY, STEADY, LARGE, SCALING);

    private static final int BASE_NODES = 1_000;
    private static final int LARGE_NODES = 5_000;
    private static final int LARGE_RUNNING_PER_NODE = 20;
    private static final int LARGE_PENDING_PER_NODE = 10;
    /** New pods per node arriving between the empty-cluster cycle and the steady-state one. */
    private static final int ARRIVALS_PER_NODE = 2;
    private static final int WARM_UP_NODES = 250;
    private static final int WARM_UP_ROUNDS = 8;
    private static final long MIB = 1024L * 1024L;
    private static final long HEAP_BOUND = 2048 * MIB;

    /** Command-line options; see {@link #usage()}. */
    record Options(long seed, int warmup, int runs, String policy, Set<String> scenarios, List<Integer> sizes,
                   Path out) {

        static Options defaults() {
            return new Options(42, 3, 7, PlacementPolicies.DEFAULT, new LinkedHashSet<>(ALL_SCENARIOS),
                    List.of(100, 250, 500, 1_000, 2_000, 5_000), Path.of("bench-results", "cycle.json"));
        }

        static Options parse(String[] args) {
            Options o = defaults();
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String name = arg;
                String value = null;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                }
                if ("--quick".equals(name)) {
                    o = new Options(o.seed, 1, 3, o.policy, o.scenarios, List.of(100, 250, 500, 1_000), o.out);
                    continue;
                }
                if ("--help".equals(name) || "-h".equals(name)) {
                    throw new UsageException(null);
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    value = args[++i];
                }
                try {
                    switch (name) {
                        case "--seed" -> o = new Options(Long.parseLong(value), o.warmup, o.runs, o.policy,
                                o.scenarios, o.sizes, o.out);
                        case "--warmup" -> o = new Options(o.seed, nonNegative(name, value), o.runs, o.policy,
                                o.scenarios, o.sizes, o.out);
                        case "--runs" -> o = new Options(o.seed, o.warmup, positive(name, value), o.policy,
                                o.scenarios, o.sizes, o.out);
                        case "--policy" -> {
                            if (!PlacementPolicies.NAMES.contains(value)) {
                                throw new UsageException("unknown policy " + value + "; allowed: "
                                        + PlacementPolicies.NAMES);
                            }
                            o = new Options(o.seed, o.warmup, o.runs, value, o.scenarios, o.sizes, o.out);
                        }
                        case "--scenarios" -> o = new Options(o.seed, o.warmup, o.runs, o.policy,
                                scenarioSet(value), o.sizes, o.out);
                        case "--sizes" -> o = new Options(o.seed, o.warmup, o.runs, o.policy, o.scenarios,
                                sizeList(value), o.out);
                        case "--out" -> o = new Options(o.seed, o.warmup, o.runs, o.policy, o.scenarios, o.sizes,
                                Path.of(value));
                        default -> throw new UsageException("unknown option " + name);
                    }
                } catch (NumberFormatException e) {
                    throw new UsageException("option " + name + ": not a number: " + value);
                }
            }
            return o;
        }

        private static int positive(String name, String value) {
            int v = Integer.parseInt(value);
            if (v < 1) {
                throw new UsageException("option " + name + " must be >= 1");
            }
            return v;
        }

        private static int nonNegative(String name, String value) {
            int v = Integer.parseInt(value);
            if (v < 0) {
                throw new UsageException("option " + name + " must be >= 0");
            }
            return v;
        }

        private static Set<String> scenarioSet(String value) {
            Set<String> out = new LinkedHashSet<>();
            for (String s : value.split(",")) {
                String t = s.trim();
                if (!ALL_SCENARIOS.contains(t)) {
                    throw new UsageException("unknown scenario " + t + "; allowed: " + ALL_SCENARIOS);
                }
                out.add(t);
            }
            return out;
        }

        private static List<Integer> sizeList(String value) {
            List<Integer> out = new ArrayList<>();
            for (String s : value.split(",")) {
                int n = Integer.parseInt(s.trim());
                if (n < 2) {
                    throw new UsageException("node counts must be >= 2");
                }
                out.add(n);
            }
            return out;
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Figures of one scenario, as written to the JSON file. Times in ms, heap in MiB. */
    record ScenarioReport(String name, String description, int nodes, int gpus, int projects, int departments,
                          int runningPods, int runningWorkloads, int pendingPods, int pendingWorkloads,
                          int placedPods, int placedWorkloads, int evictions, int stillPendingWorkloads,
                          double medianMs, double minMs, double maxMs, List<Double> runsMs, double medianCpuMs,
                          double placementsPerSecond, double placementsPerCpuSecond, Map<String, Object> heap,
                          List<Target> targets) {

        ScenarioReport withTargets(List<Target> checked) {
            return new ScenarioReport(name, description, nodes, gpus, projects, departments, runningPods,
                    runningWorkloads, pendingPods, pendingWorkloads, placedPods, placedWorkloads, evictions,
                    stillPendingWorkloads, medianMs, minMs, maxMs, runsMs, medianCpuMs, placementsPerSecond,
                    placementsPerCpuSecond, heap, List.copyOf(checked));
        }
    }

    /** One acceptance bound and whether the measurement meets it. */
    record Target(String metric, String bound, double value, boolean met) {
    }

    private final Options options;
    private final PrintStream out;
    private final CycleMeasurement measurement;
    private final List<ScenarioReport> reports = new ArrayList<>();
    private final List<ScenarioReport> scaling = new ArrayList<>();

    CycleBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.measurement = new CycleMeasurement(EngineSettings.defaults().withPolicy(options.policy()));
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            if (e.getMessage() != null) {
                System.err.println(e.getMessage());
            }
            System.err.println(usage());
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        CycleBenchmark bench = new CycleBenchmark(options, System.out);
        bench.run();
        try {
            bench.writeJson(options.out());
        } catch (IOException e) {
            System.err.println("could not write " + options.out() + ": " + e.getMessage());
            System.exit(1);
        }
        System.out.println();
        System.out.println("JSON written to " + options.out());
    }

    static String usage() {
        return String.join("\n",
                "usage: java -Xmx2g -jar gpuq-benchmarks.jar [options]",
                "  --quick                1 warm-up, 3 measured runs, scaling up to 1,000 nodes",
                "  --warmup N             warm-up cycles per scenario (default 3)",
                "  --runs N               measured cycles per scenario; the median is reported (default 7)",
                "  --scenarios LIST       any of " + String.join(",", ALL_SCENARIOS) + " (default: all)",
                "  --sizes LIST           node counts of the scaling series (default 100,250,500,1000,2000,5000)",
                "  --policy NAME          placement policy: " + String.join(", ", PlacementPolicies.NAMES),
                "  --seed N               workload generator seed (default 42)",
                "  --out FILE             JSON output (default bench-results/cycle.json)");
    }

    void run() {
        out.printf(Locale.ROOT, "gpuq cycle benchmark: policy %s, seed %d, %d warm-up + %d measured cycles, "
                        + "max heap %d MiB, %d CPUs, Java %s%n%n", options.policy(), options.seed(),
                options.warmup(), options.runs(), HeapWatch.maxHeapBytes() / MIB,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        warmUpJvm();
        if (options.scenarios().contains(EMPTY) || options.scenarios().contains(STEADY)) {
            baseScenarios();
        }
        if (options.scenarios().contains(LARGE)) {
            largeScenario();
        }
        if (options.scenarios().contains(SCALING)) {
            scalingSeries();
        }
        printTables();
    }

    /**
     * Runs every kind of cycle on a small cluster first, so that the first scenario measured does not
     * share the CPUs with the JIT compiler still compiling the engine (per-scenario warm-up cycles
     * alone left the first scenario's wall time well above its CPU time).
     */
    private void warmUpJvm() {
        out.print("  warming up the JVM on 250-node cycles ... ");
        out.flush();
        long start = System.nanoTime();
        WorkloadGenerator gen = new WorkloadGenerator(options.seed() + 1, WARM_UP_NODES);
        ClusterSnapshot empty = gen.emptyCluster(1_000, WARM_UP_NODES * WorkloadGenerator.PENDING_PODS_PER_NODE);
        ClusterSnapshot next = gen.nextCycle(empty, measurement.once(empty), 1_060, WARM_UP_NODES * ARRIVALS_PER_NODE);
        ClusterSnapshot loaded = new WorkloadGenerator(options.seed() + 1, WARM_UP_NODES).loadedCluster(2_000,
                WARM_UP_NODES * LARGE_RUNNING_PER_NODE, WARM_UP_NODES * LARGE_PENDING_PER_NODE);
        for (int i = 0; i < WARM_UP_ROUNDS; i++) {
            measurement.once(empty);
            measurement.once(next);
            measurement.once(loaded);
        }
        out.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private void baseScenarios() {
        WorkloadGenerator gen = new WorkloadGenerator(options.seed(), BASE_NODES);
        ClusterSnapshot empty = gen.emptyCluster(1_000_000, BASE_NODES * WorkloadGenerator.PENDING_PODS_PER_NODE);
        if (options.scenarios().contains(EMPTY)) {
            ScenarioReport r = measure(EMPTY, "empty cluster, all work pending", gen, empty, List.of(
                    t -> new Target("median cycle ms", "<= 1000", t.medianMs(), t.medianMs() <= 1000),
                    t -> new Target("placements/s", ">= 10000", t.placementsPerSecond(),
                            t.placementsPerSecond() >= 10_000)));
            reports.add(r);
            if (options.scenarios().contains(SCALING) && options.sizes().contains(BASE_NODES)) {
                scaling.add(r);
            }
        }
        if (options.scenarios().contains(STEADY)) {
            CycleResult first = measurement.once(empty);
            ClusterSnapshot steady = gen.nextCycle(empty, first, 1_000_060,
                    BASE_NODES * ARRIVALS_PER_NODE);
            reports.add(measure(STEADY, "first cycle's placements running, its leftovers and new arrivals "
                    + "pending, quiet under-quota projects reclaiming", gen, steady, List.of()));
        }
    }

    private void largeScenario() {
        WorkloadGenerator gen = new WorkloadGenerator(options.seed(), LARGE_NODES);
        ClusterSnapshot loaded = gen.loadedCluster(2_000_000, LARGE_NODES * LARGE_RUNNING_PER_NODE,
                LARGE_NODES * LARGE_PENDING_PER_NODE);
        boolean bounded = HeapWatch.maxHeapBytes() <= HEAP_BOUND;
        reports.add(measure(LARGE, "loaded cluster: 150,000 pods, two thirds of them running", gen, loaded,
                List.of(
                        t -> new Target("median cycle ms", "<= 3000", t.medianMs(), t.medianMs() <= 3000),
                        t -> heapTarget(t, bounded))));
    }

    /**
     * Met when the JVM could not have used more than 2 GiB (its -Xmx) and the cycle's peak stayed
     * within it: the cycle then provably runs in 2 GiB, collections included.
     */
    private static Target heapTarget(ScenarioReport r, boolean bounded) {
        double peak = ((Number) r.heap().get("peakUsedDuringCycleMiB")).doubleValue();
        return new Target("peak heap used MiB (-Xmx2g)", "<= 2048", peak, bounded && peak <= HEAP_BOUND / MIB);
    }

    private void scalingSeries() {
        for (int nodes : options.sizes()) {
            if (nodes == BASE_NODES && scaling.stream().anyMatch(r -> r.nodes() == BASE_NODES)) {
                continue;
            }
            WorkloadGenerator gen = new WorkloadGenerator(options.seed(), nodes);
            ClusterSnapshot empty = gen.emptyCluster(1_000_000, nodes * WorkloadGenerator.PENDING_PODS_PER_NODE);
            scaling.add(measure(SCALING + "-" + nodes, "empty cluster, " + WorkloadGenerator.PENDING_PODS_PER_NODE
                    + " pending pods per node", gen, empty, List.of()));
        }
        scaling.sort((a, b) -> Integer.compare(a.nodes(), b.nodes()));
    }

    private ScenarioReport measure(String name, String description, WorkloadGenerator gen, ClusterSnapshot s,
                                   List<Function<ScenarioReport, Target>> targets) {
        out.printf(Locale.ROOT, "  %-14s %5d nodes, %7d running + %7d pending pods ... ", name, s.nodes().size(),
                runningPods(s), pendingPods(s));
        out.flush();
        long afterSnapshot = HeapWatch.liveHeapBytes();
        CycleMeasurement.Outcome o = measurement.measure(s, options.warmup(), options.runs());
        out.printf(Locale.ROOT, "median %.0f ms%n", o.medianMillis());
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("maxHeapMiB", HeapWatch.maxHeapBytes() / MIB);
        heap.put("liveAfterSnapshotMiB", afterSnapshot / MIB);
        heap.put("peakUsedDuringCycleMiB", o.peakUsedBytes() / MIB);
        heap.put("peakLiveAfterGcDuringCycleMiB", o.peakLiveAfterGcBytes() / MIB);
        heap.put("liveAfterCycleMiB", o.liveAfterCycleBytes() / MIB);
        heap.put("collectionsDuringCycles", o.collections());
        heap.put("gcMsPerCycle", o.gcMillis() / (double) options.runs());
        ScenarioReport r = new ScenarioReport(name, description, s.nodes().size(), gen.gpuCount(),
                s.projects().size(), s.departments().size(), runningPods(s), s.running().size(), pendingPods(s),
                s.pending().size(), o.placedPods(), o.placedWorkloads(), o.evictions(), o.stillPending(),
                round(o.medianMillis()), round(o.minMillis()), round(o.maxMillis()),
                CycleMeasurement.asList(roundAll(o.cycleMillis())), round(o.medianCpuMillis()),
                Math.round(o.placementsPerSecond()),
                o.medianCpuMillis() > 0 ? Math.round(o.placedPods() / (o.medianCpuMillis() / 1000)) : 0, heap,
                List.of());
        List<Target> met = new ArrayList<>();
        for (var t : targets) {
            met.add(t.apply(r));
        }
        return r.withTargets(met);
    }

    private void printTables() {
        out.println();
        out.println("Cycles (wall times in ms; cpu = median CPU ms of the cycle thread; placed/s = pods placed "
                + "/ median wall time, per cpu-s = / median CPU time; left = workloads still pending)");
        String head = String.format(Locale.ROOT, "%-14s %6s %6s %8s %8s %7s %7s %6s %8s %8s %8s %8s %9s %9s",
                "scenario", "nodes", "GPUs", "running", "pending", "placed", "evicted", "left",
                "median", "min", "max", "cpu", "placed/s", "per cpu-s");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (ScenarioReport r : reports) {
            out.println(row(r));
        }
        out.println();
        out.println("Heap (MiB): live after snapshot build, peak used during a cycle (sum of pool peaks, garbage "
                + "included), peak live after a GC during a cycle, live after the cycle, GC ms per cycle");
        String heapHead = String.format(Locale.ROOT, "%-14s %8s %10s %10s %10s %10s %8s", "scenario", "max",
                "snapshot", "peak used", "peak live", "after", "GC ms");
        out.println(heapHead);
        out.println("-".repeat(heapHead.length()));
        for (ScenarioReport r : reports) {
            Map<String, Object> h = r.heap();
            out.println(String.format(Locale.ROOT, "%-14s %8s %10s %10s %10s %10s %8.1f", r.name(),
                    h.get("maxHeapMiB"), h.get("liveAfterSnapshotMiB"), h.get("peakUsedDuringCycleMiB"),
                    h.get("peakLiveAfterGcDuringCycleMiB"), h.get("liveAfterCycleMiB"),
                    ((Number) h.get("gcMsPerCycle")).doubleValue()));
        }
        if (!scaling.isEmpty()) {
            out.println();
            out.println("Scaling (empty cluster, " + WorkloadGenerator.PENDING_PODS_PER_NODE
                    + " pending pods per node); exponent k: time grows as nodes^k from the previous row");
            String sh = String.format(Locale.ROOT, "%6s %8s %7s %8s %8s %10s %9s %6s", "nodes", "pending",
                    "placed", "median", "cpu", "placed/s", "us/pod", "k");
            out.println(sh);
            out.println("-".repeat(sh.length()));
            ScenarioReport prev = null;
            for (ScenarioReport r : scaling) {
                String k = prev == null ? "" : String.format(Locale.ROOT, "%.2f", exponent(prev, r));
                out.println(String.format(Locale.ROOT, "%6d %8d %7d %8.1f %8.1f %10.0f %9.1f %6s", r.nodes(),
                        r.pendingPods(), r.placedPods(), r.medianMs(), r.medianCpuMs(), r.placementsPerSecond(),
                        r.medianMs() * 1000 / r.pendingPods(), k));
                prev = r;
            }
        }
        if (reports.stream().anyMatch(r -> !r.targets().isEmpty())) {
            out.println();
            out.println("Targets");
            for (ScenarioReport r : reports) {
                for (Target t : r.targets()) {
                    out.println(String.format(Locale.ROOT, "  %-8s %-30s %-9s %12.1f  %s", r.name(), t.metric(),
                            t.bound(), t.value(), t.met() ? "met" : "MISSED"));
                }
            }
            if (HeapWatch.maxHeapBytes() > HEAP_BOUND) {
                out.println("  (the heap bound is only proven when the JVM runs with -Xmx2g or less)");
            }
        }
    }

    private static String row(ScenarioReport r) {
        return String.format(Locale.ROOT, "%-14s %6d %6d %8d %8d %7d %7d %6d %8.1f %8.1f %8.1f %8.1f %9.0f %9.0f",
                r.name(), r.nodes(), r.gpus(), r.runningPods(), r.pendingPods(), r.placedPods(), r.evictions(),
                r.stillPendingWorkloads(), r.medianMs(), r.minMs(), r.maxMs(), r.medianCpuMs(),
                r.placementsPerSecond(), r.placementsPerCpuSecond());
    }

    /** k in time ~ nodes^k between two sizes. */
    static double exponent(ScenarioReport a, ScenarioReport b) {
        return Math.log(b.medianMs() / a.medianMs()) / Math.log(b.nodes() / (double) a.nodes());
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "cycle");
        doc.put("policy", options.policy());
        doc.put("seed", options.seed());
        doc.put("warmupCycles", options.warmup());
        doc.put("measuredCycles", options.runs());
        Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("javaVersion", System.getProperty("java.version"));
        jvm.put("vm", System.getProperty("java.vm.name"));
        jvm.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        jvm.put("maxHeapMiB", HeapWatch.maxHeapBytes() / MIB);
        jvm.put("inputArguments", ManagementFactory.getRuntimeMXBean().getInputArguments());
        doc.put("jvm", jvm);
        doc.put("scenarios", reports);
        List<Map<String, Object>> rows = new ArrayList<>();
        ScenarioReport prev = null;
        for (ScenarioReport r : scaling) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("nodes", r.nodes());
            row.put("gpus", r.gpus());
            row.put("pendingPods", r.pendingPods());
            row.put("placedPods", r.placedPods());
            row.put("medianMs", r.medianMs());
            row.put("medianCpuMs", r.medianCpuMs());
            row.put("placementsPerSecond", r.placementsPerSecond());
            row.put("placementsPerCpuSecond", r.placementsPerCpuSecond());
            row.put("microsPerPendingPod", round(r.medianMs() * 1000 / r.pendingPods()));
            row.put("growthExponent", prev == null ? null : round(exponent(prev, r)));
            row.put("runsMs", r.runsMs());
            rows.add(row);
            prev = r;
        }
        doc.put("scaling", rows);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
    }

    private static int runningPods(ClusterSnapshot s) {
        int n = 0;
        for (RunningWorkload r : s.running()) {
            n += r.allocations().size();
        }
        return n;
    }

    private static int pendingPods(ClusterSnapshot s) {
        int n = 0;
        for (Workload w : s.pending()) {
            n += w.pods().size();
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double[] roundAll(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = round(v[i]);
        }
        return out;
    }
}
