package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.gpuq.api.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A project's quota. Every field is optional and boxed, so that "not set" survives a round trip through
 * the API server and stays distinguishable from an explicit 0 (a weight of 0 and an absent weight mean
 * different things). Readers that want the documented defaults use the {@code effective*} methods.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"deservedGpus", "overQuotaWeight", "maxGpus", "priority", "department", "namespace", "nodePools"})
public class ProjectSpec {

    @Min(-1)
    @JsonPropertyDescription("Guaranteed GPUs (fractions allowed); -1 = all. Without nodePools it is the quota in the 'default' pool.")
    private Double deservedGpus;

    @Min(0)
    @JsonPropertyDescription("Share of the surplus in fair share, default 1; 0 = no surplus share (may still borrow idle capacity, first to give it back).")
    private Double overQuotaWeight;

    @Min(-1)
    @JsonPropertyDescription("Hard limit on the project's allocation; -1 or absent = unlimited.")
    private Double maxGpus;

    @JsonPropertyDescription("Over-quota bucket, default 100; higher buckets are served surplus first.")
    private Integer priority;

    @JsonPropertyDescription("Department name; absent = the implicit 'default' department, which is unlimited.")
    private String department;

    @JsonPropertyDescription("Namespace whose pods belong to this project; default = the project's name.")
    private String namespace;

    @JsonPropertyDescription("Per-pool quotas; absent = the project uses the 'default' pool only, with deservedGpus there.")
    private List<NodePoolQuota> nodePools;

    public Double getDeservedGpus() {
        return deservedGpus;
    }

    public void setDeservedGpus(Double deservedGpus) {
        this.deservedGpus = deservedGpus;
    }

    public Double getOverQuotaWeight() {
        return overQuotaWeight;
    }

    public void setOverQuotaWeight(Double overQuotaWeight) {
        this.overQuotaWeight = overQuotaWeight;
    }

    public Double getMaxGpus() {
        return maxGpus;
    }

    public void setMaxGpus(Double maxGpus) {
        this.maxGpus = maxGpus;
    }

    public Integer getPriority() {
        return priority;
    }

    public void setPriority(Integer priority) {
        this.priority = priority;
    }

    public String getDepartment() {
        return department;
    }

    public void setDepartment(String department) {
        this.department = department;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public List<NodePoolQuota> getNodePools() {
        return nodePools;
    }

    public void setNodePools(List<NodePoolQuota> nodePools) {
        this.nodePools = nodePools;
    }

    /** Absent deserved quota guarantees nothing; {@link Quota#ALL} is passed through for the caller to resolve. */
    public double effectiveDeservedGpus() {
        return deservedGpus == null ? 0 : deservedGpus;
    }

    public double effectiveOverQuotaWeight() {
        return overQuotaWeight == null ? Quota.DEFAULT_OVER_QUOTA_WEIGHT : overQuotaWeight;
    }

    /** {@link Quota#UNLIMITED} when absent; test with {@link Quota#isUnlimited(double)}. */
    public double effectiveMaxGpus() {
        return maxGpus == null ? Quota.UNLIMITED : maxGpus;
    }

    public int effectivePriority() {
        return priority == null ? Quota.DEFAULT_PRIORITY : priority;
    }

    public String effectiveDepartment() {
        return department == null || department.isBlank() ? Names.DEFAULT_DEPARTMENT : department;
    }

    /**
     * The pools the project may use with its quota in each: the listed ones, or, when none are listed,
     * the {@code default} pool holding {@link #effectiveDeservedGpus()}. Never empty, unmodifiable.
     */
    public List<NodePoolQuota> effectiveNodePools() {
        if (nodePools == null || nodePools.isEmpty()) {
            return List.of(new NodePoolQuota(Names.DEFAULT_NODE_POOL, effectiveDeservedGpus()));
        }
        List<NodePoolQuota> copy = new ArrayList<>(nodePools.size());
        for (NodePoolQuota pool : nodePools) {
            copy.add(new NodePoolQuota(pool.getName(), pool.getDeservedGpus()));
        }
        return List.copyOf(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProjectSpec other
                && Objects.equals(deservedGpus, other.deservedGpus)
                && Objects.equals(overQuotaWeight, other.overQuotaWeight)
                && Objects.equals(maxGpus, other.maxGpus)
                && Objects.equals(priority, other.priority)
                && Objects.equals(department, other.department)
                && Objects.equals(namespace, other.namespace)
                && Objects.equals(nodePools, other.nodePools);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deservedGpus, overQuotaWeight, maxGpus, priority, department, namespace, nodePools);
    }

    @Override
    public String toString() {
        return "ProjectSpec{deservedGpus=" + deservedGpus + ", overQuotaWeight=" + overQuotaWeight
                + ", maxGpus=" + maxGpus + ", priority=" + priority + ", department=" + department
                + ", namespace=" + namespace + ", nodePools=" + nodePools + "}";
    }
}
