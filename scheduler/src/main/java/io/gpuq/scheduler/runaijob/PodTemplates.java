package io.gpuq.scheduler.runaijob;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.gpuq.api.crd.RunaiJobSpec;

import java.util.Map;

/**
 * The one pod template a job's pods are made from. A distributed job may carry two: {@code spec.template}
 * with settings for every pod (the Run:ai tutorial puts only {@code schedulerName} there) and the
 * workers' template with the containers. They are merged field by field, the workers' template winning:
 * objects (metadata labels, annotations, {@code spec}, {@code nodeSelector}, ...) merge key by key;
 * lists (containers, volumes, tolerations) and single values are taken whole from the workers' template
 * when it has them and from the common one otherwise. Merging lists element by element would guess at
 * what the user meant; whole lists keep each template readable on its own.
 */
final class PodTemplates {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private PodTemplates() {
    }

    /** The merged template of {@code spec}, or {@code null} when the spec has none at all. */
    static PodTemplateSpec effective(RunaiJobSpec spec) {
        PodTemplateSpec common = spec.getTemplate();
        if (!spec.isDistributed()) {
            return common == null ? null : copy(common);
        }
        PodTemplateSpec workers = spec.getDistributedTraining().getWorkers().getTemplate();
        if (common == null) {
            return workers == null ? null : copy(workers);
        }
        if (workers == null) {
            return copy(common);
        }
        return merge(common, workers);
    }

    /** {@code overrides} laid over {@code base}; neither argument is changed. */
    static PodTemplateSpec merge(PodTemplateSpec base, PodTemplateSpec overrides) {
        ObjectNode merged = SERIALIZATION.convertValue(base, ObjectNode.class);
        mergeInto(merged, SERIALIZATION.convertValue(overrides, ObjectNode.class));
        return SERIALIZATION.convertValue(merged, PodTemplateSpec.class);
    }

    private static PodTemplateSpec copy(PodTemplateSpec template) {
        return SERIALIZATION.clone(template);
    }

    private static void mergeInto(ObjectNode target, JsonNode overrides) {
        for (Map.Entry<String, JsonNode> field : overrides.properties()) {
            JsonNode existing = target.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue().isObject()) {
                mergeInto(existingObject, field.getValue());
            } else if (!field.getValue().isNull()) {
                target.set(field.getKey(), field.getValue().deepCopy());
            }
        }
    }
}
