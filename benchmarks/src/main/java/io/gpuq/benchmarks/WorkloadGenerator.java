package io.gpuq.benchmarks;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.CycleResult;
import io.gpuq.scheduler.engine.model.Department;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.EvictionDecision;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PlacementDecision;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.Project;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;
import io.gpuq.scheduler.engine.placement.NodeState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generated clusters for the cycle benchmark: H100 nodes, a department/project hierarchy with
 * quotas, and pending and running workloads in the proportions of a busy training-and-inference
 * cluster. Everything is drawn from one seeded {@link Random} in a fixed order, so a seed, a size and
 * the same sequence of calls always give the same snapshots.
 */
public final class WorkloadGenerator {
    public static final String MAIN_POOL = GpuNode.DEFAULT_POOL;
    public static final String SECOND_POOL = "inference";
    public static final int GPUS_PER_NODE = 8;
    public static final long GPU_MEMORY_MIB = 81_920;
    public static final long NODE_CPU_MILLIS = 128_000;
    public static final long NODE_MEMORY_MIB = 1_048_576;
    /** Pending pods per node in an empty-cluster cycle: 20,000 at 1,000 nodes. */
    public static final int PENDING_PODS_PER_NODE = 20;

    /** Run:ai's priority classes; 100 and above are not preemptible. */
    static final int[] PRIORITY_CLASSES = {25, 50, 75, 100, 125};
    private static final double[] PRIORITY_WEIGHTS = {0.10, 0.45, 0.20, 0.15, 0.10};
    private static final int NON_PREEMPTIBLE_FROM = 100;

    private static final int[] WHOLE_SIZES = {1, 2, 4, 8};
    private static final double[] WHOLE_WEIGHTS = {0.40, 0.25, 0.20, 0.15};
    private static final int[] GANG_POD_GPUS = {1, 2, 4, 8};
    private static final double[] GANG_POD_WEIGHTS = {0.15, 0.15, 0.30, 0.40};
    private static final int[] FRACTION_MILLI = {250, 500, 750};
    private static final long[] MEMORY_REQUEST_MIB = {20_480, 40_960};

    /** Who submits a batch of workloads. */
    public enum Audience {
        /** Every project except the quiet ones (which stay under quota until they wake up). */
        ACTIVE,
        /** Only the quiet projects: fresh work of under-quota projects, which may reclaim. */
        QUIET,
        /** Every project. */
        ALL
    }

    /**
     * Pod mixes. {@code STANDARD} is the pending mix of the benchmark: 40% of pods fractional, 10% in
     * gangs of 2-16, the rest whole 1-8 GPUs. {@code INFERENCE_HEAVY} is a running mix dominated by
     * quarter-GPU serving pods; it is what lets 20 running pods per node fit on 8 GPUs.
     */
    public enum Mix {
        STANDARD(0.40, 0.10, 16),
        INFERENCE_HEAVY(0.85, 0.05, 8);

        final double fractionalShare;
        final double gangShare;
        final int maxGang;

        Mix(double fractionalShare, double gangShare, int maxGang) {
            this.fractionalShare = fractionalShare;
            this.gangShare = gangShare;
            this.maxGang = maxGang;
        }
    }

    private enum Kind { FRACTIONAL, GANG, WHOLE }

    /** A workload before it gets its id and place in submission order. */
    private record Draft(int project, Kind kind, List<GpuDemand> pods, int priority, String pool) {
    }

    private final Random rnd;
    private final int nodeCount;
    private final List<GpuNode> nodes = new ArrayList<>();
    private final List<Department> departments = new ArrayList<>();
    private final List<Project> projects = new ArrayList<>();
    private final boolean[] quiet;
    private final boolean[] hasSecondPool;
    private final double[] deserved;
    /** How much work a project submits relative to its quota; quiet projects submit none until they wake. */
    private final double[] busy;
    /**
     * The share of its quota a project holds in a loaded cluster: busy projects within 10% of it, as
     * after the scheduler has balanced them; quiet ones a fifth, their idle quota lent to the others.
     */
    private final double[] held;
    /** Non-preemptible milli-GPU a project may still be given, across everything generated. */
    private final long[] nonPreemptibleBudget;
    private long sequence;

    public WorkloadGenerator(long seed, int nodeCount) {
        this(seed, nodeCount, 200, 20);
    }

    public WorkloadGenerator(long seed, int nodeCount, int projectCount, int departmentCount) {
        if (nodeCount < 2 || projectCount < 1 || departmentCount < 1 || departmentCount > projectCount) {
            throw new IllegalArgumentException("need >= 2 nodes, >= 1 project and 1..projects departments");
        }
        this.rnd = new Random(seed);
        this.nodeCount = nodeCount;
        this.quiet = new boolean[projectCount];
        this.hasSecondPool = new boolean[projectCount];
        this.deserved = new double[projectCount];
        this.busy = new double[projectCount];
        this.held = new double[projectCount];
        this.nonPreemptibleBudget = new long[projectCount];
        buildNodes();
        buildQueues(projectCount, departmentCount);
    }

    public List<GpuNode> nodes() {
        return nodes;
    }

    public List<Department> departments() {
        return departments;
    }

    public List<Project> projects() {
        return projects;
    }

    public int gpuCount() {
        return nodeCount * GPUS_PER_NODE;
    }

    private int secondPoolNodes() {
        return Math.max(1, Math.round(nodeCount * 0.1f));
    }

    private void buildNodes() {
        int second = secondPoolNodes();
        for (int i = 0; i < nodeCount; i++) {
            String pool = i >= nodeCount - second ? SECOND_POOL : MAIN_POOL;
            String name = String.format("gpu-node-%05d", i);
            Map<String, String> labels = Map.of(
                    "nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3",
                    "topology.kubernetes.io/zone", "zone-" + (char) ('a' + i % 3));
            nodes.add(new GpuNode(name, pool, "H100", GPU_MEMORY_MIB, GPUS_PER_NODE, NODE_CPU_MILLIS,
                    NODE_MEMORY_MIB, "on-demand", labels, List.of(), true, false));
        }
    }

    /**
     * Quotas follow a log-normal spread (a few big teams, many small ones) and add up to about each
     * pool's capacity, as an administrator dividing a cluster would make them.
     */
    private void buildQueues(int projectCount, int departmentCount) {
        long mainGpus = (long) (nodeCount - secondPoolNodes()) * GPUS_PER_NODE;
        long secondGpus = (long) secondPoolNodes() * GPUS_PER_NODE;
        double[] mainWeight = new double[projectCount];
        double[] secondWeight = new double[projectCount];
        double mainSum = 0;
        double secondSum = 0;
        for (int p = 0; p < projectCount; p++) {
            mainWeight[p] = Math.exp(rnd.nextGaussian() * 0.7);
            mainSum += mainWeight[p];
            hasSecondPool[p] = p == 0 || rnd.nextDouble() < 0.3;
            if (hasSecondPool[p]) {
                secondWeight[p] = Math.exp(rnd.nextGaussian() * 0.5);
                secondSum += secondWeight[p];
            }
            quiet[p] = p % 10 == 7;
        }
        double[] deptDeserved = new double[departmentCount];
        List<Map<String, Double>> quotas = new ArrayList<>();
        for (int p = 0; p < projectCount; p++) {
            Map<String, Double> byPool = new LinkedHashMap<>();
            double main = Math.max(1, Math.floor(mainGpus * mainWeight[p] / mainSum));
            byPool.put(MAIN_POOL, main);
            double total = main;
            if (hasSecondPool[p]) {
                double second = Math.floor(secondGpus * secondWeight[p] / secondSum);
                byPool.put(SECOND_POOL, second);
                total += second;
            }
            quotas.add(byPool);
            deptDeserved[p % departmentCount] += total;
            nonPreemptibleBudget[p] = (long) (main * GpuDemand.MILLI / 2);
            deserved[p] = total;
            busy[p] = quiet[p] ? 0.2 : 0.6 + rnd.nextDouble();
            held[p] = quiet[p] ? 0.2 : 1.0 + 0.05 * rnd.nextDouble();
        }
        for (int d = 0; d < departmentCount; d++) {
            double ceiling = rnd.nextDouble() < 0.15 ? Math.ceil(deptDeserved[d] * 1.25) : -1;
            departments.add(new Department(String.format("dept-%02d", d), null, ceiling, 1 + rnd.nextInt(3),
                    100, d));
        }
        for (int p = 0; p < projectCount; p++) {
            double total = 0;
            for (double v : quotas.get(p).values()) {
                total += v;
            }
            double max = rnd.nextDouble() < 0.15 ? Math.ceil(total * 1.5) + 1 : -1;
            projects.add(new Project(String.format("proj-%03d", p), departments.get(p % departmentCount).name(),
                    quotas.get(p), max, 1 + rnd.nextInt(3), 100, p));
        }
    }

    /** The empty-cluster snapshot: {@code pendingPods} pending pods of the active projects, nothing running. */
    public ClusterSnapshot emptyCluster(long time, int pendingPods) {
        return new ClusterSnapshot(time, nodes, departments, projects, pending(pendingPods, Mix.STANDARD,
                Audience.ACTIVE, time), List.of());
    }

    /**
     * The snapshot one cycle later: {@code first}'s placements run, its evicted workloads and what it
     * left pending wait (evicted ones are resubmitted, as their controllers do), and {@code arrivals}
     * new pods arrive, half of them from the quiet (under-quota) projects, whose quota the busy
     * projects have borrowed.
     */
    public ClusterSnapshot nextCycle(ClusterSnapshot first, CycleResult result, long time, int arrivals) {
        Map<String, Workload> byId = new HashMap<>();
        for (Workload w : first.pending()) {
            byId.put(w.id(), w);
        }
        Set<String> evicted = new HashSet<>();
        for (EvictionDecision e : result.evictions()) {
            evicted.add(e.workloadId());
        }
        List<RunningWorkload> running = new ArrayList<>();
        List<Workload> pending = new ArrayList<>();
        for (RunningWorkload r : first.running()) {
            if (evicted.contains(r.workload().id())) {
                pending.add(r.workload());
            } else {
                running.add(r);
            }
        }
        Set<String> placed = new HashSet<>();
        for (PlacementDecision d : result.placements()) {
            running.add(new RunningWorkload(byId.get(d.workloadId()), d.pods(), first.time()));
            placed.add(d.workloadId());
        }
        for (Workload w : first.pending()) {
            if (!placed.contains(w.id())) {
                pending.add(w);
            }
        }
        int fromQuiet = arrivals / 2;
        pending.addAll(pending(fromQuiet, Mix.STANDARD, Audience.QUIET, time));
        pending.addAll(pending(arrivals - fromQuiet, Mix.STANDARD, Audience.ACTIVE, time));
        return new ClusterSnapshot(time, nodes, departments, projects, pending, running);
    }

    /**
     * A loaded cluster: {@code runningPods} pods of the inference-heavy mix already bound (busy
     * projects around their quota, quiet ones well below it) and {@code pendingPods} of the standard
     * mix from every project, so the quiet projects press to reclaim what they lent.
     */
    public ClusterSnapshot loadedCluster(long time, int runningPods, int pendingPods) {
        List<RunningWorkload> running = running(runningPods, time - 3_600);
        List<Workload> pending = pending(pendingPods, Mix.STANDARD, Audience.ALL, time);
        return new ClusterSnapshot(time, nodes, departments, projects, pending, running);
    }

    /** {@code pods} pending pods in workloads of the given mix, in a random submission order. */
    public List<Workload> pending(int pods, Mix mix, Audience audience, long time) {
        List<Draft> drafts = drafts(pods, mix, audienceWeights(audience));
        List<Workload> out = new ArrayList<>(drafts.size());
        for (Draft d : drafts) {
            out.add(materialise(d, time - drafts.size() + out.size()));
        }
        return out;
    }

    /**
     * {@code pods} running pods, packed next-fit per pool the way a busy cluster ends up: shares go on
     * the fullest device that takes them, whole GPUs on the lowest free devices.
     */
    public List<RunningWorkload> running(int pods, long startedAt) {
        double[] cumulative = new double[deserved.length];
        double sum = 0;
        for (int p = 0; p < deserved.length; p++) {
            sum += deserved[p] * held[p];
            cumulative[p] = sum;
        }
        List<Draft> drafts = drafts(pods, Mix.INFERENCE_HEAVY, cumulative);
        Map<String, List<NodeState>> byPool = new HashMap<>();
        for (GpuNode n : nodes) {
            byPool.computeIfAbsent(n.pool(), p -> new ArrayList<>()).add(new NodeState(n));
        }
        Map<String, Integer> cursor = new HashMap<>();
        List<RunningWorkload> out = new ArrayList<>();
        for (Draft d : drafts) {
            Workload w = materialise(d, startedAt - drafts.size() + out.size());
            String pool = d.pool() != null ? d.pool() : MAIN_POOL;
            List<NodeState> poolNodes = byPool.get(pool);
            List<PodAllocation> allocations = new ArrayList<>();
            for (PodRequest pod : w.pods()) {
                PodAllocation a = nextFit(pod, poolNodes, cursor, pool);
                if (a == null) {
                    break;
                }
                allocations.add(a);
            }
            if (allocations.size() < w.pods().size()) {
                throw new IllegalStateException("the running mix does not fit: " + pods
                        + " running pods are too many for " + nodeCount + " nodes");
            }
            out.add(new RunningWorkload(w, allocations, startedAt));
        }
        return out;
    }

    private PodAllocation nextFit(PodRequest pod, List<NodeState> poolNodes, Map<String, Integer> cursor,
                                  String pool) {
        int start = cursor.getOrDefault(pool, 0);
        for (int k = 0; k < poolNodes.size(); k++) {
            int i = (start + k) % poolNodes.size();
            NodeState n = poolNodes.get(i);
            if (!n.fits(pod)) {
                continue;
            }
            PodAllocation a = allocate(pod, n);
            n.apply(a);
            cursor.put(pool, i);
            return a;
        }
        return null;
    }

    private static PodAllocation allocate(PodRequest pod, NodeState n) {
        GpuDemand g = pod.gpu();
        List<DeviceShare> shares = new ArrayList<>();
        if (g.kind() == GpuDemand.Kind.WHOLE) {
            for (int d = 0; d < n.gpuCount() && shares.size() < g.wholeGpus(); d++) {
                if (!n.heldWhole(d) && n.usedMilli(d) == 0) {
                    shares.add(new DeviceShare(d, GpuDemand.MILLI));
                }
            }
        } else {
            int milli = n.milliPerDeviceFor(g);
            boolean[] taken = new boolean[n.gpuCount()];
            for (int k = 0; k < g.devices(); k++) {
                int pick = -1;
                for (int d = 0; d < n.gpuCount(); d++) {
                    if (!taken[d] && n.canShare(d, milli) && (pick < 0 || n.freeMilli(d) < n.freeMilli(pick))) {
                        pick = d;
                    }
                }
                taken[pick] = true;
                shares.add(new DeviceShare(pick, milli));
            }
        }
        return new PodAllocation(pod.name(), n.name(), shares, pod.cpuMillis(), pod.memoryMiB());
    }

    /** Drafts with exactly {@code pods} pods: the mix's shares of the pod count, shuffled into one order. */
    private List<Draft> drafts(int pods, Mix mix, double[] cumulative) {
        int fractionalPods = (int) Math.round(pods * mix.fractionalShare);
        int gangPods = (int) Math.round(pods * mix.gangShare);
        int wholePods = pods - fractionalPods - gangPods;
        List<Draft> drafts = new ArrayList<>();
        while (gangPods > 0) {
            int size = Math.min(gangPods, 2 + rnd.nextInt(mix.maxGang - 1));
            if (size < 2) {
                wholePods += size;
                break;
            }
            drafts.add(gang(pick(cumulative), size, mix));
            gangPods -= size;
        }
        for (int i = 0; i < fractionalPods; i++) {
            drafts.add(single(pick(cumulative), fractionalDemand(mix), Kind.FRACTIONAL));
        }
        for (int i = 0; i < wholePods; i++) {
            GpuDemand g = mix == Mix.INFERENCE_HEAVY ? GpuDemand.whole(1)
                    : GpuDemand.whole(WHOLE_SIZES[draw(WHOLE_WEIGHTS)]);
            drafts.add(single(pick(cumulative), g, Kind.WHOLE));
        }
        Collections.shuffle(drafts, rnd);
        return drafts;
    }

    private GpuDemand fractionalDemand(Mix mix) {
        if (mix == Mix.INFERENCE_HEAVY) {
            double u = rnd.nextDouble();
            return u < 0.80 ? GpuDemand.fraction(250, 1)
                    : u < 0.95 ? GpuDemand.memory(MEMORY_REQUEST_MIB[0], 1) : GpuDemand.fraction(500, 1);
        }
        if (rnd.nextDouble() < 0.25) {
            return GpuDemand.memory(MEMORY_REQUEST_MIB[rnd.nextInt(MEMORY_REQUEST_MIB.length)], 1);
        }
        return GpuDemand.fraction(FRACTION_MILLI[rnd.nextInt(FRACTION_MILLI.length)], 1);
    }

    private Draft gang(int project, int size, Mix mix) {
        int perPod = mix == Mix.INFERENCE_HEAVY ? 1 : GANG_POD_GPUS[draw(GANG_POD_WEIGHTS)];
        List<GpuDemand> pods = Collections.nCopies(size, GpuDemand.whole(perPod));
        // Distributed training runs preemptible; it would never fit the non-preemptible budget anyway.
        int priority = PRIORITY_CLASSES[rnd.nextInt(3)];
        return new Draft(project, Kind.GANG, pods, priority, poolFor(project, false));
    }

    private Draft single(int project, GpuDemand g, Kind kind) {
        int priority = PRIORITY_CLASSES[draw(PRIORITY_WEIGHTS)];
        long milli = g.totalMilliOn(GPU_MEMORY_MIB);
        if (priority >= NON_PREEMPTIBLE_FROM) {
            // Non-preemptible work must fit within deserved, so it is kept to small pods and to half
            // of the project's quota; past that the same request is submitted as preemptible.
            if (milli <= GpuDemand.MILLI && nonPreemptibleBudget[project] >= milli) {
                nonPreemptibleBudget[project] -= milli;
            } else {
                priority = PRIORITY_CLASSES[1 + rnd.nextInt(2)];
            }
        }
        boolean nonPreemptible = priority >= NON_PREEMPTIBLE_FROM;
        return new Draft(project, kind, List.of(g), priority, poolFor(project, nonPreemptible));
    }

    /**
     * Projects with inference-pool quota pin a fifth of their preemptible work there; everything else
     * may go to any of the project's pools, which the engine tries in name order.
     */
    private String poolFor(int project, boolean nonPreemptible) {
        if (hasSecondPool[project] && !nonPreemptible && rnd.nextDouble() < 0.2) {
            return SECOND_POOL;
        }
        return null;
    }

    private Workload materialise(Draft d, long submitTime) {
        long order = sequence++;
        String id = String.format("wl-%07d", order);
        List<PodRequest> pods = new ArrayList<>(d.pods().size());
        for (int i = 0; i < d.pods().size(); i++) {
            GpuDemand g = d.pods().get(i);
            pods.add(PodRequest.of(id + "-" + i, g, cpuFor(g), memoryFor(g)));
        }
        return new Workload(id, projects.get(d.project()).name(), d.pool(), typeOf(d.priority()), d.priority(),
                d.priority() < NON_PREEMPTIBLE_FROM, submitTime, order, pods.size(), pods);
    }

    private static long cpuFor(GpuDemand g) {
        if (g.kind() == GpuDemand.Kind.WHOLE) {
            return 12_000L * g.wholeGpus();
        }
        return g.totalMilliOn(GPU_MEMORY_MIB) <= 250 ? 2_000 : 4_000;
    }

    private static long memoryFor(GpuDemand g) {
        if (g.kind() == GpuDemand.Kind.WHOLE) {
            return 98_304L * g.wholeGpus();
        }
        return g.totalMilliOn(GPU_MEMORY_MIB) <= 250 ? 16_384 : 32_768;
    }

    private static String typeOf(int priority) {
        switch (priority) {
            case 125: return "inference";
            case 100: return "build";
            case 75: return "interactive-preemptible";
            default: return "train";
        }
    }

    /** Busy projects submit in proportion to quota and busyness; woken quiet ones in proportion to quota. */
    private double[] audienceWeights(Audience audience) {
        double[] cumulative = new double[deserved.length];
        double sum = 0;
        for (int p = 0; p < deserved.length; p++) {
            boolean in = audience == Audience.ALL || (audience == Audience.QUIET) == quiet[p];
            double w = in ? deserved[p] * (quiet[p] ? 1.0 : busy[p]) : 0;
            sum += w;
            cumulative[p] = sum;
        }
        if (sum <= 0) {
            throw new IllegalStateException("no project submits for audience " + audience);
        }
        return cumulative;
    }

    private int pick(double[] cumulative) {
        double u = rnd.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private int draw(double[] weights) {
        double u = rnd.nextDouble();
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i];
            if (u < acc) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
