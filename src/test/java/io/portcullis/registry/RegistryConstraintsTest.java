package io.portcullis.registry;

import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.ApiService;
import io.portcullis.registry.SubscriptionDefinition;
import io.portcullis.registry.SubscriptionService;
import io.agroal.api.AgroalDataSource;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The database itself refuses what docs/contract.md#model forbids, whoever writes to it; and the service checks the rest. */
@QuarkusTest
class RegistryConstraintsTest {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Inject
    SubscriptionService subscriptions;

    private void refused(String sql) {
        assertThrows(SQLException.class, () -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate(sql);
            }
        }, sql);
    }

    @Test
    void databaseEnforcesIdsTypesModesAndReferences() {
        String api = fixtures.api("read");
        refused("insert into auth_method (id, friendly_name) values ('Bad Id', 'x')");
        refused("insert into application (id, name, client_type) values ('abc', 'too short id', 'confidential')");
        refused("insert into application (id, name, client_type) values ('good-app-id', 'x', 'trusted_spa')");
        refused("insert into api_scope (api_id, scope_id) values ('" + api + "', 'has space')");
        refused("insert into api_scope (api_id, scope_id) values ('no-such-api', 'read')");
        refused("insert into api_scope (api_id, scope_id) values ('" + api + "', 'read')");
        refused("insert into subscription (id, application_id, api_id, plan_id, allowed_scopes_mode) values "
                + "(gen_random_uuid(), 'no-such-app', '" + api + "', 'test-basic', 'all')");
        IssuedCredentials c = fixtures.subscribe(api);
        refused("update subscription set allowed_scopes_mode = 'some' where id = '" + c.subscriptionId() + "'");
        refused("update subscription set client_secret_hash = 'plaintext-secret' where id = '" + c.subscriptionId() + "'");
        refused("update subscription set client_id = null where id = '" + c.subscriptionId() + "'");
        refused("insert into subscription_scope (subscription_id, api_id, scope_id) values ('" + c.subscriptionId() + "', '" + api + "', 'undefined')");
        refused("insert into signing_key (kid, alg, status, public_jwk, private_key_enc) values ('k', 'HS256', 'active', '{}', '\\x00')");
    }

    @Test
    void serviceRulesNameTheField() {
        String api = fixtures.api("read");
        assertEquals("requestPath", assertThrows(RegistryException.class, () -> apis.create(ApiDefinition.builder("shadow")
                .name("x").requestPath("/auth/x").upstreamUrl("http://up").authMethods(List.of()).scopes(List.of())
                .routes(List.of()).plans(List.of()).build())).field);
        assertEquals("requestPath", assertThrows(RegistryException.class, () -> apis.create(ApiDefinition.builder("overlap")
                .name("x").requestPath("/" + api + "/sub").upstreamUrl("http://up").authMethods(List.of()).scopes(List.of())
                .routes(List.of()).plans(List.of()).build())).field);
        assertEquals(RegistryException.Kind.NOT_FOUND, assertThrows(RegistryException.class, () -> subscriptions.subscribe(
                new SubscriptionDefinition("no-such-app", api, Fixtures.PLAN, false, ScopeMode.ALL, List.of()))).kind);
        assertEquals("allowedScopes", assertThrows(RegistryException.class,
                () -> fixtures.subscribe(api, ScopeMode.SELECT, List.of("undefined"), false)).field);
    }

    @Test
    void deprecatedApiTakesNoNewSubscriptions() {
        fixtures.ensureBasics();
        String id = Fixtures.uniqueId("old");
        apis.create(ApiDefinition.builder(id).name("Old").requestPath("/" + id).upstreamUrl("http://up").deprecated(true)
                .authMethods(List.of(Fixtures.AUTH_METHOD)).scopes(List.of()).routes(List.of()).plans(List.of(Fixtures.PLAN))
                .build());
        RegistryException e = assertThrows(RegistryException.class, () -> fixtures.subscribe(id));
        assertEquals(RegistryException.Kind.CONFLICT, e.kind);
    }
}
