package io.portcullis.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The manifests quarkus-kubernetes generated at package time (target/kubernetes/kubernetes.yml). */
class KubernetesManifestIT {
    @Test
    void deploymentHasReplicasProbesResourcesAndSecrets() throws Exception {
        Path manifest = Path.of("target/kubernetes/kubernetes.yml");
        assertTrue(Files.exists(manifest), "package generates " + manifest);
        String yaml = Files.readString(manifest);
        assertTrue(yaml.contains("kind: Deployment") && yaml.contains("kind: Service"), "a Deployment and a Service");
        assertTrue(yaml.contains("replicas: 2"), "two replicas");
        assertTrue(yaml.contains("livenessProbe:") && yaml.contains("path: /q/health/live"), "liveness probe");
        assertTrue(yaml.contains("readinessProbe:") && yaml.contains("path: /q/health/ready"), "readiness probe");
        // /q/* on the management port, which the probes use
        assertTrue(yaml.contains("name: management") && yaml.contains("containerPort: 9000"), "a management port");
        assertTrue(yaml.matches("(?s).*livenessProbe:.*?port: 9000.*") && yaml.matches("(?s).*readinessProbe:.*?port: 9000.*"),
                "the probes use the management port");
        // the ingress's forwarding headers are believed from the cluster's private ranges only
        assertTrue(yaml.contains("name: QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING") && yaml.contains("name: QUARKUS_HTTP_PROXY_TRUSTED_PROXIES"),
                "proxy settings, so that addresses are real");
        assertTrue(yaml.contains("limits:") && yaml.contains("requests:"), "resources");
        for (String key : new String[]{"db-password", "key-encryption-secret", "admin-client-secret"}) {
            assertTrue(yaml.contains("key: " + key), "secret key " + key + " comes from a Secret");
        }
        assertTrue(yaml.contains("secretKeyRef:"));
        assertFalse(yaml.contains("kind: Job"), "no Flyway init Job");
        assertFalse(yaml.contains("initContainers:"), "no init container");
        assertFalse(yaml.matches("(?s).*value: .*secret-0123.*"), "no secret value in the manifest");
    }
}
