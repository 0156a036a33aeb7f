package io.gpuq.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpuq.api.Names;
import io.gpuq.webhook.ClusterView;
import io.gpuq.webhook.WebhookSettings;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Answers the four admission endpoints of DESIGN §3.3. Stateless apart from its collaborators: the
 * settings are read once per review, so a reload applies from the next review on and never halfway
 * through one, and the cluster is read only through the informer-backed {@link ClusterView}.
 */
public final class AdmissionService implements AdmissionReviewer {

    private final ClusterView view;
    private final Supplier<WebhookSettings> settings;
    private final PodMutator mutator = new PodMutator();
    private final PodValidator podValidator = new PodValidator();
    private final ProjectValidator projectValidator;
    private final DepartmentValidator departmentValidator = new DepartmentValidator();

    public AdmissionService(ClusterView view, Supplier<WebhookSettings> settings) {
        this.view = Objects.requireNonNull(view, "view");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.projectValidator = new ProjectValidator(view);
    }

    @Override
    public AdmissionOutcome review(AdmissionEndpoint endpoint, JsonNode review) {
        Objects.requireNonNull(endpoint, "endpoint");
        ReviewRequest request = ReviewRequest.parse(review);
        WebhookSettings current = Objects.requireNonNull(settings.get(), "settings");
        Verdict verdict = switch (endpoint) {
            case MUTATE_POD -> mutatePod(request, current);
            case VALIDATE_POD -> validatePod(request, current);
            case VALIDATE_PROJECT -> validateQuotaObject(request, "Project", "projects")
                    ? projectValidator.validate(request, current) : Verdict.allow();
            case VALIDATE_DEPARTMENT -> validateQuotaObject(request, "Department", "departments")
                    ? departmentValidator.validate(request, current) : Verdict.allow();
        };
        ObjectNode response = ReviewResponses.render(request, verdict);
        return new AdmissionOutcome(response, verdict.allowed(), request.operation(), verdict.hasPatch());
    }

    @Override
    public JsonPruning unread(AdmissionEndpoint endpoint) {
        return switch (endpoint) {
            case MUTATE_POD, VALIDATE_POD -> UnreadPodFields.REVIEW;
            case VALIDATE_PROJECT, VALIDATE_DEPARTMENT -> JsonPruning.none();
        };
    }

    private Verdict mutatePod(ReviewRequest request, WebhookSettings current) {
        if (!request.isCreate() || request.subResource() != null || !isPod(request)) {
            return Verdict.allow();
        }
        return mutator.mutate(PodContext.of(request.object(), request.effectiveNamespace(), view, current));
    }

    private Verdict validatePod(ReviewRequest request, WebhookSettings current) {
        if (!(request.isCreate() || request.isUpdate()) || !isPod(request)) {
            return Verdict.allow();
        }
        return podValidator.validate(request, PodContext.of(request.object(), request.effectiveNamespace(), view, current));
    }

    private static boolean isPod(ReviewRequest request) {
        return request.isKind("", "Pod", "pods");
    }

    /** CREATE and UPDATE of our own kinds are judged; deletions and anything else pass. */
    private static boolean validateQuotaObject(ReviewRequest request, String kind, String resource) {
        return (request.isCreate() || request.isUpdate()) && request.isKind(Names.API_GROUP, kind, resource);
    }
}
