package io.portcullis.registry;

import io.portcullis.config.PortcullisConfig;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static io.portcullis.registry.RegistryRules.AUTH_METHOD_ID;
import static io.portcullis.registry.RegistryRules.KEY_SET_URL;
import static io.portcullis.registry.RegistryRules.nullToEmpty;
import static io.portcullis.registry.RegistryRules.require;

/**
 * Trusted issuers (docs/contract.md#federated-workload-identity): each change whole, in one transaction.
 * An issuer some subscription's federated identities name cannot go.
 */
@ApplicationScoped
@Transactional
public class TrustedIssuerService {
    static final int MAX_AUDIENCES = 10;
    static final int MAX_TEXT = 2048;

    /** An issuer is a URL: https, http to a loopback address, or a SPIFFE trust domain; never a bare name a client id could be. */
    static final java.util.regex.Pattern ISSUER = java.util.regex.Pattern.compile("spiffe://\\S+|" + KEY_SET_URL.pattern());

    private final Registry registry;
    private final Path fileRoot;
    private final List<String> bearerTokenHosts;

    public TrustedIssuerService(Registry registry, PortcullisConfig config) {
        this.registry = registry;
        this.fileRoot = Path.of(config.federation().fileRoot()).toAbsolutePath().normalize();
        this.bearerTokenHosts = config.federation().bearerTokenHosts();
    }

    public TrustedIssuerDefinition find(String id) {
        return TrustedIssuerDefinition.of(entity(id));
    }

    public Page<TrustedIssuerDefinition> list(int page, int size) {
        return Page.of(TrustedIssuer.findAll(Sort.by("id")), page, size, TrustedIssuerDefinition::of);
    }

    public TrustedIssuerDefinition create(TrustedIssuerDefinition definition) {
        require(AUTH_METHOD_ID, definition.id(), "id");
        if (TrustedIssuer.findById(definition.id()) != null) {
            throw RegistryException.conflict("id", "trusted issuer '" + definition.id() + "' already exists");
        }
        TrustedIssuer issuer = new TrustedIssuer();
        issuer.id = definition.id();
        write(issuer, definition);
        issuer.persist();
        registry.changed();
        return TrustedIssuerDefinition.of(issuer);
    }

    public TrustedIssuerDefinition replace(String id, TrustedIssuerDefinition definition) {
        TrustedIssuer issuer = entity(id);
        write(issuer, definition);
        registry.changed();
        return TrustedIssuerDefinition.of(issuer);
    }

    /** Creates or replaces; a definition equal to what is stored changes nothing. */
    public TrustedIssuerDefinition apply(TrustedIssuerDefinition definition) {
        return TrustedIssuer.findById(definition.id()) == null ? create(definition) : replace(definition.id(), definition);
    }

    public void delete(String id) {
        TrustedIssuer issuer = entity(id);
        long users = Subscription.count("select count(s) from Subscription s join s.federatedIdentities f where f.trustedIssuerId = ?1", id);
        if (users > 0) {
            throw RegistryException.conflict("id", "trusted issuer '" + id + "' is named by the federated identities of "
                    + users + " subscription(s)");
        }
        issuer.delete();
        registry.changed();
    }

    private void write(TrustedIssuer issuer, TrustedIssuerDefinition d) {
        if (d.id() != null && !d.id().equals(issuer.id)) {
            throw RegistryException.invalid("id", "the id of a trusted issuer cannot change");
        }
        if (d.issuer() == null || d.issuer().length() > MAX_TEXT || !printable(d.issuer()) || !ISSUER.matcher(d.issuer()).matches()) {
            throw RegistryException.invalid("issuer", "issuer must be the exact iss of the platform's JWTs: an https URL (http only to a "
                    + "loopback address) or a spiffe:// ID, at most 2048 characters");
        }
        if (issuer.issuer != null && !issuer.issuer.equals(d.issuer()) && Subscription.count(
                "select count(s) from Subscription s join s.federatedIdentities f where f.trustedIssuerId = ?1", issuer.id) > 0) {
            // the subjects bound to it were named by the old platform: another one may call someone else so
            throw RegistryException.conflict("issuer", "the issuer of a trusted issuer that federated identities name cannot change");
        }
        if (TrustedIssuer.count("issuer = ?1 and id <> ?2", d.issuer(), issuer.id) > 0) {
            throw RegistryException.conflict("issuer", "another trusted issuer has issuer '" + d.issuer() + "'");
        }
        boolean discovery = Boolean.TRUE.equals(d.discovery());
        int sources = (d.jwksUri() != null ? 1 : 0) + (d.jwks() != null ? 1 : 0) + (discovery ? 1 : 0);
        if (sources != 1) {
            throw RegistryException.invalid("jwksUri", "give exactly one key source: jwksUri, jwks, or discovery: true");
        }
        if (d.jwksUri() != null && (d.jwksUri().length() > MAX_TEXT || !KEY_SET_URL.matcher(d.jwksUri()).matches())) {
            throw RegistryException.invalid("jwksUri", "jwksUri must be an https URL (http only to a loopback address)");
        }
        String jwks = d.jwksJson();
        if (jwks != null) {
            RegistryRules.requirePublicKeySet(jwks, "jwks");
        }
        if (discovery && !KEY_SET_URL.matcher(d.issuer()).matches()) {
            throw RegistryException.invalid("discovery", "discovery needs an issuer that is an https URL (http only to a loopback address)");
        }
        Set<String> audiences = new LinkedHashSet<>();
        for (String audience : nullToEmpty(d.audiences())) {
            if (audience == null || audience.isBlank() || audience.length() > MAX_TEXT || !printable(audience) || !audiences.add(audience)) {
                throw RegistryException.invalid("audiences", "each audience must be 1 to 2048 printable characters, listed once");
            }
        }
        if (audiences.isEmpty() || audiences.size() > MAX_AUDIENCES) {
            throw RegistryException.invalid("audiences", "give 1 to " + MAX_AUDIENCES + " audiences: the aud a workload's JWT must hold one of");
        }
        int lifetime = d.maxTokenLifetimeSeconds() == null ? TrustedIssuer.DEFAULT_MAX_TOKEN_LIFETIME_SECONDS : d.maxTokenLifetimeSeconds();
        if (lifetime < 1 || lifetime > 86400) {
            throw RegistryException.invalid("maxTokenLifetimeSeconds", "maxTokenLifetimeSeconds must be between 1 and 86400");
        }
        issuer.issuer = d.issuer();
        issuer.jwksUri = d.jwksUri();
        issuer.jwks = jwks;
        issuer.discovery = discovery;
        if (!audiences.equals(issuer.audiences)) {
            issuer.audiences.clear();
            issuer.audiences.addAll(audiences);
        }
        issuer.maxTokenLifetimeSeconds = lifetime;
        issuer.caFile = file(d.caFile(), "caFile");
        issuer.bearerTokenFile = file(d.bearerTokenFile(), "bearerTokenFile");
        if ((issuer.caFile != null || issuer.bearerTokenFile != null) && jwks != null) {
            throw RegistryException.invalid("caFile", "caFile and bearerTokenFile are for fetching keys: not with inline jwks");
        }
        if (issuer.bearerTokenFile != null) {
            // Portcullis's own service-account token: only to a configured host, over TLS to the given CA
            String keyHost = java.net.URI.create(discovery ? d.issuer() : d.jwksUri()).getHost();
            if (issuer.caFile == null || !(discovery ? d.issuer() : d.jwksUri()).startsWith("https://")
                    || keyHost == null || !bearerTokenHosts.contains(keyHost)) {
                throw RegistryException.invalid("bearerTokenFile", "a bearer token is sent only over https, checked against caFile, "
                        + "to a host of portcullis.federation.bearer-token-hosts " + bearerTokenHosts);
            }
        }
    }

    /**
     * An absolute path inside {@code portcullis.federation.file-root}: the admin API must not make
     * Portcullis read, and send to a host of its choosing, any other file.
     */
    private String file(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            Path path = Path.of(value);
            if (!path.isAbsolute() || !path.normalize().equals(path) || !path.startsWith(fileRoot) || path.equals(fileRoot)) {
                throw RegistryException.invalid(field, field + " must be an absolute path inside " + fileRoot
                        + " (portcullis.federation.file-root)");
            }
            return value;
        } catch (InvalidPathException e) {
            throw RegistryException.invalid(field, field + " is not a path");
        }
    }

    private static boolean printable(String s) {
        return s.chars().noneMatch(c -> c <= 0x20 || c == 0x7f);
    }

    static TrustedIssuer entity(String id) {
        return TrustedIssuer.<TrustedIssuer>findByIdOptional(id).orElseThrow(() -> RegistryException.notFound("trusted issuer", id));
    }
}
