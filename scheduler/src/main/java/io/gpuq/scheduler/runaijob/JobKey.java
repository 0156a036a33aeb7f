package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Identifies a RunaiJob in the work queue and in logs: {@code namespace/name}. */
record JobKey(String namespace, String name) {

    static JobKey of(HasMetadata job) {
        return new JobKey(job.getMetadata().getNamespace(), job.getMetadata().getName());
    }

    /** The informer cache key of the job (and of its headless Service, which has the job's name). */
    String cacheKey() {
        return namespace + "/" + name;
    }

    @Override
    public String toString() {
        return cacheKey();
    }
}
