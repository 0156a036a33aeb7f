package io.gpuq.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Called for every pod the embedded API is asked to create, as the real API server calls its
 * admission webhooks: it may return a changed pod, or reject it with a message.
 */
@FunctionalInterface
public interface AdmissionHook {

    /** The outcome for one pod: the pod to store, or a denial. */
    record Outcome(ObjectNode pod, String denial, int status) {
        public static Outcome allow(ObjectNode pod) {
            return new Outcome(pod, null, 0);
        }

        public static Outcome deny(int status, String message) {
            return new Outcome(null, message, status);
        }

        public boolean allowed() {
            return denial == null;
        }
    }

    Outcome admitPodCreate(String namespace, ObjectNode pod);
}
