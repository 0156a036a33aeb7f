package io.gpuq.api.crd;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

import java.util.Objects;

/** Marks a RunaiJob as a gang of workers; the controller wires the PyTorch rendezvous environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class DistributedTraining {

    @Required
    @JsonPropertyDescription("The workers; worker 0 is the rendezvous master.")
    private Workers workers;

    public DistributedTraining() {
    }

    public DistributedTraining(Workers workers) {
        this.workers = workers;
    }

    public Workers getWorkers() {
        return workers;
    }

    public void setWorkers(Workers workers) {
        this.workers = workers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DistributedTraining other && Objects.equals(workers, other.workers);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(workers);
    }

    @Override
    public String toString() {
        return "DistributedTraining{workers=" + workers + "}";
    }
}
