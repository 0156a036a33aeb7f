package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/**
 * Kept by the RunaiJob controller. Times are RFC 3339 strings, as in every fabric8 status model, so
 * they survive the API server byte for byte.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"phase", "startTime", "completionTime", "active", "succeeded", "failed", "conditions"})
public class RunaiJobStatus {

    @JsonPropertyDescription("Pending, Running, Succeeded or Failed.")
    private RunaiJobPhase phase;

    @JsonPropertyDescription("When every pod of the job was first running (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the job reached Succeeded or Failed (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("Pods currently running.")
    private Integer active;

    @JsonPropertyDescription("Pods that completed successfully.")
    private Integer succeeded;

    @JsonPropertyDescription("Pod failures so far, compared with spec.backoffLimit.")
    private Integer failed;

    private List<Condition> conditions;

    public RunaiJobPhase getPhase() {
        return phase;
    }

    public void setPhase(RunaiJobPhase phase) {
        this.phase = phase;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public Integer getActive() {
        return active;
    }

    public void setActive(Integer active) {
        this.active = active;
    }

    public Integer getSucceeded() {
        return succeeded;
    }

    public void setSucceeded(Integer succeeded) {
        this.succeeded = succeeded;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunaiJobStatus other
                && phase == other.phase
                && Objects.equals(startTime, other.startTime)
                && Objects.equals(completionTime, other.completionTime)
                && Objects.equals(active, other.active)
                && Objects.equals(succeeded, other.succeeded)
                && Objects.equals(failed, other.failed)
                && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phase, startTime, completionTime, active, succeeded, failed, conditions);
    }

    @Override
    public String toString() {
        return "RunaiJobStatus{phase=" + phase + ", startTime=" + startTime + ", completionTime=" + completionTime
                + ", active=" + active + ", succeeded=" + succeeded + ", failed=" + failed
                + ", conditions=" + conditions + "}";
    }
}
