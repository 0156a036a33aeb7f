package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

import java.util.Objects;

/** A project's guaranteed GPUs in one node pool; a project can use only the pools it lists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "deservedGpus"})
public class NodePoolQuota {

    @Required
    @JsonPropertyDescription("Node pool name, the value of the runai/node-pool node label ('default' for unlabelled nodes).")
    private String name;

    @Min(-1)
    @JsonPropertyDescription("Guaranteed GPUs in this pool; fractions allowed, -1 = all.")
    private Double deservedGpus;

    public NodePoolQuota() {
    }

    public NodePoolQuota(String name, Double deservedGpus) {
        this.name = name;
        this.deservedGpus = deservedGpus;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public Double getDeservedGpus() {
        return deservedGpus;
    }

    public void setDeservedGpus(Double deservedGpus) {
        this.deservedGpus = deservedGpus;
    }

    /** An entry that names a pool without a quota still grants access to the pool, with nothing guaranteed. */
    public double effectiveDeservedGpus() {
        return deservedGpus == null ? 0 : deservedGpus;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodePoolQuota other
                && Objects.equals(name, other.name)
                && Objects.equals(deservedGpus, other.deservedGpus);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, deservedGpus);
    }

    @Override
    public String toString() {
        return "NodePoolQuota{name=" + name + ", deservedGpus=" + deservedGpus + "}";
    }
}
