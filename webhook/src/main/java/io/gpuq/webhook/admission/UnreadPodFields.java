package io.gpuq.webhook.admission;

/**
 * The members of a pod AdmissionReview that no pod rule reads. The server leaves them out of the tree it
 * hands to the rules (it still checks they are well-formed JSON), which takes about half of the parsing
 * work off every review: volumes, probes, commands and security contexts are most of a pod's bytes.
 *
 * <p>A rule that starts reading one of these must take it off the list. {@code PrunedReviewsTest}
 * answers every fixture both ways and requires the same bytes, and the mutations never replace a
 * container or the pod spec whole, so a pruned member can never be dropped from a pod by a patch.
 */
final class UnreadPodFields {

    private static final String[] CONTAINER_LISTS = {"containers", "initContainers", "ephemeralContainers"};

    private static final String[] CONTAINER_MEMBERS = {"command", "args", "workingDir", "ports", "volumeMounts",
        "volumeDevices", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle", "securityContext",
        "terminationMessagePath", "terminationMessagePolicy", "image", "imagePullPolicy", "envFrom", "stdin",
        "stdinOnce", "tty", "resizePolicy"};

    private static final String[] SPEC_MEMBERS = {"volumes", "securityContext", "tolerations", "imagePullSecrets",
        "dnsConfig", "hostAliases", "readinessGates", "os", "resourceClaims", "schedulingGates",
        "terminationGracePeriodSeconds", "activeDeadlineSeconds", "dnsPolicy", "serviceAccountName", "serviceAccount",
        "automountServiceAccountToken", "enableServiceLinks", "preemptionPolicy", "hostname", "subdomain",
        "hostNetwork", "hostPID", "hostIPC", "hostUsers", "shareProcessNamespace", "setHostnameAsFQDN"};

    private static final String[] METADATA_MEMBERS = {"managedFields", "finalizers", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "generation", "selfLink"};

    private static final String[] REQUEST_MEMBERS = {"options", "requestKind", "requestResource",
        "requestSubResource", "dryRun"};

    static final JsonPruning REVIEW = build();

    private UnreadPodFields() {
    }

    private static JsonPruning build() {
        JsonPruning.Builder b = JsonPruning.builder()
                .skip("request", "userInfo", "uid")
                .skip("request", "userInfo", "groups")
                .skip("request", "userInfo", "extra");
        for (String member : REQUEST_MEMBERS) {
            b.skip("request", member);
        }
        for (String object : new String[] {"object", "oldObject"}) {
            b.skip("request", object, "status");
            for (String member : METADATA_MEMBERS) {
                b.skip("request", object, "metadata", member);
            }
            for (String member : SPEC_MEMBERS) {
                b.skip("request", object, "spec", member);
            }
            for (String list : CONTAINER_LISTS) {
                for (String member : CONTAINER_MEMBERS) {
                    b.skip("request", object, "spec", list, JsonPruning.ANY_ELEMENT, member);
                }
            }
        }
        return b.build();
    }
}
