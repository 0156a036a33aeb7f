package io.gpuq.scheduler.cost;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the Vert.x ConfigMap store finds a ConfigMap: its namespace and name and how to reach the API
 * server. {@code token} null means the store reads the pod's service-account token itself.
 */
public record ConfigMapLocation(String namespace, String name, String host, int port, boolean ssl, String token) {

    private static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    public ConfigMapLocation {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
    }

    /**
     * The location from the client configuration the rest of the process uses. Inside a pod the token is
     * left out so that the store re-reads the projected service-account token, which the kubelet rotates;
     * outside, the kubeconfig's bearer token is used.
     */
    public static ConfigMapLocation of(io.fabric8.kubernetes.client.Config k8s, String namespace, String name) {
        URI master = URI.create(k8s.getMasterUrl());
        boolean ssl = !"http".equalsIgnoreCase(master.getScheme());
        int port = master.getPort() > 0 ? master.getPort() : (ssl ? 443 : 80);
        boolean inCluster = System.getenv("KUBERNETES_SERVICE_HOST") != null && Files.isReadable(SERVICE_ACCOUNT_TOKEN);
        String token = inCluster ? null : k8s.getAutoOAuthToken();
        if (token == null && !inCluster) {
            token = k8s.getOauthToken();
        }
        return new ConfigMapLocation(namespace, name, master.getHost(), port, ssl, token);
    }

    /** "namespace/name", as log lines name the ConfigMap. */
    public String ref() {
        return namespace + "/" + name;
    }
}
