package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.gpuq.api.EnvVars;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;

import java.util.Map;

/**
 * The headless Service {@code <job>} of a distributed job. With the workers' host names and subdomain
 * it gives every worker the DNS name {@code <job>-<index>.<job>.<ns>.svc}, which is what
 * {@code MASTER_ADDR} points at.
 */
final class HeadlessService {

    static final String PORT_NAME = "rendezvous";

    private HeadlessService() {
    }

    static Service build(RunaiJob job) {
        String name = job.getMetadata().getName();
        return new ServiceBuilder()
                .withNewMetadata()
                    .withName(name)
                    .withNamespace(job.getMetadata().getNamespace())
                    .withLabels(Map.of(Labels.JOB_NAME, name))
                    .withOwnerReferences(Ownership.controllerReference(job))
                .endMetadata()
                .withNewSpec()
                    .withClusterIP("None")
                    .withSelector(Map.of(Labels.JOB_NAME, name))
                    // Workers resolve the master while it starts, before any readiness probe passes;
                    // without this the name would not exist until rank 0 is ready, and rendezvous would fail.
                    .withPublishNotReadyAddresses(true)
                    .addNewPort()
                        .withName(PORT_NAME)
                        .withProtocol("TCP")
                        .withPort(EnvVars.DEFAULT_MASTER_PORT)
                        .withTargetPort(new IntOrString(EnvVars.DEFAULT_MASTER_PORT))
                    .endPort()
                .endSpec()
                .build();
    }
}
