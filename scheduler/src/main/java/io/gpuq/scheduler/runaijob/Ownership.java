package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.gpuq.api.Names;
import io.gpuq.api.crd.RunaiJob;

/**
 * Owner references from a job's pods and Service to the job. With {@code controller: true} the garbage
 * collector deletes them when the job goes, and {@code blockOwnerDeletion} lets a foreground deletion
 * of the job wait for them.
 */
final class Ownership {

    static final String KIND = "RunaiJob";

    private Ownership() {
    }

    static OwnerReference controllerReference(RunaiJob job) {
        return new OwnerReferenceBuilder()
                .withApiVersion(Names.API_GROUP_VERSION)
                .withKind(KIND)
                .withName(job.getMetadata().getName())
                .withUid(job.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    /** True when {@code object}'s controlling owner is the job with {@code uid}. */
    static boolean isControlledBy(HasMetadata object, String uid) {
        if (object.getMetadata() == null || object.getMetadata().getOwnerReferences() == null || uid == null) {
            return false;
        }
        for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return KIND.equals(ref.getKind()) && uid.equals(ref.getUid());
            }
        }
        return false;
    }
}
