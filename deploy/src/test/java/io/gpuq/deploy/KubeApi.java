package io.gpuq.deploy;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The API server Helm sees while rendering. helm-java's template resolves {@code lookup} against the
 * cluster of {@code $KUBECONFIG} (the build points it at a file under target/), so the tests start one
 * fabric8 mock API server in CRUD mode for the whole run and write a kubeconfig for it. It starts empty
 * (a first install); tests put objects in it to render an upgrade.
 */
final class KubeApi {

    private static KubeApi instance;

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private KubeApi() {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        // The mock answers resources, not discovery; Helm's lookup maps kinds through /api/v1 first.
        var coreResources = new APIResourceListBuilder().withGroupVersion("v1")
                .addToResources(new APIResourceBuilder().withName("secrets").withKind("Secret").withNamespaced(true)
                        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").withSingularName("secret").build())
                .addToResources(new APIResourceBuilder().withName("configmaps").withKind("ConfigMap").withNamespaced(true)
                        .withVerbs("get", "list", "watch", "create", "update", "patch", "delete").withSingularName("configmap").build())
                .build();
        server.expect().get().withPath("/api/v1").andReturn(200, coreResources).always();
        server.expect().get().withPath("/api/v1?timeout=32s").andReturn(200, coreResources).always();
        client = server.createClient();
        writeKubeconfig(server.url("/").replaceAll("/$", ""));
    }

    static synchronized KubeApi get() {
        if (instance == null) {
            instance = new KubeApi();
        }
        return instance;
    }

    KubernetesClient client() {
        return client;
    }

    private static void writeKubeconfig(String url) {
        String path = System.getenv("KUBECONFIG");
        if (path == null || path.isBlank()) {
            throw new IllegalStateException("KUBECONFIG is not set: run the chart tests through Maven, whose "
                    + "surefire configuration points it at target/helm-kubeconfig");
        }
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster:
                      server: %s
                contexts:
                  - name: mock
                    context:
                      cluster: mock
                      user: test
                      namespace: %s
                current-context: mock
                users:
                  - name: test
                    user:
                      token: test-token
                """.formatted(url, Chart.NAMESPACE);
        try {
            Path file = Path.of(path);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kubeconfig " + path, e);
        }
    }
}
