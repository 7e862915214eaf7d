package io.portcullis.portal;

import io.portcullis.registry.ApiService;
import io.portcullis.registry.ApiDefinition;
import io.portcullis.registry.IssuedCredentials;
import io.portcullis.support.Fixtures;
import io.portcullis.support.TestUpstream;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The API page in a real (headless) browser, used the way the reference page tells a developer
 * to: take the token endpoint and the API endpoint from the page, get a token, call the API.
 * Needs Debian's chromium and chromium-driver. On a developer machine without them it is skipped with
 * one line saying how to install them; in CI ({@code CI=true}, which {@code .ci/run} installs them for)
 * their absence fails the test.
 */
@QuarkusTest
class PortalBrowserTest {
    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    @Inject
    Fixtures fixtures;

    @Inject
    ApiService apis;

    @Test
    void aDeveloperCanGetATokenAndCallTheApiFromWhatThePageShows() throws Exception {
        boolean installed = CHROMIUM.exists() && CHROMEDRIVER.exists();
        String missing = "the browser test needs /usr/bin/chromium and /usr/bin/chromedriver (apt-get install chromium chromium-driver)";
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail("CI must run the browser test, but " + missing);
        }
        if (!installed) {
            System.out.println("PortalBrowserTest skipped: " + missing);
        }
        assumeTrue(installed, "skipped: " + missing);

        try (TestUpstream upstream = new TestUpstream()) {
            fixtures.ensureBasics();
            String api = Fixtures.uniqueId("pb");
            apis.create(ApiDefinition.builder(api).name("Browser pets " + api).description("Pets, as a browser sees them")
                    .requestPath("/" + api).upstreamUrl(upstream.url("/base")).tokenLifetimeSeconds(600)
                    .authMethods(List.of(Fixtures.AUTH_METHOD))
                    .scopes(List.of(new ApiDefinition.Scope("read", "Read the pets"), new ApiDefinition.Scope("write", "Change the pets")))
                    .routes(List.of(new ApiDefinition.Route("/", List.of("POST", "PUT", "PATCH", "DELETE"), List.of("write"))))
                    .plans(List.of(Fixtures.PLAN)).build());
            IssuedCredentials client = fixtures.subscribe(api);

            Path profile = Files.createTempDirectory("portal-chromium-");
            WebDriver driver = startBrowser(profile);
            try {
                driver.manage().window().setSize(new Dimension(1400, 900));
                driver.get("http://localhost:8081/portal/apis/" + api);
                assertEquals("Browser pets " + api, driver.findElement(By.tagName("h1")).getText());

                List<WebElement> tokenEndpoints = driver.findElements(By.cssSelector("[data-token-endpoint]"));
                assertEquals(1, tokenEndpoints.size(), "one auth method, one token endpoint");
                String tokenEndpoint = tokenEndpoints.get(0).getDomAttribute("data-token-endpoint");
                String apiEndpoint = driver.findElement(By.cssSelector("[data-api-endpoint]")).getDomAttribute("data-api-endpoint");
                assertEquals("http://localhost:8081/auth/" + Fixtures.AUTH_METHOD + "/api/" + api + "/token", tokenEndpoint);
                assertEquals("http://localhost:8081/" + api, apiEndpoint);
                assertTrue(tokenEndpoints.get(0).getText().contains(tokenEndpoint), "the URL is shown, not only in an attribute");

                // what the Copy buttons copy is the reference page's commands, with this API's URLs
                String tokenExample = driver.findElement(By.id("token-example-0")).getText();
                assertEquals("curl -X POST -d 'grant_type=client_credentials&client_id=(your client id)&client_secret=(your client secret)"
                        + "&scope=(space separated list)' " + tokenEndpoint, tokenExample);
                assertEquals("curl -H 'Authorization: Bearer (access token)' " + apiEndpoint,
                        driver.findElement(By.id("call-example")).getText());
                WebElement copy = driver.findElement(By.cssSelector("button[data-copy='call-example']"));
                assertTrue(copy.isDisplayed(), "with JavaScript on, the Copy buttons show");

                // wide: the page fits the window and the screenshot is taken
                assertNoHorizontalScroll(driver);
                screenshot(driver, Path.of("target", "portal-desktop.png"));

                // a phone: still no sideways scrolling of the page (long code blocks scroll by themselves)
                driver.manage().window().setSize(new Dimension(390, 844));
                long innerWidth = ((Number) ((JavascriptExecutor) driver).executeScript("return window.innerWidth;")).longValue();
                if (innerWidth > 400) {
                    // a browser that keeps a minimum window width: emulate the phone's viewport instead
                    ((ChromeDriver) driver).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                            Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", true));
                }
                driver.navigate().refresh();
                assertEquals("Browser pets " + api, driver.findElement(By.tagName("h1")).getText());
                assertNoHorizontalScroll(driver);
                screenshot(driver, Path.of("target", "portal-phone.png"));

                // use what the page shows: get a token at its token endpoint, call its API endpoint
                String token = given().contentType("application/x-www-form-urlencoded")
                        .formParam("grant_type", "client_credentials")
                        .formParam("client_id", client.clientId())
                        .formParam("client_secret", client.clientSecret())
                        .formParam("scope", "read")
                        .post(tokenEndpoint)
                        .then().log().ifValidationFails().statusCode(200)
                        .extract().path("access_token");
                String uri = given().header("Authorization", "Bearer " + token)
                        .get(apiEndpoint + "/pets/1")
                        .then().log().ifValidationFails().statusCode(200)
                        .header("X-Upstream", "yes")
                        .extract().jsonPath().getString("uri");
                assertEquals("/base/pets/1", uri);
                given().header("Authorization", "Bearer " + token).get(apiEndpoint)
                        .then().statusCode(200).header("X-Upstream", "yes");
            } finally {
                driver.quit();
                deleteQuietly(profile);
            }
        }
    }

    static WebDriver startBrowser(Path profile) {
        // never let Selenium Manager look for (or download) a browser or driver: both are given
        System.setProperty("SE_AVOID_BROWSER_DOWNLOAD", "true");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.getAbsolutePath());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.getAbsolutePath());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,900", "--user-data-dir=" + profile.toAbsolutePath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    static void assertNoHorizontalScroll(WebDriver driver) {
        Object overflow = ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertTrue(((Number) overflow).longValue() <= 1, "the page scrolls sideways by " + overflow + " px");
    }

    static void screenshot(WebDriver driver, Path target) throws IOException {
        File shot = ((ChromeDriver) driver).getScreenshotAs(OutputType.FILE);
        Files.createDirectories(target.getParent());
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.exists(target) && Files.size(target) > 0, target + " is written");
    }

    static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temp dir left behind is harmless
        }
    }
}
