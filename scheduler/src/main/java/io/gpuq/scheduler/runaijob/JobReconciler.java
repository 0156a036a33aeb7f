package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobPhase;
import io.gpuq.api.crd.RunaiJobSpec;
import io.gpuq.api.crd.RunaiJobStatus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Brings one RunaiJob's pods, Service and status in line with its spec. A reconcile is a chain of small
 * named steps; each either lets the chain go on or ends it (with a time to look again, if one is due):
 * <ol>
 *   <li>{@code finished job}: a finished job only has its leftovers cleaned and its TTL honoured;</li>
 *   <li>{@code validate spec}: a spec that cannot run gets a condition and an Event, and nothing else;</li>
 *   <li>{@code observe pods}: the job's pods from the informer cache, sorted by {@link JobPods};</li>
 *   <li>{@code enforce deadline}: past {@code activeDeadlineSeconds} the job fails;</li>
 *   <li>{@code restart on failure}: a failed pod restarts the job's pods (the whole gang) and counts one
 *       failure, or fails the job beyond {@code backoffLimit};</li>
 *   <li>{@code restart on eviction}: an evicted pod, or a gang that lost a placed rank, is made again
 *       without counting;</li>
 *   <li>{@code delete stale pods}: pods of counted restarts and out-of-range ranks go;</li>
 *   <li>{@code headless service}: a distributed job's Service exists;</li>
 *   <li>{@code create missing pods}: every rank without a pod gets one;</li>
 *   <li>{@code update status}: phase, counters and conditions from the pods.</li>
 * </ol>
 * The job itself is read from the API server, not from the cache: the failure count lives in its
 * status, and a count written a moment ago may not have reached the cache yet; reading it stale would
 * count one failure twice or write an old count back. Pods and Services are read from the cache; a pod
 * the cache has not shown yet at worst makes a creation answer 409, which is taken as "exists".
 * One reconcile per job runs at a time (the work queue guarantees it), so the steps need no locking.
 */
final class JobReconciler {

    private static final Logger LOG = Logger.getLogger(JobReconciler.class.getName());

    /** Index of the pod informer: {@code namespace/job-name} of the pods labelled with a job name. */
    static final String PODS_BY_JOB = "runai-job";

    private final KubernetesClient client;
    private final Store<RunaiJob> jobs;
    private final Indexer<Pod> pods;
    private final Store<Service> services;
    private final PodDeletions deletions;
    private final JobEvents events;
    private final Clock clock;

    JobReconciler(KubernetesClient client, Store<RunaiJob> jobs, Indexer<Pod> pods, Store<Service> services,
                  PodDeletions deletions, JobEvents events, Clock clock) {
        this.client = client;
        this.jobs = jobs;
        this.pods = pods;
        this.services = services;
        this.deletions = deletions;
        this.events = events;
        this.clock = clock;
    }

    /** The pod index function: pods carry their job's name in a label. */
    static List<String> podIndexKeys(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        String job = labels == null ? null : labels.get(Labels.JOB_NAME);
        return job == null ? List.of() : List.of(pod.getMetadata().getNamespace() + "/" + job);
    }

    /** What the work queue should do with the job next. */
    record Outcome(Duration requeueAfter) {
        static final Outcome DONE = new Outcome(null);

        static Outcome after(Duration delay) {
            return new Outcome(delay.isNegative() ? Duration.ZERO : delay);
        }

        Optional<Duration> requeue() {
            return Optional.ofNullable(requeueAfter);
        }
    }

    /** A step failed; says which, so the log line names it. */
    static final class StepFailedException extends RuntimeException {
        private final String step;

        StepFailedException(String step, RuntimeException cause) {
            super(step + ": " + cause.getMessage(), cause);
            this.step = step;
        }

        String step() {
            return step;
        }
    }

    /** The job was deleted while being reconciled: its owner references take care of the rest. */
    private static final class JobGoneException extends RuntimeException {
        JobGoneException() {
            super(null, null, false, false);
        }
    }

    Outcome reconcile(JobKey key) {
        if (jobs.getByKey(key.cacheKey()) == null) {
            // Deleted: the garbage collector removes its pods and Service through their owner references.
            return Outcome.DONE;
        }
        RunaiJob job;
        try {
            job = client.resources(RunaiJob.class).inNamespace(key.namespace()).withName(key.name()).get();
        } catch (KubernetesClientException e) {
            throw new StepFailedException("read job", e);
        }
        if (job == null) {
            return Outcome.DONE;
        }
        return new Reconciliation(key, job).run();
    }

    /** One pass over one job; holds what the steps learn on the way. */
    private final class Reconciliation {

        private final JobKey key;
        private final Instant now = clock.instant();
        private RunaiJob job;
        private RunaiJobStatus status;
        private int restarts;
        private JobPods observed;

        Reconciliation(JobKey key, RunaiJob job) {
            this.key = key;
            this.job = job;
            this.status = job.getStatus();
            this.restarts = status == null || status.getFailed() == null ? 0 : status.getFailed();
        }

        Outcome run() {
            record Step(String name, Supplier<Optional<Outcome>> action) {
            }
            List<Step> chain = List.of(
                    new Step("finished job", this::finishedJob),
                    new Step("validate spec", this::validateSpec),
                    new Step("observe pods", this::observePods),
                    new Step("enforce deadline", this::enforceDeadline),
                    new Step("restart on failure", this::restartOnFailure),
                    new Step("restart on eviction", this::restartOnEviction),
                    new Step("delete stale pods", this::deleteStalePods),
                    new Step("headless service", this::headlessService),
                    new Step("create missing pods", this::createMissingPods),
                    new Step("update status", this::updateStatus));
            for (Step step : chain) {
                Optional<Outcome> stop;
                try {
                    stop = step.action().get();
                } catch (JobGoneException e) {
                    LOG.fine(() -> "RunaiJob " + key + " was deleted during step '" + step.name() + "'; nothing left to do");
                    return Outcome.DONE;
                } catch (RuntimeException e) {
                    throw new StepFailedException(step.name(), e);
                }
                if (stop.isPresent()) {
                    return stop.get();
                }
            }
            return Outcome.DONE;
        }

        private Optional<Outcome> finishedJob() {
            if (!job.effectivePhase().isFinished()) {
                return Optional.empty();
            }
            if (job.effectivePhase() == RunaiJobPhase.FAILED) {
                // A failed job keeps its terminated pods for their logs; anything still running goes.
                deletePods(activePods(JobPods.observe(job, podsOfJob(), restarts, deletions::isRequested)));
            }
            return Optional.of(expireAfterFinish());
        }

        private Optional<Outcome> validateSpec() {
            List<String> problems = JobValidation.problems(job);
            if (problems.isEmpty()) {
                return Optional.empty();
            }
            String message = String.join("; ", problems);
            RunaiJobStatus next = JobStatuses.invalid(status, message, now, job.getMetadata().getGeneration());
            if (!next.equals(status)) {
                LOG.warning("RunaiJob " + key + " cannot run: " + message + "; no pods are created until the spec is fixed");
                events.warning(job, JobStatuses.REASON_INVALID_SPEC, message);
                writeStatus(next);
            }
            return Optional.of(Outcome.DONE);
        }

        private Optional<Outcome> observePods() {
            observed = JobPods.observe(job, podsOfJob(), restarts, deletions::isRequested);
            return Optional.empty();
        }

        private Optional<Outcome> enforceDeadline() {
            Instant deadline = deadline();
            if (deadline == null || now.isBefore(deadline)) {
                return Optional.empty();
            }
            fail(JobStatuses.REASON_DEADLINE, "the job ran past activeDeadlineSeconds="
                    + job.getSpec().getActiveDeadlineSeconds() + " (running since " + status.getStartTime() + ")");
            return Optional.of(expireAfterFinish());
        }

        private Optional<Outcome> restartOnFailure() {
            List<Pod> failed = observed.withFate(PodFate.FAILED);
            if (failed.isEmpty()) {
                return Optional.empty();
            }
            int limit = job.getSpec().effectiveBackoffLimit();
            int failures = restarts + 1;
            String what = describeFailures(failed);
            if (failures > limit) {
                restarts = failures;
                fail(JobStatuses.REASON_BACKOFF_LIMIT, what + "; " + failures + (failures == 1 ? " failure exceeds" : " failures exceed")
                        + " backoffLimit " + limit);
                return Optional.of(expireAfterFinish());
            }
            String message = what + "; restarting " + scope() + " (failure " + failures + ", backoffLimit " + limit + ")";
            // Counted first, deleted second: if the deletion fails, the retry sees the count and the
            // failed pod's older restart number, and deletes it without counting it again.
            writeStatus(JobStatuses.restarting(status, failures, message, now, job.getMetadata().getGeneration()));
            restarts = failures;
            LOG.info("RunaiJob " + key + ": " + message);
            events.warning(job, "Restarting", message);
            deletePods(everyPod());
            return Optional.of(Outcome.DONE);
        }

        private Optional<Outcome> restartOnEviction() {
            List<Pod> evicted = observed.withFate(PodFate.EVICTED);
            boolean distributed = job.getSpec().isDistributed();
            List<Integer> missing = observed.missingRanks();
            boolean gangBroken = distributed && !missing.isEmpty() && observed.anyPlaced();
            if (evicted.isEmpty() && !gangBroken) {
                return Optional.empty();
            }
            String what = evicted.isEmpty()
                    ? "pod " + names(missing) + (missing.size() == 1 ? " was" : " were") + " deleted while the job ran"
                    : describeEvictions(evicted);
            String message = what + "; recreating " + scope() + ", which does not count against backoffLimit";
            LOG.info("RunaiJob " + key + ": " + message);
            events.normal(job, "Evicted", message);
            writeStatus(JobStatuses.restarting(status, restarts, message, now, job.getMetadata().getGeneration()));
            deletePods(distributed ? everyPod() : evicted);
            return Optional.of(Outcome.DONE);
        }

        private Optional<Outcome> deleteStalePods() {
            deletePods(observed.stale());
            return Optional.empty();
        }

        private Optional<Outcome> headlessService() {
            if (!job.getSpec().isDistributed()) {
                return Optional.empty();
            }
            Service existing = services.getByKey(key.cacheKey());
            if (existing != null) {
                if (!Ownership.isControlledBy(existing, job.getMetadata().getUid())) {
                    LOG.warning("RunaiJob " + key + ": Service " + key + " belongs to something else; workers may not"
                            + " resolve " + RendezvousEnv.of(key.name(), key.namespace(), 1, 0).masterAddress()
                            + " until it is deleted");
                }
                return Optional.empty();
            }
            try {
                client.services().inNamespace(key.namespace()).resource(HeadlessService.build(job)).create();
                LOG.fine(() -> "RunaiJob " + key + ": created headless Service " + key);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
                // The cache is behind our own creation, or a Service of that name is not the job's
                // (it carries no job label); the next pass tells which.
                LOG.fine(() -> "RunaiJob " + key + ": Service " + key + " already exists");
            }
            return Optional.empty();
        }

        private Optional<Outcome> createMissingPods() {
            List<String> created = new ArrayList<>();
            try {
                for (int rank : observed.missingRanks()) {
                    String name = WorkerPods.podName(key.name(), rank);
                    if (observed.nameTaken(name)) {
                        // The previous pod of that name is still going away; its deletion brings us back.
                        continue;
                    }
                    createPod(WorkerPods.build(job, rank, restarts));
                    created.add(name);
                }
            } finally {
                if (!created.isEmpty()) {
                    String message = "created pod" + (created.size() == 1 ? " " : "s ") + String.join(", ", created)
                            + (restarts > 0 ? " after " + restarts + (restarts == 1 ? " failure" : " failures") : "");
                    LOG.info("RunaiJob " + key + ": " + message);
                    events.normal(job, "SuccessfulCreate", message);
                }
            }
            return Optional.empty();
        }

        private Optional<Outcome> updateStatus() {
            RunaiJobStatus next = JobStatuses.observed(status, observed, restarts, now, job.getMetadata().getGeneration());
            RunaiJobPhase before = job.effectivePhase();
            if (!next.equals(status)) {
                writeStatus(next);
            }
            if (next.getPhase() != before) {
                LOG.info("RunaiJob " + key + ": " + before + " -> " + next.getPhase() + " ("
                        + JobStatuses.condition(next, JobStatuses.RUNNING).getMessage() + ")");
                if (next.getPhase() == RunaiJobPhase.RUNNING) {
                    events.normal(job, "Started", "all " + observed.replicas() + " pods are running");
                } else if (next.getPhase() == RunaiJobPhase.SUCCEEDED) {
                    events.normal(job, JobStatuses.REASON_COMPLETED, "all " + observed.replicas() + " pods succeeded");
                }
            }
            if (next.getPhase() == RunaiJobPhase.SUCCEEDED) {
                return Optional.of(expireAfterFinish());
            }
            Instant deadline = deadline();
            return Optional.of(deadline == null ? Outcome.DONE : Outcome.after(Duration.between(now, deadline)));
        }

        /** Marks the job Failed and stops what still runs; terminated pods stay for their logs. */
        private void fail(String reason, String message) {
            writeStatus(JobStatuses.failed(status, restarts, reason, message, now, job.getMetadata().getGeneration()));
            LOG.warning("RunaiJob " + key + " failed: " + message);
            events.warning(job, reason, message);
            deletePods(activePods(observed));
        }

        /** Done, or a look again when the TTL runs out; past it, the job is deleted (its pods follow). */
        private Outcome expireAfterFinish() {
            Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
            if (ttl == null) {
                return Outcome.DONE;
            }
            Instant finished = parseTime(status == null ? null : status.getCompletionTime());
            Instant expiry = (finished == null ? now : finished).plusSeconds(ttl);
            if (now.isBefore(expiry)) {
                return Outcome.after(Duration.between(now, expiry));
            }
            LOG.info("RunaiJob " + key + ": ttlSecondsAfterFinished=" + ttl + " has passed; deleting the job and, through"
                    + " their owner references, its pods");
            client.resources(RunaiJob.class).inNamespace(key.namespace()).withName(key.name())
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            return Outcome.DONE;
        }

        private Instant deadline() {
            Long seconds = job.getSpec().getActiveDeadlineSeconds();
            Instant started = parseTime(status == null ? null : status.getStartTime());
            return seconds == null || started == null ? null : started.plusSeconds(seconds);
        }

        private String scope() {
            RunaiJobSpec spec = job.getSpec();
            return spec.isDistributed() ? "all " + spec.podCount() + " workers" : "the pod";
        }

        private List<Pod> podsOfJob() {
            return pods.byIndex(PODS_BY_JOB, key.cacheKey());
        }

        /** Every pod of the job that is not being deleted already: the current ranks and the stale ones. */
        private List<Pod> everyPod() {
            List<Pod> all = new ArrayList<>(observed.current().values());
            all.addAll(observed.stale());
            return all;
        }

        private List<Pod> activePods(JobPods view) {
            List<Pod> active = new ArrayList<>();
            for (Pod pod : view.current().values()) {
                if (!PodFate.of(pod).isTerminal()) {
                    active.add(pod);
                }
            }
            for (Pod pod : view.stale()) {
                if (!PodFate.of(pod).isTerminal()) {
                    active.add(pod);
                }
            }
            return active;
        }

        private void createPod(Pod pod) {
            String name = pod.getMetadata().getName();
            try {
                client.pods().inNamespace(key.namespace()).resource(pod).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    // Made by an earlier pass the cache has not shown yet.
                    LOG.fine(() -> "RunaiJob " + key + ": pod " + name + " already exists");
                    return;
                }
                if (e.getCode() >= 400 && e.getCode() < 500 && e.getCode() != 429) {
                    // Refused (invalid, denied by admission, over a ResourceQuota): the user has to act.
                    events.warning(job, "FailedCreate", "pod " + name + ": " + ApiErrors.describe(e));
                }
                throw e;
            }
        }

        private void deletePods(List<Pod> doomed) {
            for (Pod pod : doomed) {
                if (deletions.isRequested(pod)) {
                    continue;
                }
                // An empty answer means the pod was gone already; its deletion has reached the cache or will.
                if (!client.pods().inNamespace(key.namespace()).withName(pod.getMetadata().getName()).delete().isEmpty()) {
                    deletions.requested(pod);
                }
            }
        }

        private void writeStatus(RunaiJobStatus next) {
            job.setStatus(next);
            try {
                job = client.resources(RunaiJob.class).inNamespace(key.namespace()).resource(job).updateStatus();
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    throw new JobGoneException();
                }
                throw e;
            }
            status = job.getStatus();
        }

        private String names(List<Integer> ranks) {
            List<String> names = new ArrayList<>();
            for (int rank : ranks) {
                names.add(WorkerPods.podName(key.name(), rank));
            }
            return String.join(", ", names);
        }
    }

    static String describeFailures(List<Pod> failed) {
        List<String> parts = new ArrayList<>();
        for (Pod pod : failed) {
            parts.add(pod.getMetadata().getName() + PodFailures.summary(pod));
        }
        return "pod" + (failed.size() == 1 ? " " : "s ") + String.join(", ", parts) + " failed";
    }

    static String describeEvictions(List<Pod> evicted) {
        List<String> parts = new ArrayList<>();
        for (Pod pod : evicted) {
            parts.add(pod.getMetadata().getName() + PodFailures.summary(pod));
        }
        return "pod" + (evicted.size() == 1 ? " " : "s ") + String.join(", ", parts)
                + (evicted.size() == 1 ? " was" : " were") + " evicted";
    }

    /** An RFC 3339 time, or {@code null} when absent or unreadable (then no deadline or TTL can be derived). */
    static Instant parseTime(String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            LOG.warning("unreadable time '" + value + "' in a RunaiJob status; ignoring it");
            return null;
        }
    }
}
