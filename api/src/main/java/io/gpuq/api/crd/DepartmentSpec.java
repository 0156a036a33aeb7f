package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * A department's quota over its projects. Fields are boxed for the same reason as in {@link ProjectSpec};
 * an absent {@code deservedGpus} in particular has a meaning of its own (the sum of its projects').
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"deservedGpus", "maxGpus", "overQuotaWeight", "priority"})
public class DepartmentSpec {

    @Min(-1)
    @JsonPropertyDescription("Guaranteed GPUs; absent = the sum of its projects' deserved GPUs, -1 = all.")
    private Double deservedGpus;

    @Min(-1)
    @JsonPropertyDescription("Ceiling on the department's total allocation over all pools; -1 or absent = none.")
    private Double maxGpus;

    @Min(0)
    @JsonPropertyDescription("Share of the surplus among departments, default 1.")
    private Double overQuotaWeight;

    @JsonPropertyDescription("Over-quota bucket among departments, default 100.")
    private Integer priority;

    public Double getDeservedGpus() {
        return deservedGpus;
    }

    public void setDeservedGpus(Double deservedGpus) {
        this.deservedGpus = deservedGpus;
    }

    public Double getMaxGpus() {
        return maxGpus;
    }

    public void setMaxGpus(Double maxGpus) {
        this.maxGpus = maxGpus;
    }

    public Double getOverQuotaWeight() {
        return overQuotaWeight;
    }

    public void setOverQuotaWeight(Double overQuotaWeight) {
        this.overQuotaWeight = overQuotaWeight;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    /** The deserved quota the department sets itself, if any; without it the projects' sum applies. */
    public OptionalDouble explicitDeservedGpus() {
        return deservedGpus == null ? OptionalDouble.empty() : OptionalDouble.of(deservedGpus);
    }

    /** The department's deserved quota given what its projects deserve (in the pool being computed). */
    public double effectiveDeservedGpus(double sumOfProjectsDeserved) {
        return deservedGpus == null ? sumOfProjectsDeserved : deservedGpus;
    }

    /** {@link Quota#UNLIMITED} when absent; test with {@link Quota#isUnlimited(double)}. */
    public double effectiveMaxGpus() {
        return maxGpus == null ? Quota.UNLIMITED : maxGpus;
    }

    public double effectiveOverQuotaWeight() {
        return overQuotaWeight == null ? Quota.DEFAULT_OVER_QUOTA_WEIGHT : overQuotaWeight;
    }

    public int effectivePriority() {
        return priority == null ? Quota.DEFAULT_PRIORITY : priority;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepartmentSpec other
                && Objects.equals(deservedGpus, other.deservedGpus)
                && Objects.equals(maxGpus, other.maxGpus)
                && Objects.equals(overQuotaWeight, other.overQuotaWeight)
                && Objects.equals(priority, other.priority);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deservedGpus, maxGpus, overQuotaWeight, priority);
    }

    @Override
    public String toString() {
        return "DepartmentSpec{deservedGpus=" + deservedGpus + ", maxGpus=" + maxGpus
                + ", overQuotaWeight=" + overQuotaWeight + ", priority=" + priority + "}";
    }
}
