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
