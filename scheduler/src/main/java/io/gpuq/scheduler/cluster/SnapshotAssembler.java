package io.gpuq.scheduler.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.gpuq.api.Labels;
import io.gpuq.api.Names;
import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.DeviceShare;
import io.gpuq.scheduler.engine.model.GpuDemand;
import io.gpuq.scheduler.engine.model.GpuNode;
import io.gpuq.scheduler.engine.model.PodAllocation;
import io.gpuq.scheduler.engine.model.PendingReason;
import io.gpuq.scheduler.engine.model.PodRequest;
import io.gpuq.scheduler.engine.model.RunningWorkload;
import io.gpuq.scheduler.engine.model.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the engine's snapshot from informer contents and the assumed placements.
 *
 * <ul>
 *   <li>Our pods (our scheduler name) bound to a node run where their {@code runai/gpu-devices}
 *       says; assumed pods run where the engine put them; the rest are pending.</li>
 *   <li>Pods that an assumed placement waits on (being evicted for it) are left out: their
 *       resources are already counted for the placement.</li>
 *   <li>Other schedulers' running pods take their GPUs, CPU and memory off the node.</li>
 *   <li>Reservation pods are ours and are not counted: the device they hold is counted through the
 *       fraction pods on it.</li>
 *   <li>A gang with some pods running and some pending becomes a running workload and a pending
 *       one ({@code <group>#rest}) whose gang size is what is still missing.</li>
 *   <li>A gang whose pods do not all exist yet is held back (GangIncomplete): the engine would
 *       otherwise see a smaller gang and start part of it.</li>
 * </ul>
 */
final class SnapshotAssembler {
    static final String REST_SUFFIX = "#rest";

    /** Creation order of workloads: the earliest pod's timestamp, then the group key. */
    private static final Comparator<Map.Entry<String, List<PodFacts>>> BY_SUBMIT =
            Comparator.<Map.Entry<String, List<PodFacts>>>comparingLong(
                    e -> e.getValue().stream().mapToLong(PodFacts::submitMillis).min().orElse(0))
                    .thenComparing(Map.Entry::getKey);

    private final String schedulerName;

    SnapshotAssembler(String schedulerName) {
        this.schedulerName = schedulerName;
    }

    SnapshotView assemble(ClusterContents contents, List<Assumption> assumed, long nowMillis) {
        Map<String, GpuNode> nodes = new LinkedHashMap<>();
        for (Node n : contents.nodes()) {
            GpuNode g = NodeConverter.convert(n);
            nodes.put(g.name(), g);
        }
        Map<String, String> projectByNamespace = new HashMap<>();
        Set<String> projectNames = new HashSet<>();
        for (var p : contents.projects()) {
            String ns = p.getSpec() == null || p.getSpec().getNamespace() == null || p.getSpec().getNamespace().isBlank()
                    ? p.getMetadata().getName() : p.getSpec().getNamespace();
            projectByNamespace.putIfAbsent(ns, p.getMetadata().getName());
            projectNames.add(p.getMetadata().getName());
        }
        PodConverter converter = new PodConverter(ns -> Optional.ofNullable(contents.namespaceQueues().get(ns))
                .or(() -> Optional.ofNullable(projectByNamespace.get(ns))),
                name -> Optional.ofNullable(contents.priorityClasses().get(name)));

        Map<String, Assumption> assumedByPod = new HashMap<>();
        Set<String> spokenFor = new HashSet<>();
        for (Assumption a : assumed) {
            assumedByPod.put(a.podKey(), a);
            spokenFor.addAll(a.waitFor());
        }

        Map<SnapshotView.DeviceRef, SnapshotView.ReservationPod> reservations = new HashMap<>();
        Map<String, long[]> foreign = new HashMap<>();
        Map<String, PodFacts> facts = new LinkedHashMap<>();
        List<PodFacts> invalid = new ArrayList<>();
        Map<String, List<PodFacts>> runningByGroup = new TreeMap<>();
        Map<String, List<PodFacts>> pendingByGroup = new TreeMap<>();
        Map<String, PodAllocation> allocationOf = new HashMap<>();
        List<PodFacts> needDevices = new ArrayList<>();

        for (Pod pod : contents.pods()) {
            if (isReservation(pod)) {
                reservation(pod).ifPresent(r -> reservations.put(r.device(), r));
                continue;
            }
            String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            String scheduler = pod.getSpec() == null ? null : pod.getSpec().getSchedulerName();
            if (!schedulerName.equals(scheduler)) {
                String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                if (node != null && !node.isEmpty()) {
                    addForeign(foreign, node, pod);
                }
                continue;
            }
            PodFacts converted = converter.convert(pod);
            final PodFacts f = converted.project() != null && !projectNames.contains(converted.project())
                    ? withInvalid(converted, "Project " + converted.project() + " does not exist")
                    : converted;
            facts.put(f.key(), f);
            if (spokenFor.contains(f.uid())) {
                continue;
            }
            if (f.invalid() != null) {
                if (!f.bound()) {
                    invalid.add(f);
                }
                continue;
            }
            Assumption a = assumedByPod.get(f.key());
            if (f.bound()) {
                if (!nodes.containsKey(f.nodeName())) {
                    continue;
                }
                runningByGroup.computeIfAbsent(f.group(), k -> new ArrayList<>()).add(f);
                if (a != null && a.allocation().node().equals(f.nodeName())) {
                    allocationOf.put(f.key(), a.allocation());
                } else {
                    parseAllocation(f, nodes.get(f.nodeName()), reservations).ifPresentOrElse(
                            alloc -> allocationOf.put(f.key(), alloc), () -> needDevices.add(f));
                }
            } else if (a != null && a.podUid().equals(f.uid()) && !f.terminating()) {
                runningByGroup.computeIfAbsent(f.group(), k -> new ArrayList<>()).add(f);
                allocationOf.put(f.key(), a.allocation());
            } else if (!f.terminating()) {
                pendingByGroup.computeIfAbsent(f.group(), k -> new ArrayList<>()).add(f);
            }
        }
        // Reservation pods are listed after some fraction pods; resolve the UUIDs of those now.
        for (PodFacts f : new ArrayList<>(needDevices)) {
            Optional<PodAllocation> alloc = parseAllocation(f, nodes.get(f.nodeName()), reservations);
            if (alloc.isPresent()) {
                allocationOf.put(f.key(), alloc.get());
                needDevices.remove(f);
            }
        }
        for (PodFacts f : needDevices) {
            allocationOf.put(f.key(), DeviceFallback.choose(f, nodes.get(f.nodeName()), allocationOf.values()));
        }

        List<GpuNode> nodeList = new ArrayList<>();
        for (GpuNode n : nodes.values()) {
            long[] used = foreign.get(n.name());
            nodeList.add(used == null ? n : minus(n, used));
        }

        Map<String, List<PodFacts>> members = new HashMap<>();
        List<RunningWorkload> running = new ArrayList<>();
        List<Map.Entry<String, List<PodFacts>>> runningGroups = new ArrayList<>(runningByGroup.entrySet());
        runningGroups.sort(BY_SUBMIT);
        long runningOrder = 0;
        for (var e : runningGroups) {
            List<PodFacts> pods = e.getValue();
            members.put(e.getKey(), pods);
            List<PodAllocation> allocs = new ArrayList<>();
            for (PodFacts f : pods) {
                allocs.add(allocationOf.get(f.key()));
            }
            Workload w = workload(e.getKey(), pods, pods.size(), runningOrder++);
            running.add(new RunningWorkload(w, allocs, w.submitTime()));
        }
        List<Map.Entry<String, List<PodFacts>>> pendingGroups = new ArrayList<>(pendingByGroup.entrySet());
        pendingGroups.sort(BY_SUBMIT);
        List<Workload> pending = new ArrayList<>();
        Map<String, PendingReason> heldBack = new HashMap<>();
        long order = 0;
        for (var e : pendingGroups) {
            List<PodFacts> pods = e.getValue();
            int runningCount = runningByGroup.getOrDefault(e.getKey(), List.of()).size();
            String id = runningCount > 0 ? e.getKey() + REST_SUFFIX : e.getKey();
            int gang = Math.max(pods.get(0).minMember(), 1);
            int missing = Math.max(1, gang - runningCount);
            members.put(id, pods);
            if (pods.size() < missing) {
                heldBack.put(id, new PendingReason(PendingReason.Code.GANG_INCOMPLETE, "gang waiting for " + gang
                        + " pods: only " + (pods.size() + runningCount) + " exist"));
                continue;
            }
            pending.add(workload(id, pods, missing, order++));
        }
        ClusterSnapshot snapshot = new ClusterSnapshot(nowMillis, nodeList, QueueConverter.departments(contents.departments()),
                QueueConverter.projects(contents.projects()), pending, running);
        return new SnapshotView(snapshot, members, facts, reservations, invalid, heldBack);
    }

    private static Workload workload(String id, List<PodFacts> pods, int minMember, long order) {
        PodFacts first = pods.get(0);
        long submit = Long.MAX_VALUE;
        int priority = Integer.MIN_VALUE;
        boolean preemptible = true;
        List<PodRequest> requests = new ArrayList<>(pods.size());
        for (PodFacts f : pods) {
            submit = Math.min(submit, f.submitMillis());
            priority = Math.max(priority, f.priority());
            preemptible &= f.preemptible();
            requests.add(f.request());
        }
        String pool = null;
        Map<String, String> selector = first.request().nodeSelector();
        if (selector.containsKey(Labels.NODE_POOL)) {
            pool = selector.get(Labels.NODE_POOL);
        }
        return new Workload(id, first.project(), pool, first.type(), priority, preemptible, submit, order, minMember,
                requests);
    }

    /** Devices from {@code runai/gpu-devices}: indices, or reservation UUIDs for shared devices. */
    private static Optional<PodAllocation> parseAllocation(PodFacts f, GpuNode node,
                                                           Map<SnapshotView.DeviceRef, SnapshotView.ReservationPod> reservations) {
        PodRequest r = f.request();
        GpuDemand d = r.gpu();
        if (d.kind() == GpuDemand.Kind.NONE) {
            return Optional.of(new PodAllocation(f.key(), node.name(), List.of(), r.cpuMillis(), r.memoryMiB()));
        }
        if (f.devices() == null || f.devices().isBlank()) {
            return Optional.empty();
        }
        int milli = switch (d.kind()) {
            case WHOLE -> GpuDemand.MILLI;
            case FRACTION -> d.milliPerDevice();
            case MEMORY -> Math.min(GpuDemand.MILLI, Math.max(1, d.milliPerDeviceOn(node.gpuMemoryMiB())));
            default -> 0;
        };
        List<DeviceShare> shares = new ArrayList<>();
        for (String token : f.devices().split(",")) {
            String t = token.trim();
            Integer index = null;
            if (t.matches("\\d+")) {
                index = Integer.parseInt(t);
            } else {
                for (var res : reservations.values()) {
                    if (t.equals(res.uuid()) && res.device().node().equals(node.name())) {
                        index = res.device().index();
                    }
                }
            }
            if (index == null || index >= node.gpuCount()) {
                return Optional.empty();
            }
            shares.add(new DeviceShare(index, milli));
        }
        int expected = d.kind() == GpuDemand.Kind.WHOLE ? d.wholeGpus() : d.devices();
        if (shares.size() != expected) {
            return Optional.empty();
        }
        return Optional.of(new PodAllocation(f.key(), node.name(), shares, r.cpuMillis(), r.memoryMiB()));
    }

    private static PodFacts withInvalid(PodFacts f, String message) {
        return new PodFacts(f.key(), f.namespace(), f.name(), f.uid(), f.project(), f.group(), f.minMember(), f.type(),
                f.priority(), f.preemptible(), f.submitMillis(), null, f.nodeName(), f.terminating(), f.devices(), message);
    }

    static boolean isReservation(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(Labels.RESERVATION));
    }

    private static Optional<SnapshotView.ReservationPod> reservation(Pod pod) {
        var labels = pod.getMetadata().getLabels();
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        String device = labels.get(Labels.RESERVED_DEVICE);
        if (node == null || device == null || !device.matches("\\d+")) {
            return Optional.empty();
        }
        var annotations = pod.getMetadata().getAnnotations();
        String uuid = annotations == null ? null : annotations.get(io.gpuq.api.Annotations.RESERVED_GPU_UUID);
        return Optional.of(new SnapshotView.ReservationPod(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                new SnapshotView.DeviceRef(node, Integer.parseInt(device)), uuid,
                pod.getMetadata().getDeletionTimestamp() != null));
    }

    private static void addForeign(Map<String, long[]> foreign, String node, Pod pod) {
        long[] used = foreign.computeIfAbsent(node, k -> new long[3]);
        if (pod.getSpec().getContainers() == null) {
            return;
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() == null) {
                continue;
            }
            var limits = c.getResources().getLimits();
            var requests = c.getResources().getRequests() != null ? c.getResources().getRequests() : limits;
            used[0] += Quantities.count(limits, Names.GPU_RESOURCE);
            used[1] += Quantities.cpuMillis(requests);
            used[2] += Quantities.memoryMiB(requests);
        }
    }

    private static GpuNode minus(GpuNode n, long[] used) {
        int gpus = (int) Math.max(0, n.gpuCount() - used[0]);
        long cpu = n.cpuMillis() < 0 ? n.cpuMillis() : Math.max(0, n.cpuMillis() - used[1]);
        long mem = n.memoryMiB() < 0 ? n.memoryMiB() : Math.max(0, n.memoryMiB() - used[2]);
        return new GpuNode(n.name(), n.pool(), n.gpuModel(), n.gpuMemoryMiB(), gpus, cpu, mem, n.capacityType(),
                n.labels(), n.taints(), n.ready(), n.unschedulable());
    }
}
