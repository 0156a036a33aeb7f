package io.gpuq.benchmarks;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.api.crd.Project;
import io.gpuq.api.crd.ProjectSpec;
import io.gpuq.embedded.EmbeddedApiServer;
import io.gpuq.embedded.KubeletStandIn;
import io.gpuq.scheduler.cluster.LeaderSettings;
import io.gpuq.scheduler.cluster.SchedulerProcess;
import io.gpuq.scheduler.cluster.SchedulerSettings;
import io.gpuq.scheduler.cluster.WriteObserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Binds per second and time-to-running of the in-cluster scheduler against the embedded API:
 * {@code --pods} single-GPU pods are created pending at once on {@code --nodes} nodes of
 * {@code --gpus-per-node} GPUs (default 10, so 5,000 pods fit on 500 nodes), then the
 * scheduler (with the given client QPS and burst) binds them and the kubelet stand-in starts them.
 * Prints one JSON line: binds/s, time-to-running percentiles, cycle time percentiles. {@code --mode raw}
 * posts the same bindings straight from {@code --concurrency} threads with no scheduler and no client
 * limit: the ceiling the embedded API and kubelet stand-in allow on this machine, to compare with.
 *
 * <pre>java -cp benchmarks/target/gpuq-benchmarks.jar io.gpuq.benchmarks.BindThroughput --qps 50 --burst 100</pre>
 */
public final class BindThroughput {

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new java.util.HashMap<>(Map.of("--nodes", "500", "--pods", "5000", "--qps", "50",
                "--burst", "100", "--concurrency", "16", "--gpus-per-node", "10", "--mode", "scheduler"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opts.containsKey(args[i])) {
                System.err.println("unknown option " + args[i] + "; allowed: " + opts.keySet());
                System.exit(2);
            }
            opts.put(args[i], args[i + 1]);
        }
        int nodes = Integer.parseInt(opts.get("--nodes"));
        int pods = Integer.parseInt(opts.get("--pods"));
        double qps = Double.parseDouble(opts.get("--qps"));
        int burst = Integer.parseInt(opts.get("--burst"));
        int concurrency = Integer.parseInt(opts.get("--concurrency"));
        int gpusPerNode = Integer.parseInt(opts.get("--gpus-per-node"));
        boolean raw = "raw".equals(opts.get("--mode"));
        if (!raw && !"scheduler".equals(opts.get("--mode"))) {
            System.err.println("--mode must be scheduler or raw, not " + opts.get("--mode"));
            System.exit(2);
        }

        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        try (EmbeddedApiServer api = new EmbeddedApiServer().start(0);
             KubernetesClient client = api.newClient();
             KubernetesClient schedulerClient = api.newClient();
             KubeletStandIn kubelet = new KubeletStandIn(client, 1).start()) {
            Path crd = Path.of("charts", "gpuq", "crds", "projects.run.ai-v1.yml");
            if (Files.exists(crd)) {
                try (var in = Files.newInputStream(crd)) {
                    client.apiextensions().v1().customResourceDefinitions().load(in).create();
                }
            }
            for (String ns : List.of(Names.SYSTEM_NAMESPACE, "runai-reservation", "team")) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .create();
            }
            for (int i = 0; i < nodes; i++) {
                client.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + i)
                        .addToLabels(Labels.GPU_PRODUCT, "NVIDIA-H100-80GB-HBM3").addToLabels(Labels.GPU_MEMORY_MIB, "81920")
                        .endMetadata().withNewStatus().addToAllocatable(Names.GPU_RESOURCE, new Quantity(Integer.toString(gpusPerNode)))
                        .addToAllocatable("cpu", new Quantity("192")).addToAllocatable("memory", new Quantity("2Ti"))
                        .endStatus().build()).create();
            }
            ProjectSpec spec = new ProjectSpec();
            spec.setDeservedGpus((double) nodes * gpusPerNode);
            Project project = new Project();
            project.getMetadata().setName("team");
            project.getMetadata().setNamespace(Names.SYSTEM_NAMESPACE);
            project.setSpec(spec);
            client.resources(Project.class).inNamespace(Names.SYSTEM_NAMESPACE).resource(project).create();

            Map<String, Long> created = new ConcurrentHashMap<>();
            List<Long> toRunning = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            client.pods().inNamespace("team").inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod p) {
                }

                @Override
                public void onUpdate(Pod before, Pod after) {
                    boolean was = before.getStatus() != null && "Running".equals(before.getStatus().getPhase());
                    boolean is = after.getStatus() != null && "Running".equals(after.getStatus().getPhase());
                    Long t0 = created.get(after.getMetadata().getName());
                    if (!was && is && t0 != null) {
                        toRunning.add(System.nanoTime() - t0);
                        running.incrementAndGet();
                    }
                }

                @Override
                public void onDelete(Pod p, boolean unknown) {
                }
            });
            for (int i = 0; i < pods; i++) {
                String name = "pod-" + i;
                client.pods().inNamespace("team").resource(new PodBuilder().withNewMetadata().withName(name)
                        .addToLabels(Labels.QUEUE, "team").endMetadata()
                        .withNewSpec().withSchedulerName(Names.SCHEDULER_NAME).addNewContainer().withName("c")
                        .withImage("img").withNewResources().addToLimits(Names.GPU_RESOURCE, new Quantity("1"))
                        .endResources().endContainer().endSpec().build()).create();
                created.put(name, System.nanoTime());
            }
            List<Long> cycles = Collections.synchronizedList(new ArrayList<>());
            long start = System.nanoTime();
            SchedulerSettings settings = SchedulerSettings.defaults().withClient(qps, burst, concurrency)
                    .withBindTimeout(Duration.ofMinutes(10));
            for (String name : created.keySet()) {
                created.put(name, start);
            }
            java.util.concurrent.ExecutorService rawBinders = raw
                    ? java.util.concurrent.Executors.newFixedThreadPool(concurrency) : null;
            if (raw) {
                // The ceiling: the same bindings posted as fast as the API takes them, no scheduling at all.
                List<String> names = new ArrayList<>(created.keySet());
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    String node = "node-" + (i / gpusPerNode);
                    rawBinders.execute(() -> schedulerClient.bindings().inNamespace("team").resource(
                            new io.fabric8.kubernetes.api.model.BindingBuilder().withNewMetadata().withName(name)
                                    .withNamespace("team").endMetadata().withNewTarget().withKind("Node")
                                    .withApiVersion("v1").withName(node).endTarget().build()).create());
                }
            }
            try (SchedulerProcess scheduler = raw ? null : SchedulerProcess.start(schedulerClient, settings,
                    LeaderSettings.disabled("bench"), List.of(r -> cycles.add(r.took().toNanos())), WriteObserver.NONE,
                    List.of(), InstantSource.system())) {
                long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
                long lastReport = System.nanoTime();
                while (running.get() < pods && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                    if (System.nanoTime() - lastReport > 10_000_000_000L) {
                        lastReport = System.nanoTime();
                        System.err.println("... " + running.get() + " of " + pods + " running, "
                                + cycles.size() + " cycles");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Long> ttr = new ArrayList<>(toRunning);
                List<Long> cyc = new ArrayList<>(cycles);
                Collections.sort(ttr);
                Collections.sort(cyc);
                System.out.println(String.format(Locale.ROOT,
                        "{\"mode\":\"%s\",\"nodes\":%d,\"gpusPerNode\":%d,\"pods\":%d,\"clientQps\":%.0f,\"clientBurst\":%d,\"bindConcurrency\":%d,"
                                + "\"running\":%d,\"seconds\":%.2f,\"bindsPerSecond\":%.1f,"
                                + "\"timeToRunningSeconds\":{\"p50\":%.2f,\"p90\":%.2f,\"p99\":%.2f,\"max\":%.2f},"
                                + "\"cycles\":%d,\"cycleMs\":{\"p50\":%.1f,\"p90\":%.1f,\"max\":%.1f},\"at\":\"%s\"}",
                        raw ? "raw" : "scheduler", nodes, gpusPerNode, pods, qps, burst, concurrency, running.get(), seconds, running.get() / seconds,
                        pct(ttr, 50) / 1e9, pct(ttr, 90) / 1e9, pct(ttr, 99) / 1e9, pct(ttr, 100) / 1e9,
                        cyc.size(), pct(cyc, 50) / 1e6, pct(cyc, 90) / 1e6, pct(cyc, 100) / 1e6, Instant.now()));
            } finally {
                if (rawBinders != null) {
                    rawBinders.shutdownNow();
                }
            }
        }
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
