package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.gpuq.api.EnvVars;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PyTorch rendezvous variables of one worker of a distributed job, as PyTorch's env:// init method
 * and torchrun read them: one worker per node, so {@code NNODES = WORLD_SIZE} and
 * {@code NODE_RANK = RANK}. Rank 0 is the master, reached through the job's headless Service.
 */
record RendezvousEnv(String masterAddress, int masterPort, int worldSize, int rank) {

    static RendezvousEnv of(String job, String namespace, int replicas, int rank) {
        return new RendezvousEnv(WorkerPods.podName(job, 0) + "." + job + "." + namespace + ".svc",
                EnvVars.DEFAULT_MASTER_PORT, replicas, rank);
    }

    List<EnvVar> variables() {
        return List.of(
                new EnvVar(EnvVars.MASTER_ADDR, masterAddress, null),
                new EnvVar(EnvVars.MASTER_PORT, Integer.toString(masterPort), null),
                new EnvVar(EnvVars.WORLD_SIZE, Integer.toString(worldSize), null),
                new EnvVar(EnvVars.RANK, Integer.toString(rank), null),
                new EnvVar(EnvVars.NNODES, Integer.toString(worldSize), null),
                new EnvVar(EnvVars.NODE_RANK, Integer.toString(rank), null));
    }

    /**
     * Appends the variables {@code container} does not set itself. A variable the user set keeps the
     * user's value: a script that pins {@code MASTER_PORT} knows something we do not. Appending a second
     * entry of the same name is no way to defer, because Kubernetes lets the last entry win.
     */
    void applyTo(Container container) {
        List<EnvVar> env = container.getEnv() == null ? new ArrayList<>() : new ArrayList<>(container.getEnv());
        Set<String> present = new HashSet<>();
        for (EnvVar v : env) {
            present.add(v.getName());
        }
        for (EnvVar v : variables()) {
            if (!present.contains(v.getName())) {
                env.add(v);
            }
        }
        container.setEnv(env);
    }
}
