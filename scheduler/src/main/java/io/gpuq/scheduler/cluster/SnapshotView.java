package io.gpuq.scheduler.cluster;

import io.gpuq.scheduler.engine.model.ClusterSnapshot;
import io.gpuq.scheduler.engine.model.PendingReason;

import java.util.List;
import java.util.Map;

/**
 * A snapshot for the engine plus what is needed to act on its decisions: the pods of every workload
 * id, the reservation pods by node and device, the pods that cannot be scheduled as written, and the
 * gangs held back from the engine because not all their pods exist yet (with why).
 */
record SnapshotView(ClusterSnapshot snapshot,
                    Map<String, List<PodFacts>> members,
                    Map<String, PodFacts> pods,
                    Map<DeviceRef, ReservationPod> reservations,
                    List<PodFacts> invalid,
                    Map<String, PendingReason> heldBack) {

    /** One device of one node. */
    record DeviceRef(String node, int index) {
        @Override
        public String toString() {
            return node + "#" + index;
        }
    }

    /** A reservation pod and the device UUID it recorded (null until {@code gpuq reserve} wrote it). */
    record ReservationPod(String namespace, String name, DeviceRef device, String uuid, boolean terminating) {
    }
}
