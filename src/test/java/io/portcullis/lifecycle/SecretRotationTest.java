package io.portcullis.lifecycle;

import io.portcullis.registry.CredentialService;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TokenClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Client secret rotation with a grace period (docs/contract.md#model): before, during and after it. */
@QuarkusTest
class SecretRotationTest {
    @Inject
    Fixtures fixtures;

    @Inject
    CredentialService credentials;

    @Test
    void oldSecretWorksDuringTheGracePeriodOnly() throws Exception {
        String api = fixtures.api("read");
        IssuedCredentials original = fixtures.subscribe(api);
        // before
        TokenClient.post(api, original.clientId(), original.clientSecret(), null).then().statusCode(200);

        IssuedCredentials rotated = credentials.rotateSecret(original.subscriptionId(), Duration.ofSeconds(2));
        assertEquals(original.clientId(), rotated.clientId());
        assertNotEquals(original.clientSecret(), rotated.clientSecret());
        // during: both
        TokenClient.post(api, original.clientId(), original.clientSecret(), null).then().statusCode(200);
        TokenClient.post(api, rotated.clientId(), rotated.clientSecret(), null).then().statusCode(200);

        Thread.sleep(2200);
        // after: only the new one
        TokenClient.post(api, original.clientId(), original.clientSecret(), null).then().statusCode(401);
        TokenClient.post(api, rotated.clientId(), rotated.clientSecret(), null).then().statusCode(200);
    }

    @Test
    void aSecondRotationEndsTheFirstOnesGrace() {
        String api = fixtures.api("read");
        IssuedCredentials first = fixtures.subscribe(api);
        IssuedCredentials second = credentials.rotateSecret(first.subscriptionId(), Duration.ofHours(24));
        IssuedCredentials third = credentials.rotateSecret(first.subscriptionId(), Duration.ofHours(24));
        TokenClient.post(api, first.clientId(), first.clientSecret(), null).then().statusCode(401);
        TokenClient.post(api, second.clientId(), second.clientSecret(), null).then().statusCode(200);
        TokenClient.post(api, third.clientId(), third.clientSecret(), null).then().statusCode(200);
    }
}
