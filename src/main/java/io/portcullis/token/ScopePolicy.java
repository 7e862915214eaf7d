package io.portcullis.token;

import io.portcullis.registry.ApiView;
import io.portcullis.registry.RegisteredClient;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Which scopes a token carries: RFC 6749 section 3.3 with wicked's subscription rules (docs/contract.md#token-endpoint). */
public final class ScopePolicy {
    /** RFC 6749 section 3.3's scope-token, narrowed to the ids an API may define. */
    private static final Pattern SCOPE_TOKEN = io.portcullis.registry.RegistryRules.SCOPE_ID;

    private ScopePolicy() {
    }

    /**
     * RFC 6749 section 3.3: {@code scope = scope-token *( SP scope-token )}. Null means none requested.
     *
     * @throws OAuthError invalid_scope when the value is malformed
     */
    public static Set<String> parse(String scope) {
        Set<String> requested = new LinkedHashSet<>();
        if (scope == null) {
            return requested;
        }
        for (String token : scope.split(" ", -1)) {
            if (!SCOPE_TOKEN.matcher(token).matches()) {
                throw OAuthError.invalidScope("The scope parameter is malformed: scope ids are separated by single spaces");
            }
            requested.add(token);
        }
        return requested;
    }

    /**
     * RFC 6749 section 3.3: the server may grant less than was asked and says what it granted.
     * A scope the API does not define is an error; one the subscription may not have is dropped.
     * A trusted subscription may have every scope, and gets them all when it asks for none.
     *
     * @return the granted scopes, in the API's order
     */
    public static Set<String> grant(ApiView api, RegisteredClient client, Set<String> requested) {
        for (String scope : requested) {
            if (!api.definesScope(scope)) {
                throw OAuthError.invalidScope("Scope '" + scope + "' is not defined by API '" + api.id() + "'");
            }
        }
        Set<String> granted = new LinkedHashSet<>();
        if (requested.isEmpty()) {
            if (client.trusted()) {
                granted.addAll(api.scopes().keySet());
            }
            return granted;
        }
        for (String scope : api.scopes().keySet()) {
            if (requested.contains(scope) && mayHave(client, scope)) {
                granted.add(scope);
            }
        }
        return granted;
    }

    private static boolean mayHave(RegisteredClient client, String scope) {
        if (client.trusted()) {
            return true;
        }
        return switch (client.allowedScopesMode()) {
            case ALL -> true;
            case NONE -> false;
            case SELECT -> client.allowedScopes().contains(scope);
        };
    }
}
