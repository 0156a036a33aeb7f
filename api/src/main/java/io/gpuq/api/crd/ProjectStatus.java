package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/** What the scheduler last computed for a project, summed over its pools; written through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"fairShareGpus", "allocatedGpus", "allocatedNonPreemptibleGpus", "pendingWorkloads", "conditions"})
public class ProjectStatus {

    @JsonPropertyDescription("GPUs the project is entitled to this cycle: deserved plus its share of the surplus.")
    private Double fairShareGpus;

    @JsonPropertyDescription("GPUs allocated to the project's pods, fractions included.")
    private Double allocatedGpus;

    @JsonPropertyDescription("Part of allocatedGpus held by non-preemptible pods; never above deserved.")
    private Double allocatedNonPreemptibleGpus;

    @JsonPropertyDescription("Workloads of the project waiting to be scheduled.")
    private Integer pendingWorkloads;

    private List<Condition> conditions;

    public Double getFairShareGpus() {
        return fairShareGpus;
    }

    public void setFairShareGpus(Double fairShareGpus) {
        this.fairShareGpus = fairShareGpus;
    }

    public Double getAllocatedGpus() {
        return allocatedGpus;
    }

    public void setAllocatedGpus(Double allocatedGpus) {
        this.allocatedGpus = allocatedGpus;
    }

    public Double getAllocatedNonPreemptibleGpus() {
        return allocatedNonPreemptibleGpus;
    }

    public void setAllocatedNonPreemptibleGpus(Double allocatedNonPreemptibleGpus) {
        this.allocatedNonPreemptibleGpus = allocatedNonPreemptibleGpus;
    }

    public Integer getPendingWorkloads() {
        return pendingWorkloads;
    }

    public void setPendingWorkloads(Integer pendingWorkloads) {
        this.pendingWorkloads = pendingWorkloads;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectStatus other
                && Objects.equals(fairShareGpus, other.fairShareGpus)
                && Objects.equals(allocatedGpus, other.allocatedGpus)
                && Objects.equals(allocatedNonPreemptibleGpus, other.allocatedNonPreemptibleGpus)
                && Objects.equals(pendingWorkloads, other.pendingWorkloads)
                && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fairShareGpus, allocatedGpus, allocatedNonPreemptibleGpus, pendingWorkloads, conditions);
    }

    @Override
    public String toString() {
        return "ProjectStatus{fairShareGpus=" + fairShareGpus + ", allocatedGpus=" + allocatedGpus
                + ", allocatedNonPreemptibleGpus=" + allocatedNonPreemptibleGpus
                + ", pendingWorkloads=" + pendingWorkloads + ", conditions=" + conditions + "}";
    }
}
