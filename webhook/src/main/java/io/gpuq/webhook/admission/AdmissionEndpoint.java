package io.gpuq.webhook.admission;

/** The admission endpoints of DESIGN §3.3. */
public enum AdmissionEndpoint {
    MUTATE_POD("/mutate--v1-pod", "mutate-pod"),
    VALIDATE_POD("/validate--v1-pod", "validate-pod"),
    VALIDATE_PROJECT("/validate-run-ai-v1-project", "validate-project"),
    VALIDATE_DEPARTMENT("/validate-run-ai-v1-department", "validate-department");

    private final String path;
    private final String metricName;

    AdmissionEndpoint(String path, String metricName) {
        this.path = path;
        this.metricName = metricName;
    }

    public String path() {
        return path;
    }

    /** The value of the {@code webhook} label on admission metrics. */
    public String metricName() {
        return metricName;
    }
}
