package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.gpuq.api.Names;
import io.gpuq.api.crd.RunaiJob;

import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records Events on a RunaiJob, where {@code kubectl describe runaijob} shows them. An Event that
 * cannot be written is logged and dropped: it informs, and must never hold up the job it describes.
 */
final class JobEvents {

    private static final Logger LOG = Logger.getLogger(JobEvents.class.getName());

    /** The {@code source.component} and {@code reportingComponent} of every Event written here. */
    static final String COMPONENT = "gpuq-runaijob-controller";

    static final String NORMAL = "Normal";
    static final String WARNING = "Warning";

    /** Event names are DNS subdomains, at most 253 characters; the job part leaves room for the suffix. */
    private static final int MAX_NAME_PREFIX = 253 - 17;

    private final KubernetesClient client;
    private final Clock clock;

    JobEvents(KubernetesClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    void normal(RunaiJob job, String reason, String message) {
        record(job, NORMAL, reason, message);
    }

    void warning(RunaiJob job, String reason, String message) {
        record(job, WARNING, reason, message);
    }

    private void record(RunaiJob job, String type, String reason, String message) {
        String name = job.getMetadata().getName();
        String namespace = job.getMetadata().getNamespace();
        String prefix = name.length() > MAX_NAME_PREFIX ? name.substring(0, MAX_NAME_PREFIX) : name;
        String now = JobStatuses.timestamp(clock.instant());
        Event event = new EventBuilder()
                .withNewMetadata()
                    .withName(prefix + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()))
                    .withNamespace(namespace)
                .endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion(Names.API_GROUP_VERSION)
                    .withKind(Ownership.KIND)
                    .withName(name)
                    .withNamespace(namespace)
                    .withUid(job.getMetadata().getUid())
                    .withResourceVersion(job.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withReportingComponent(COMPONENT)
                .build();
        LOG.fine(() -> "RunaiJob " + namespace + "/" + name + ": " + reason + ": " + message);
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.log(Level.WARNING, "RunaiJob " + namespace + "/" + name + ": cannot record Event " + reason + " ("
                    + ApiErrors.describe(e) + "); the job goes on without it");
        }
    }
}
