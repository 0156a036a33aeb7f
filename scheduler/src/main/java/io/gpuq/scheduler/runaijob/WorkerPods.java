package io.gpuq.scheduler.runaijob;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.gpuq.api.Annotations;
import io.gpuq.api.Labels;
import io.gpuq.api.crd.RunaiJob;
import io.gpuq.api.crd.RunaiJobSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pods of a job, made from its merged template ({@link PodTemplates}). Pod {@code <job>-<index>}
 * gets:
 * <ul>
 *   <li>the template's labels plus {@code runai/job-name} and {@code runai/pod-index}, and its annotations
 *       plus the job's restart count at creation ({@link #RESTARTS_ANNOTATION});</li>
 *   <li>an owner reference to the job, so deleting the job deletes the pod;</li>
 *   <li>restart policy {@code Never} unless the template chose {@code OnFailure}, so a failed pod stays
 *       failed and the job's failure policy, not the kubelet, decides what happens next;</li>
 *   <li>for a distributed job: the gang annotations ({@code pod-group-name} = job name,
 *       {@code runai/pod-group-min-member} = replicas) unless the template sets them, host name
 *       {@code <job>-<index>} and subdomain {@code <job>} so {@code <job>-0.<job>.<ns>.svc} resolves
 *       through the headless Service, and the rendezvous environment ({@link RendezvousEnv}) on every
 *       container.</li>
 * </ul>
 * Scheduler name, resources (fractions such as {@code nvidia.com/gpu: "0.5"} included) and everything
 * else come from the template unchanged; the admission webhook rewrites fractions when the pod is
 * created.
 */
final class WorkerPods {

    static final String RESTART_NEVER = "Never";
    static final String RESTART_ON_FAILURE = "OnFailure";

    /**
     * Controller-owned pod annotation: how many failures the job had counted when the pod was made. A
     * failed pod whose number is below the job's current count belongs to a restart already counted,
     * so it is cleaned up without being counted twice.
     */
    static final String RESTARTS_ANNOTATION = "runai/job-restarts";

    private WorkerPods() {
    }

    static String podName(String job, int index) {
        return job + "-" + index;
    }

    /** Pod {@code index} of {@code job}, made after {@code restarts} counted failures. */
    static Pod build(RunaiJob job, int index, int restarts) {
        RunaiJobSpec spec = job.getSpec();
        String name = job.getMetadata().getName();
        String namespace = job.getMetadata().getNamespace();
        PodTemplateSpec template = PodTemplates.effective(spec);
        if (template == null || template.getSpec() == null) {
            throw new IllegalArgumentException("RunaiJob " + namespace + "/" + name + " has no pod template");
        }
        ObjectMeta templateMeta = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();

        Map<String, String> labels = new LinkedHashMap<>(nullToEmpty(templateMeta.getLabels()));
        labels.put(Labels.JOB_NAME, name);
        labels.put(Labels.POD_INDEX, Integer.toString(index));

        Map<String, String> annotations = new LinkedHashMap<>(nullToEmpty(templateMeta.getAnnotations()));
        annotations.put(RESTARTS_ANNOTATION, Integer.toString(restarts));

        PodSpec podSpec = template.getSpec();
        if (podSpec.getRestartPolicy() == null) {
            podSpec.setRestartPolicy(RESTART_NEVER);
        }
        if (spec.isDistributed()) {
            int replicas = spec.podCount();
            // A user's own gang settings win, as they do in the webhook; by default the job is the gang.
            annotations.putIfAbsent(Annotations.POD_GROUP_NAME, name);
            annotations.putIfAbsent(Annotations.POD_GROUP_MIN_MEMBER, Integer.toString(replicas));
            podSpec.setHostname(podName(name, index));
            podSpec.setSubdomain(name);
            RendezvousEnv env = RendezvousEnv.of(name, namespace, replicas, index);
            for (Container container : podSpec.getContainers()) {
                env.applyTo(container);
            }
        }

        ObjectMeta meta = new ObjectMeta();
        meta.setName(podName(name, index));
        meta.setNamespace(namespace);
        meta.setLabels(labels);
        meta.setAnnotations(annotations);
        meta.setOwnerReferences(List.of(Ownership.controllerReference(job)));

        Pod pod = new Pod();
        pod.setApiVersion("v1");
        pod.setKind("Pod");
        pod.setMetadata(meta);
        pod.setSpec(podSpec);
        return pod;
    }

    private static Map<String, String> nullToEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
