package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;

import java.util.Objects;

/**
 * What a RunaiJob runs. A single-pod job has only {@code template}; a distributed one has
 * {@code distributedTraining.workers}, and may keep {@code template} for settings meant for every pod
 * (the Run:ai tutorial puts {@code schedulerName} there). The failure fields follow Kubernetes Job,
 * whose semantics users already know.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"template", "distributedTraining", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"})
public class RunaiJobSpec {

    /** Kubernetes Job's default number of retries before the job is failed. */
    public static final int DEFAULT_BACKOFF_LIMIT = 6;

    /*
     * Published as an opaque object rather than the full pod schema: two embedded pod schemas make the
     * CRD larger than the 256 KiB that client-side "kubectl apply" can store. The API server validates
     * the pods when the controller creates them.
     */
    @JsonPropertyDescription("Pod template of a single-pod job, or common settings for every worker of a distributed one.")
    @PreserveUnknownFields
    @SchemaFrom(type = ObjectNode.class)
    private PodTemplateSpec template;

    @JsonPropertyDescription("Makes the job a gang of workers started all-or-nothing.")
    private DistributedTraining distributedTraining;

    @Min(0)
    @JsonPropertyDescription("Pod failures (summed over workers) tolerated before the job is Failed; default 6.")
    private Integer backoffLimit;

    @Min(1)
    @JsonPropertyDescription("Seconds after the job started running before it is Failed and its pods deleted.")
    private Long activeDeadlineSeconds;

    @Min(0)
    @JsonPropertyDescription("Seconds after the job finished before it is deleted; absent = kept.")
    private Integer ttlSecondsAfterFinished;

    public PodTemplateSpec getTemplate() {
        return template;
    }

    public void setTemplate(PodTemplateSpec template) {
        this.template = template;
    }

    public DistributedTraining getDistributedTraining() {
        return distributedTraining;
    }

    public void setDistributedTraining(DistributedTraining distributedTraining) {
        this.distributedTraining = distributedTraining;
    }

    public Integer getBackoffLimit() {
        return backoffLimit;
    }

    public void setBackoffLimit(Integer backoffLimit) {
        this.backoffLimit = backoffLimit;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Integer getTtlSecondsAfterFinished() {
        return ttlSecondsAfterFinished;
    }

    public void setTtlSecondsAfterFinished(Integer ttlSecondsAfterFinished) {
        this.ttlSecondsAfterFinished = ttlSecondsAfterFinished;
    }

    /** True when the job has a worker block, whatever {@code template} holds. */
    public boolean isDistributed() {
        return distributedTraining != null && distributedTraining.getWorkers() != null;
    }

    /** Pods the job consists of: the worker count when distributed, else one. */
    public int podCount() {
        return isDistributed() ? distributedTraining.getWorkers().effectiveReplicas() : 1;
    }

    /**
     * The template the job's pods are made from: the workers' when distributed, else {@code template}.
     * Merging the common {@code template} into the workers' is the controller's business.
     */
    public PodTemplateSpec podTemplate() {
        return isDistributed() ? distributedTraining.getWorkers().getTemplate() : template;
    }

    public int effectiveBackoffLimit() {
        return backoffLimit == null ? DEFAULT_BACKOFF_LIMIT : backoffLimit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunaiJobSpec other
                && Objects.equals(template, other.template)
                && Objects.equals(distributedTraining, other.distributedTraining)
                && Objects.equals(backoffLimit, other.backoffLimit)
                && Objects.equals(activeDeadlineSeconds, other.activeDeadlineSeconds)
                && Objects.equals(ttlSecondsAfterFinished, other.ttlSecondsAfterFinished);
    }

    @Override
    public int hashCode() {
        return Objects.hash(template, distributedTraining, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished);
    }

    @Override
    public String toString() {
        return "RunaiJobSpec{template=" + template + ", distributedTraining=" + distributedTraining
                + ", backoffLimit=" + backoffLimit + ", activeDeadlineSeconds=" + activeDeadlineSeconds
                + ", ttlSecondsAfterFinished=" + ttlSecondsAfterFinished + "}";
    }
}
