package io.gpuq.cli.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.gpuq.api.Annotations;
import io.gpuq.scheduler.sim.scenario.NodeSpec;
import io.gpuq.scheduler.sim.scenario.Scenario;
import io.gpuq.scheduler.sim.scenario.WorkloadSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Plays a scenario's workloads against the demo cluster: each workload's pods are created through the
 * API (and so through the webhook) at its {@code submitAt} in scenario time, and, as their controller
 * would, pods deleted before they finished (evicted by the scheduler) are created again while their
 * workload is unfinished. Says what happens to each workload on the way.
 */
final class WorkloadReplay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(WorkloadReplay.class.getName());
    private static final int CREATE_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final ScenarioClock clock;
    private final DemoConsole console;
    private final EvictionLog evictions;
    private final Map<String, WorkloadRun> runs = new LinkedHashMap<>();
    private final Map<String, Long> deviceMemoryByNode = new HashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-replay");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;
    private SharedIndexInformer<Pod> informer;

    WorkloadReplay(KubernetesClient client, Scenario scenario, ScenarioClock clock, DemoConsole console,
                   EvictionLog evictions) {
        this.client = client;
        this.clock = clock;
        this.console = console;
        this.evictions = evictions;
        for (WorkloadSpec w : scenario.workloads()) {
            runs.put(key(w.project(), w.name()), new WorkloadRun(w));
        }
        for (NodeSpec n : scenario.nodes()) {
            n.nodeNames().forEach(name -> deviceMemoryByNode.put(name, n.gpuMemoryMiB()));
        }
    }

    /** Watches the workloads' pods and schedules every submission; call once the clock has started. */
    synchronized void start() {
        informer = client.pods().inAnyNamespace().withLabel(WorkloadPods.WORKLOAD_LABEL).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                observe(pod);
            }

            @Override
            public void onUpdate(Pod before, Pod pod) {
                observe(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                deleted(pod);
            }
        }, 0);
        // One task per submission time, so that workloads submitted together are created in file order.
        Map<Long, List<WorkloadRun>> bySubmitTime = new TreeMap<>();
        for (WorkloadRun run : runs.values()) {
            WorkloadPods.unsupportedPriority(run.spec()).ifPresent(m -> console.event(clock.seconds(), m));
            bySubmitTime.computeIfAbsent(run.spec().submitAt(), t -> new ArrayList<>()).add(run);
        }
        bySubmitTime.forEach((at, group) -> worker.schedule(() -> group.forEach(this::submit),
                clock.wallUntil(at).toNanos(), TimeUnit.NANOSECONDS));
    }

    List<WorkloadRun> runs() {
        return List.copyOf(runs.values());
    }

    /** Every workload was submitted and has completed or been denied. */
    boolean settled() {
        return runs.values().stream().allMatch(WorkloadRun::settled);
    }

    private void submit(WorkloadRun run) {
        if (stopping) {
            return;
        }
        WorkloadSpec w = run.spec();
        run.submitted();
        console.event(clock.seconds(), "submitted " + w.name() + " (" + w.project() + ": " + describe(w) + ")");
        int created = 0;
        while (created < w.pods() && run.denial() == null) {
            create(run, created++);
        }
        if (run.denial() != null) {
            // As an operator would: no partial gang is left behind by a denied workload.
            for (int i = 0; i < created - 1; i++) {
                client.pods().inNamespace(w.project()).withName(w.podName(i)).delete();
            }
        }
    }

    private void create(WorkloadRun run, int index) {
        WorkloadSpec w = run.spec();
        Pod pod = WorkloadPods.pod(w, index);
        for (int attempt = 1; attempt <= CREATE_ATTEMPTS && !stopping; attempt++) {
            try {
                client.pods().inNamespace(w.project()).resource(pod).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    LOG.fine(() -> "pod " + w.project() + "/" + pod.getMetadata().getName() + " exists already");
                    return;
                }
                if (e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 422) {
                    String message = e.getStatus() != null && e.getStatus().getMessage() != null
                            ? e.getStatus().getMessage() : e.getMessage();
                    run.denied(message);
                    console.event(clock.seconds(), "denied " + w.name() + ": " + message);
                    return;
                }
                if (attempt == CREATE_ATTEMPTS) {
                    LOG.log(Level.WARNING, "cannot create pod " + w.project() + "/" + pod.getMetadata().getName()
                            + " after " + attempt + " attempts; the workload waits without it", e);
                    console.event(clock.seconds(), "could not create " + pod.getMetadata().getName() + ": " + e.getMessage());
                    return;
                }
                sleep(100L * attempt);
            }
        }
    }

    private void observe(Pod pod) {
        WorkloadRun run = runOf(pod);
        if (run == null) {
            return;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        WorkloadRun.State change = run.podPhase(pod.getMetadata().getName(), pod.getMetadata().getUid(), phase);
        if (change == WorkloadRun.State.RUNNING) {
            console.event(clock.seconds(), "started " + run.spec().name() + " on " + placement(run));
        } else if (change == WorkloadRun.State.COMPLETED) {
            console.event(clock.seconds(), "completed " + run.spec().name());
        }
    }

    private void deleted(Pod pod) {
        WorkloadRun run = runOf(pod);
        if (run == null || stopping) {
            return;
        }
        String name = pod.getMetadata().getName();
        if (!run.podDeleted(name, pod.getMetadata().getUid())) {
            return;
        }
        double at = clock.seconds();
        WorkloadSpec w = run.spec();
        EvictionLog.Eviction eviction = run.eviction(() -> {
            console.event(at, "evicted " + w.name() + " (" + w.project() + "); its controller creates it again");
            return evictions.open(at, w.name(), w.project());
        });
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        evictions.addPod(eviction, pod.getMetadata().getUid(),
                WorkloadPods.gpusPerPod(w, node == null ? 0 : deviceMemoryByNode.getOrDefault(node, 0L)));
        int index = indexOf(w, name);
        if (index >= 0) {
            worker.execute(() -> create(run, index));
        }
    }

    /** Where the workload's pods run: node and devices of each, from the scheduler's annotation. */
    private String placement(WorkloadRun run) {
        SharedIndexInformer<Pod> pods = informer;
        List<String> parts = new ArrayList<>();
        if (pods == null) {
            return "";
        }
        for (Pod p : pods.getStore().list()) {
            if (run == runOf(p) && p.getSpec() != null && p.getSpec().getNodeName() != null) {
                Map<String, String> a = p.getMetadata().getAnnotations();
                String devices = a == null ? null : a.get(Annotations.GPU_DEVICES);
                parts.add(p.getSpec().getNodeName() + (devices == null ? "" : " [" + devices + "]"));
            }
        }
        parts.sort(String::compareTo);
        return String.join(", ", parts);
    }

    private WorkloadRun runOf(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String workload = labels == null ? null : labels.get(WorkloadPods.WORKLOAD_LABEL);
        return workload == null ? null : runs.get(key(pod.getMetadata().getNamespace(), workload));
    }

    private static int indexOf(WorkloadSpec w, String podName) {
        for (int i = 0; i < w.pods(); i++) {
            if (w.podName(i).equals(podName)) {
                return i;
            }
        }
        return -1;
    }

    static String describe(WorkloadSpec w) {
        String gpus = switch (w.gpu().kind()) {
            case WHOLE -> w.gpu().wholeGpus() + (w.gpu().wholeGpus() == 1 ? " GPU" : " GPUs");
            case FRACTION -> (w.gpu().milliPerDevice() / 1000.0) + " GPU";
            case MEMORY -> w.gpu().memoryMiBPerDevice() + " MiB of GPU memory";
            default -> "no GPU";
        };
        return w.pods() + (w.pods() == 1 ? " pod × " : " pods × ") + gpus + ", " + w.type().label()
                + (w.durationSeconds() == null ? ", runs to the end" : ", " + w.durationSeconds() + " s");
    }

    private static String key(String project, String workload) {
        return project + "/" + workload;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops submitting and recreating; the pods made so far stay. */
    @Override
    public synchronized void close() {
        stopping = true;
        worker.shutdownNow();
        if (informer != null) {
            informer.close();
            informer = null;
        }
    }
}
