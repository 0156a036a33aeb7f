package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What must hold before a job's pods can be made. The API server would reject most of these pods
 * anyway; checking first turns a stream of failed creations into one condition that says what is
 * wrong and what is allowed.
 */
final class JobValidation {

    /** Label values (the job name is one, in {@code runai/job-name}) and host names are at most 63 characters. */
    static final int MAX_LABEL_LENGTH = 63;

    /** A Service name, and so the subdomain of a distributed job's pods: RFC 1035 label. */
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private JobValidation() {
    }

    /** The problems of {@code job}, each a sentence a user can act on; empty when the job can run. */
    static List<String> problems(RunaiJob job) {
        List<String> problems = new ArrayList<>();
        String name = job.getMetadata().getName();
        RunaiJobSpec spec = job.getSpec();
        if (name.length() > MAX_LABEL_LENGTH) {
            problems.add("metadata.name is " + name.length() + " characters; at most " + MAX_LABEL_LENGTH
                    + " are allowed because pods carry it in the runai/job-name label");
        }
        if (spec.isDistributed()) {
            Integer replicas = spec.getDistributedTraining().getWorkers().getReplicas();
            if (replicas != null && replicas < 1) {
                problems.add("spec.distributedTraining.workers.replicas is " + replicas + "; it must be at least 1");
            }
            if (!DNS_1035_LABEL.matcher(name).matches()) {
                problems.add("metadata.name '" + name + "' cannot name the job's headless Service: a distributed job's"
                        + " name must be lower-case letters, digits and '-', start with a letter and end with a letter or digit");
            }
            String lastHost = WorkerPods.podName(name, Math.max(0, spec.podCount() - 1));
            if (lastHost.length() > MAX_LABEL_LENGTH) {
                problems.add("worker host name '" + lastHost + "' is " + lastHost.length() + " characters; at most "
                        + MAX_LABEL_LENGTH + " are allowed, so shorten metadata.name");
            }
        }
        if (spec.getBackoffLimit() != null && spec.getBackoffLimit() < 0) {
            problems.add("spec.backoffLimit is " + spec.getBackoffLimit() + "; it must be 0 or more");
        }
        if (spec.getActiveDeadlineSeconds() != null && spec.getActiveDeadlineSeconds() < 1) {
            problems.add("spec.activeDeadlineSeconds is " + spec.getActiveDeadlineSeconds() + "; it must be 1 or more");
        }
        if (spec.getTtlSecondsAfterFinished() != null && spec.getTtlSecondsAfterFinished() < 0) {
            problems.add("spec.ttlSecondsAfterFinished is " + spec.getTtlSecondsAfterFinished() + "; it must be 0 or more");
        }
        PodTemplateSpec template = PodTemplates.effective(spec);
        String where = spec.isDistributed() ? "spec.distributedTraining.workers.template" : "spec.template";
        if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null
                || template.getSpec().getContainers().isEmpty()) {
            problems.add(where + ".spec.containers is empty; a job needs at least one container"
                    + (spec.isDistributed() ? " (in the workers' template or in spec.template)" : ""));
        } else {
            String restartPolicy = template.getSpec().getRestartPolicy();
            if (restartPolicy != null && !WorkerPods.RESTART_NEVER.equals(restartPolicy)
                    && !WorkerPods.RESTART_ON_FAILURE.equals(restartPolicy)) {
                problems.add(where + ".spec.restartPolicy is '" + restartPolicy + "'; a job's pods must be able to finish,"
                        + " so only Never (the default) and OnFailure are allowed");
            }
        }
        return problems;
    }
}
