package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Condition;

import java.util.List;
import java.util.Objects;

/** What the scheduler last computed for a department, summed over pools; written through the status subresource. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"deservedGpus", "fairShareGpus", "allocatedGpus", "allocatedNonPreemptibleGpus",
        "pendingWorkloads", "conditions"})
public class DepartmentStatus {

    @JsonPropertyDescription("Deserved GPUs in effect: spec.deservedGpus, or the sum of the projects' when it is absent.")
    private Double deservedGpus;

    @JsonPropertyDescription("GPUs the department is entitled to this cycle.")
    private Double fairShareGpus;

    @JsonPropertyDescription("GPUs allocated to the department's projects.")
    private Double allocatedGpus;

    @JsonPropertyDescription("Part of allocatedGpus held by non-preemptible pods.")
    private Double allocatedNonPreemptibleGpus;

    @JsonPropertyDescription("Workloads of the department's projects waiting to be scheduled.")
    private Integer pendingWorkloads;

    private List<Condition> conditions;

    public Double getDeservedGpus() {
        return deservedGpus;
    }

    public void setDeservedGpus(Double deservedGpus) {
        this.deservedGpus = deservedGpus;
    }

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
        return o instanceof DepartmentStatus other
                && Objects.equals(deservedGpus, other.deservedGpus)
                && Objects.equals(fairShareGpus, other.fairShareGpus)
                && Objects.equals(allocatedGpus, other.allocatedGpus)
                && Objects.equals(allocatedNonPreemptibleGpus, other.allocatedNonPreemptibleGpus)
                && Objects.equals(pendingWorkloads, other.pendingWorkloads)
                && Objects.equals(conditions, other.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deservedGpus, fairShareGpus, allocatedGpus, allocatedNonPreemptibleGpus,
                pendingWorkloads, conditions);
    }

    @Override
    public String toString() {
        return "DepartmentStatus{deservedGpus=" + deservedGpus + ", fairShareGpus=" + fairShareGpus
                + ", allocatedGpus=" + allocatedGpus + ", allocatedNonPreemptibleGpus=" + allocatedNonPreemptibleGpus
                + ", pendingWorkloads=" + pendingWorkloads + ", conditions=" + conditions + "}";
    }
}
