package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Pod;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * A job's pods as the informer cache shows them, sorted into:
 * <ul>
 *   <li><em>current</em>: pod {@code <job>-<i>} for each rank {@code i} that exists, belongs to this job
 *       (by owner UID, so a deleted job's leftovers of the same name are not mistaken for ours), is not
 *       being deleted (nor deleted by the controller a moment ago) and was made after the job's last
 *       counted failure;</li>
 *   <li><em>stale</em>: this job's pods that are none of the current ones (left from a counted restart, or
 *       with a rank outside {@code 0..replicas-1}); they are deleted, never counted;</li>
 *   <li><em>taken names</em>: every pod name in use, whoever owns it, because a new pod cannot take a name
 *       until the old pod is gone.</li>
 * </ul>
 */
final class JobPods {

    private final int replicas;
    private final Map<Integer, Pod> current = new TreeMap<>();
    private final Map<Integer, PodFate> fates = new TreeMap<>();
    private final List<Pod> stale = new ArrayList<>();
    private final Set<String> takenNames = new HashSet<>();

    private JobPods(int replicas) {
        this.replicas = replicas;
    }

    /**
     * @param pods     the pods labelled with the job's name in its namespace
     * @param restarts the failures the job has counted so far
     * @param deleting pods the controller has deleted already, which count as being deleted
     */
    static JobPods observe(RunaiJob job, Collection<Pod> pods, int restarts, Predicate<Pod> deleting) {
        JobPods view = new JobPods(job.getSpec().podCount());
        String jobName = job.getMetadata().getName();
        String uid = job.getMetadata().getUid();
        for (Pod pod : pods) {
            view.takenNames.add(pod.getMetadata().getName());
            if (!Ownership.isControlledBy(pod, uid)) {
                continue;
            }
            PodFate fate = PodFate.of(pod);
            if (fate == PodFate.TERMINATING || deleting.test(pod)) {
                continue;
            }
            Integer index = rank(pod, jobName);
            if (index == null || index >= view.replicas || madeBefore(pod, restarts) || view.current.containsKey(index)) {
                view.stale.add(pod);
            } else {
                view.current.put(index, pod);
                view.fates.put(index, fate);
            }
        }
        return view;
    }

    int replicas() {
        return replicas;
    }

    Map<Integer, Pod> current() {
        return current;
    }

    List<Pod> stale() {
        return stale;
    }

    /** Ranks without a current pod. */
    List<Integer> missingRanks() {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            if (!current.containsKey(i)) {
                missing.add(i);
            }
        }
        return missing;
    }

    boolean nameTaken(String podName) {
        return takenNames.contains(podName);
    }

    /** Current pods with {@code fate}, by rank. */
    List<Pod> withFate(PodFate fate) {
        List<Pod> pods = new ArrayList<>();
        for (Map.Entry<Integer, PodFate> e : fates.entrySet()) {
            if (e.getValue() == fate) {
                pods.add(current.get(e.getKey()));
            }
        }
        return pods;
    }

    int count(PodFate fate) {
        int n = 0;
        for (PodFate f : fates.values()) {
            if (f == fate) {
                n++;
            }
        }
        return n;
    }

    /**
     * True when some current pod has been placed: bound to a node, or past pending. A gang that lost a
     * rank after that point cannot go on (the others wait at the rendezvous for a rank that will not
     * come back), so the whole gang is made again.
     */
    boolean anyPlaced() {
        for (Map.Entry<Integer, Pod> e : current.entrySet()) {
            Pod pod = e.getValue();
            boolean bound = pod.getSpec() != null && pod.getSpec().getNodeName() != null;
            if (bound || fates.get(e.getKey()) != PodFate.PENDING) {
                return true;
            }
        }
        return false;
    }

    /** The rank in the pod's {@code runai/pod-index} label, when it is one and matches the pod's name. */
    static Integer rank(Pod pod, String jobName) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String value = labels == null ? null : labels.get(Labels.POD_INDEX);
        if (value == null) {
            return null;
        }
        try {
            int index = Integer.parseInt(value);
            return index >= 0 && WorkerPods.podName(jobName, index).equals(pod.getMetadata().getName()) ? index : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Made before the last counted failure; a pod without the annotation is taken as current. */
    private static boolean madeBefore(Pod pod, int restarts) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(WorkerPods.RESTARTS_ANNOTATION);
        if (value == null) {
            return false;
        }
        try {
            return Integer.parseInt(value) < restarts;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
