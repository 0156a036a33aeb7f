package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Condition;
import io.gpuq.api.crd.RunaiJobPhase;
import io.gpuq.api.crd.RunaiJobStatus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The statuses the controller writes. Phase follows the pods: Pending until every pod runs, Running,
 * Succeeded once every pod succeeded; Failed is set by the failure policy. Conditions:
 * <ul>
 *   <li>{@code Running}: True while every pod runs; otherwise False with a reason ({@code WaitingForPods},
 *       {@code Restarting}, {@code InvalidSpec}, {@code Completed}, or the failure reason);</li>
 *   <li>{@code Complete}: True once the job succeeded;</li>
 *   <li>{@code Failed}: True once the job failed, with {@code BackoffLimitExceeded} or
 *       {@code DeadlineExceeded}.</li>
 * </ul>
 * A condition keeps its transition time while its status stays the same, as Kubernetes conditions do.
 * Times are RFC 3339 in whole seconds, the precision the API server stores.
 */
final class JobStatuses {

    static final String RUNNING = "Running";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";

    static final String REASON_ALL_RUNNING = "AllPodsRunning";
    static final String REASON_WAITING = "WaitingForPods";
    static final String REASON_RESTARTING = "Restarting";
    static final String REASON_INVALID_SPEC = "InvalidSpec";
    static final String REASON_COMPLETED = "Completed";
    static final String REASON_BACKOFF_LIMIT = "BackoffLimitExceeded";
    static final String REASON_DEADLINE = "DeadlineExceeded";

    private JobStatuses() {
    }

    static String timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** The status {@code pods} show, for a job that has not finished. */
    static RunaiJobStatus observed(RunaiJobStatus previous, JobPods pods, int restarts, Instant now, Long generation) {
        RunaiJobStatus next = copy(previous);
        int replicas = pods.replicas();
        int running = pods.count(PodFate.RUNNING);
        int succeeded = pods.count(PodFate.SUCCEEDED);
        next.setActive(running);
        next.setSucceeded(succeeded);
        next.setFailed(restarts);
        String time = timestamp(now);
        if (succeeded == replicas) {
            next.setPhase(RunaiJobPhase.SUCCEEDED);
            if (next.getStartTime() == null) {
                next.setStartTime(time);
            }
            next.setCompletionTime(time);
            setCondition(next, RUNNING, false, REASON_COMPLETED, "all " + replicas + " pods succeeded", now, generation);
            setCondition(next, COMPLETE, true, REASON_COMPLETED, "all " + replicas + " pods succeeded", now, generation);
        } else if (running > 0 && running + succeeded == replicas) {
            next.setPhase(RunaiJobPhase.RUNNING);
            if (next.getStartTime() == null) {
                next.setStartTime(time);
            }
            setCondition(next, RUNNING, true, REASON_ALL_RUNNING, running + "/" + replicas + " pods running"
                    + (succeeded > 0 ? ", " + succeeded + " succeeded" : ""), now, generation);
        } else {
            next.setPhase(RunaiJobPhase.PENDING);
            // After a restart the condition keeps saying why until every pod runs again.
            if (isRestarting(previous)) {
                Condition restart = condition(previous, RUNNING);
                setCondition(next, RUNNING, false, REASON_RESTARTING, restart.getMessage(), now, generation);
            } else {
                setCondition(next, RUNNING, false, REASON_WAITING, running + "/" + replicas
                        + " pods running; waiting for the rest to be scheduled and started", now, generation);
            }
        }
        return next;
    }

    /** A restart was decided: the job goes back to Pending with its new failure count. */
    static RunaiJobStatus restarting(RunaiJobStatus previous, int restarts, String message, Instant now, Long generation) {
        RunaiJobStatus next = copy(previous);
        next.setPhase(RunaiJobPhase.PENDING);
        next.setActive(0);
        next.setFailed(restarts);
        setCondition(next, RUNNING, false, REASON_RESTARTING, message, now, generation);
        return next;
    }

    /** The job failed for good. */
    static RunaiJobStatus failed(RunaiJobStatus previous, int restarts, String reason, String message, Instant now,
                                 Long generation) {
        RunaiJobStatus next = copy(previous);
        next.setPhase(RunaiJobPhase.FAILED);
        next.setActive(0);
        next.setFailed(restarts);
        next.setCompletionTime(timestamp(now));
        setCondition(next, RUNNING, false, reason, message, now, generation);
        setCondition(next, FAILED, true, reason, message, now, generation);
        return next;
    }

    /** The spec cannot run; nothing is created until it is fixed. */
    static RunaiJobStatus invalid(RunaiJobStatus previous, String message, Instant now, Long generation) {
        RunaiJobStatus next = copy(previous);
        next.setPhase(RunaiJobPhase.PENDING);
        setCondition(next, RUNNING, false, REASON_INVALID_SPEC, message, now, generation);
        return next;
    }

    static Condition condition(RunaiJobStatus status, String type) {
        if (status == null || status.getConditions() == null) {
            return null;
        }
        for (Condition c : status.getConditions()) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }

    private static boolean isRestarting(RunaiJobStatus status) {
        Condition running = condition(status, RUNNING);
        return running != null && REASON_RESTARTING.equals(running.getReason());
    }

    private static void setCondition(RunaiJobStatus status, String type, boolean value, String reason, String message,
                                     Instant now, Long generation) {
        List<Condition> conditions = status.getConditions() == null ? new ArrayList<>() : new ArrayList<>(status.getConditions());
        String text = value ? "True" : "False";
        Condition updated = new Condition(timestamp(now), message, generation, reason, text, type);
        boolean replaced = false;
        for (int i = 0; i < conditions.size(); i++) {
            Condition existing = conditions.get(i);
            if (type.equals(existing.getType())) {
                if (text.equals(existing.getStatus()) && existing.getLastTransitionTime() != null) {
                    updated.setLastTransitionTime(existing.getLastTransitionTime());
                }
                conditions.set(i, updated);
                replaced = true;
                break;
            }
        }
        if (!replaced) {
            conditions.add(updated);
        }
        status.setConditions(conditions);
    }

    private static RunaiJobStatus copy(RunaiJobStatus previous) {
        RunaiJobStatus next = new RunaiJobStatus();
        if (previous != null) {
            next.setPhase(previous.getPhase());
            next.setStartTime(previous.getStartTime());
            next.setCompletionTime(previous.getCompletionTime());
            next.setActive(previous.getActive());
            next.setSucceeded(previous.getSucceeded());
            next.setFailed(previous.getFailed());
            if (previous.getConditions() != null) {
                List<Condition> conditions = new ArrayList<>();
                for (Condition c : previous.getConditions()) {
                    conditions.add(new Condition(c.getLastTransitionTime(), c.getMessage(), c.getObservedGeneration(),
                            c.getReason(), c.getStatus(), c.getType()));
                }
                next.setConditions(conditions);
            }
        }
        return next;
    }
}
