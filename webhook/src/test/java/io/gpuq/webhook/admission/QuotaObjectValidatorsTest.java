package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /validate-run-ai-v1-project} and {@code /validate-run-ai-v1-department}. */
class QuotaObjectValidatorsTest {

    private final InMemoryClusterView cluster = TestQuotas.seedCluster();
    private final AdmissionService service = Reviews.service(cluster);

    private AdmissionOutcome project(String yaml) {
        return submit(AdmissionEndpoint.VALIDATE_PROJECT, "Project", "projects", yaml);
    }

    private AdmissionOutcome department(String yaml) {
        return submit(AdmissionEndpoint.VALIDATE_DEPARTMENT, "Department", "departments", yaml);
    }

    private AdmissionOutcome submit(AdmissionEndpoint endpoint, String kind, String resource, String yaml) {
        JsonNode object = Reviews.yaml(yaml);
        String namespace = object.at("/metadata/namespace").asText("runai");
        ObjectNode review = Reviews.review("CREATE", object, null, namespace, "admin", kind, "run.ai", resource);
        AdmissionOutcome outcome = service.review(endpoint, review);
        MutationChecks.assertWellFormed(review, outcome);
        return outcome;
    }

    private static void assertDenied(AdmissionOutcome outcome, String message) {
        assertThat(outcome.allowed()).isFalse();
        assertThat(Reviews.message(outcome)).isEqualTo(message);
    }

    @Nested
    class Projects {

        @Test
        void theSeedProjectsAreAccepted() {
            cluster.project(TestQuotas.project("placeholder", 0));
            AdmissionOutcome training = project("""
                    apiVersion: run.ai/v1
                    kind: Project
                    metadata:
                      name: team-training
                      namespace: runai
                    spec:
                      deservedGpus: 8
                      overQuotaWeight: 3
                    """);
            AdmissionOutcome inference = project("""
                    apiVersion: run.ai/v1
                    kind: Project
                    metadata:
                      name: team-inference
                      namespace: runai
                    spec:
                      deservedGpus: 4
                      overQuotaWeight: 1
                      nodePools:
                        - name: inference-pool
                          deservedGpus: 4
                    """);
            assertThat(training.allowed()).isTrue();
            assertThat(inference.allowed()).isTrue();
            assertThat(Reviews.warnings(inference)).isEmpty();
        }

        @Test
        void negativeQuotasOtherThanTheSentinelAreDenied() {
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: -2, maxGpus: -0.5, overQuotaWeight: -1}
                    """), "spec.deservedGpus -2 is not allowed: use 0 or more GPUs (fractions allowed), or -1 for"
                    + " \"all\"; spec.maxGpus -0.5 is not allowed: use 0 or more GPUs, or -1 (or leave it out) for"
                    + " unlimited; spec.overQuotaWeight -1 is not allowed: use 0 or more (0 = no share of the surplus;"
                    + " default 1)");
        }

        @Test
        void theSentinelsAreAccepted() {
            assertThat(project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: -1, maxGpus: -1, overQuotaWeight: 0}
                    """).allowed()).isTrue();
        }

        @Test
        void anUnknownDepartmentIsDenied() {
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: 1, department: research}
                    """), "spec.department \"research\" does not exist: create Department \"research\" in namespace"
                    + " \"runai\" first, or leave spec.department out to use the default department");
        }

        @Test
        void aPoolListedTwiceIsDenied() {
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec:
                      nodePools:
                        - {name: inference-pool, deservedGpus: 1}
                        - {name: inference-pool, deservedGpus: 2}
                    """), "spec.nodePools names pool \"inference-pool\" more than once: list each pool once with"
                    + " its deservedGpus");
        }

        @Test
        void deservedAboveMaxIsDenied() {
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: 8, maxGpus: 4}
                    """), "spec.deservedGpus 8 is above spec.maxGpus 4: a queue cannot be guaranteed more than it may"
                    + " use; lower the deserved quota or raise maxGpus");
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec:
                      maxGpus: 4
                      nodePools: [{name: default, deservedGpus: 3}, {name: inference-pool, deservedGpus: 2}]
                    """), "the sum of spec.nodePools[].deservedGpus 5 is above spec.maxGpus 4: a queue cannot be"
                    + " guaranteed more than it may use; lower the deserved quota or raise maxGpus");
        }

        @Test
        void aNamespaceOfAnotherProjectIsDenied() {
            assertDenied(project("""
                    metadata: {name: inference-v2, namespace: runai}
                    spec: {deservedGpus: 1, namespace: team-inference}
                    """), "namespace \"team-inference\" already belongs to Project \"team-inference\": each namespace"
                    + " maps to one project; set spec.namespace to another namespace, or change Project \"team-inference\"");
            assertDenied(project("""
                    metadata: {name: team-research, namespace: runai}
                    spec: {deservedGpus: 1, namespace: team-training}
                    """), "namespace \"team-training\" already belongs to Project \"team-training\": each namespace"
                    + " maps to one project; set spec.namespace to another namespace, or change Project \"team-training\"");
        }

        @Test
        void updatingAProjectIsNotAConflictWithItself() {
            assertThat(project("""
                    metadata: {name: team-inference, namespace: runai}
                    spec: {deservedGpus: 6, nodePools: [{name: inference-pool, deservedGpus: 6}]}
                    """).allowed()).isTrue();
        }

        @Test
        void projectsOutsideTheSystemNamespaceAreDenied() {
            assertDenied(project("""
                    metadata: {name: p, namespace: team-a}
                    spec: {deservedGpus: 1}
                    """), "Projects live in namespace \"runai\", where gpuq reads them; this Project is in \"team-a\":"
                    + " create it in \"runai\" and point spec.namespace at the namespace of its pods");
        }

        @Test
        void wrongTypesAreNamedByField() {
            assertDenied(project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: "four", priority: 1.5}
                    """), "spec.deservedGpus must be a number, got \"four\"; spec.priority must be a whole number"
                    + " (the over-quota bucket, default 100), got 1.5");
        }

        @Test
        void surprisingButValidQuotasAreWarnedAbout() {
            AdmissionOutcome outcome = project("""
                    metadata: {name: p, namespace: runai}
                    spec: {deservedGpus: 3, nodePools: [{name: h200-pool, deservedGpus: 2}]}
                    """);
            assertThat(outcome.allowed()).isTrue();
            assertThat(Reviews.warnings(outcome)).containsExactly(
                    "node pool \"h200-pool\" has no nodes yet; the project's quota there is unusable until nodes are"
                            + " labelled runai/node-pool=h200-pool",
                    "spec.deservedGpus 3 differs from the sum of spec.nodePools[].deservedGpus (2); the per-pool"
                            + " quotas apply");
        }
    }

    @Nested
    class Departments {

        @Test
        void theSeedDepartmentIsAccepted() {
            assertThat(department("""
                    apiVersion: run.ai/v1
                    kind: Department
                    metadata: {name: ml, namespace: runai}
                    spec:
                      deservedGpus: 16
                      maxGpus: 24
                      overQuotaWeight: 1
                      priority: 100
                    """).allowed()).isTrue();
        }

        @Test
        void negativeQuotasAndDeservedAboveMaxAreDenied() {
            assertDenied(department("""
                    metadata: {name: ml, namespace: runai}
                    spec: {deservedGpus: -3, overQuotaWeight: -2}
                    """), "spec.deservedGpus -3 is not allowed: use 0 or more GPUs (fractions allowed), or -1 for"
                    + " \"all\"; spec.overQuotaWeight -2 is not allowed: use 0 or more (0 = no share of the surplus;"
                    + " default 1)");
            assertDenied(department("""
                    metadata: {name: ml, namespace: runai}
                    spec: {deservedGpus: 30, maxGpus: 24}
                    """), "spec.deservedGpus 30 is above spec.maxGpus 24: a queue cannot be guaranteed more than it"
                    + " may use; lower the deserved quota or raise maxGpus");
        }

        @Test
        void departmentsOutsideTheSystemNamespaceAreDenied() {
            assertDenied(department("""
                    metadata: {name: ml, namespace: default}
                    spec: {}
                    """), "Departments live in namespace \"runai\", where gpuq reads them; this Department is in"
                    + " \"default\": create it in \"runai\"");
        }
    }
}
