package io.portcullis.token;

import io.portcullis.registry.IssuedCredentials;
import io.portcullis.registry.ScopeMode;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** The scope rules of docs/contract.md#token-endpoint over real HTTP: the modes, trusted subscriptions, dropped scopes. */
@QuarkusTest
class ScopeRulesTest {
    @Inject
    Fixtures fixtures;

    String api;

    @BeforeEach
    void setUp() {
        api = fixtures.api("read", "write", "admin");
    }

    @Test
    void modeAllGrantsWhatIsAskedAndNothingUnasked() {
        IssuedCredentials c = fixtures.subscribe(api, ScopeMode.ALL, List.of(), false);
        TokenClient.post(api, c.clientId(), c.clientSecret(), "write read").then()
                .statusCode(200).body("scope", equalTo("read write"));
        TokenClient.post(api, c.clientId(), c.clientSecret(), null).then()
                .statusCode(200).body("$", not(hasKey("scope")));
    }

    @Test
    void modeNoneDropsEveryScopeAndSaysSo() {
        IssuedCredentials c = fixtures.subscribe(api, ScopeMode.NONE, List.of(), false);
        TokenClient.post(api, c.clientId(), c.clientSecret(), "read").then()
                .statusCode(200).body("scope", equalTo(""));
    }

    @Test
    void modeSelectGrantsOnlyTheAllowedOnes() {
        IssuedCredentials c = fixtures.subscribe(api, ScopeMode.SELECT, List.of("read"), false);
        TokenClient.post(api, c.clientId(), c.clientSecret(), "read write").then()
                .statusCode(200).body("scope", equalTo("read"));
        TokenClient.post(api, c.clientId(), c.clientSecret(), "admin").then()
                .statusCode(200).body("scope", equalTo(""));
    }

    @Test
    void trustedSubscriptionGetsEveryScopeWhenItAsksForNone() {
        IssuedCredentials c = fixtures.subscribe(api, ScopeMode.NONE, List.of(), true);
        TokenClient.post(api, c.clientId(), c.clientSecret(), null).then()
                .statusCode(200).body("scope", equalTo("read write admin"));
        TokenClient.post(api, c.clientId(), c.clientSecret(), "admin").then()
                .statusCode(200).body("scope", equalTo("admin"));
    }

    @Test
    void unknownScopeIsRefusedEvenWhenOthersAreFine() {
        IssuedCredentials c = fixtures.subscribe(api, ScopeMode.ALL, List.of(), true);
        TokenClient.post(api, c.clientId(), c.clientSecret(), "read nope").then()
                .statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void duplicateScopesAreGrantedOnce() {
        IssuedCredentials c = fixtures.subscribe(api);
        TokenClient.post(api, c.clientId(), c.clientSecret(), "read read").then()
                .statusCode(200).body("scope", equalTo("read"));
    }
}
