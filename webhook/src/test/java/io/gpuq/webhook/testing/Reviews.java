package io.gpuq.webhook.testing;

/** AdmissionReview request bodies for tests. */
public final class Reviews {

    private Reviews() {
    }

    /** A pod CREATE review in the given apiVersion. */
    public static String pod(String apiVersion, String uid, String namespace, String name) {
        return """
                {"apiVersion":"%s","kind":"AdmissionReview","request":{"uid":"%s",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
                 "namespace":"%s","name":"%s","operation":"CREATE",
                 "userInfo":{"username":"alice","groups":["system:authenticated"]},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s"},
                  "spec":{"containers":[{"name":"main","image":"busybox","resources":{"limits":{"nvidia.com/gpu":"1"}}}]}}}}
                """.formatted(apiVersion, uid, namespace, name, name, namespace);
    }

    public static String pod(String uid, String name) {
        return pod("admission.k8s.io/v1", uid, "team-a", name);
    }
}
