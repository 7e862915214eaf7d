package io.portcullis.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.portcullis.admin.ConfigFile;
import io.portcullis.registry.TrustedIssuerDefinition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Kubernetes examples of deploy/kubernetes hold together: what the pod is given is what the issuer expects. */
class KubernetesExamplesTest {
    static List<JsonNode> documents(String file) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<JsonNode> docs = new ArrayList<>();
        try (YAMLParser parser = new YAMLFactory().createParser(Path.of(file).toFile())) {
            yaml.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    @Test
    void theProjectedTokenIsForAnAudienceTheTrustedIssuerAccepts() throws Exception {
        TrustedIssuerDefinition issuer = ConfigFile.read("deploy/kubernetes/trusted-issuer.yaml", name -> Optional.empty())
                .trustedIssuers().get(0);
        JsonNode deployment = documents("deploy/kubernetes/workload.yaml").stream()
                .filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
        JsonNode projected = deployment.at("/spec/template/spec/volumes/0/projected/sources/0/serviceAccountToken");
        assertTrue(issuer.audiences().contains(projected.path("audience").asText()), projected + " vs " + issuer.audiences());
        assertTrue(projected.path("expirationSeconds").asInt() <= issuer.maxTokenLifetimeSeconds(), "kubelet's tokens fit the lifetime");
        assertEquals("billing", deployment.at("/spec/template/spec/serviceAccountName").asText());
        // the in-cluster files are where Kubernetes mounts them, below portcullis.federation.file-root's default
        assertTrue(issuer.caFile().startsWith("/var/run/secrets/") && issuer.bearerTokenFile().startsWith("/var/run/secrets/"));
        JsonNode binding = documents("deploy/kubernetes/issuer-discovery.yaml").get(0);
        assertEquals("system:service-account-issuer-discovery", binding.at("/roleRef/name").asText());
    }
}
