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

/** The worker gang of a distributed RunaiJob: {@code replicas} pods from one template, scheduled all-or-nothing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"replicas", "template"})
public class Workers {

    @Min(1)
    @JsonPropertyDescription("Number of worker pods (WORLD_SIZE), default 1.")
    private Integer replicas;

    /*
     * Published as an opaque object rather than the full pod schema: two embedded pod schemas make the
     * CRD larger than the 256 KiB that client-side "kubectl apply" can store. The API server validates
     * the pods when the controller creates them.
     */
    @JsonPropertyDescription("Pod template of every worker.")
    @PreserveUnknownFields
    @SchemaFrom(type = ObjectNode.class)
    private PodTemplateSpec template;

    public Workers() {
    }

    public Workers(Integer replicas, PodTemplateSpec template) {
        this.replicas = replicas;
        this.template = template;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public PodTemplateSpec getTemplate() {
        return template;
    }

    public void setTemplate(PodTemplateSpec template) {
        this.template = template;
    }

    /** A worker block without a count still describes one worker. */
    public int effectiveReplicas() {
        return replicas == null ? 1 : replicas;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Workers other
                && Objects.equals(replicas, other.replicas)
                && Objects.equals(template, other.template);
    }

    @Override
    public int hashCode() {
        return Objects.hash(replicas, template);
    }

    @Override
    public String toString() {
        return "Workers{replicas=" + replicas + ", template=" + template + "}";
    }
}
