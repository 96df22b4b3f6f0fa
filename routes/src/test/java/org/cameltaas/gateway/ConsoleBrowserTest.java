package org.cameltaas.gateway;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import org.cameltaas.component.support.Json;
import org.cameltaas.testkit.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in real headless Chromium (Debian's chromium and chromedriver, which .ci/run installs), driven by
 * Selenium, against the real gateway: sign in, create a token in the page, use it with the openai npm SDK, find the
 * requests in the log and their session, revoke the token in the page, refuse a client token at sign-in, and show a
 * session id holding HTML as text. Every page is photographed, into target/console-screenshots/, or into the
 * committed docs/console/ with {@code -Dtaas.screenshots=docs} (so a test run leaves the work tree clean).
 */
class ConsoleBrowserTest extends GatewayTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SHOTS = "docs".equals(System.getProperty("taas.screenshots"))
            ? moduleDir().resolve("../docs/console").normalize() : moduleDir().resolve("target/console-screenshots");

    private static ChromeDriverService service;
    private static ChromeDriver driver;
    private static Path profile;

    /**
     * The shipped routes plus a fallback chain: {@code console-chain} tries a deployment whose port is closed, then
     * one on the fake upstream (the session view shows the fallback, the Deployments page both deployments).
     */
    @BeforeAll
    static void startGateway() throws Exception {
        Path routes = Files.createTempDirectory("taas-console-routes");
        copyShippedRoutes(routes);
        int closed = freePort();
        Files.writeString(routes.resolve("console-chain.camel.yaml"), deployment("console-dead", "http://127.0.0.1:" + closed + "/v1")
                + deployment("console-primary", "\"{{taas.openai.baseUrl}}\"") + """
                - templatedRoute:
                    routeTemplateRef: deployments
                    routeId: model-console-chain
                    parameters:
                      - name: name
                        value: console-chain
                      - name: deployments
                        value: console-dead,console-primary
                """);
        startGateway(Map.of("TAAS_ROUTES_DIR", routes.toString()));
    }

    private static String deployment(String name, String baseUrl) {
        return """
                - templatedRoute:
                    routeTemplateRef: model
                    routeId: model-%s
                    parameters:
                      - name: name
                        value: %s
                      - name: provider
                        value: openai
                      - name: baseUrl
                        value: %s
                      - name: upstreamModel
                        value: gpt-4o
                      - name: listed
                        value: "false"
                      - name: circuitBreaker
                        value: "true"
                """.formatted(name, name, baseUrl);
    }

    @BeforeAll
    static void startBrowser() throws Exception {
        File chromedriver = new File("/usr/bin/chromedriver");
        File chromium = new File("/usr/bin/chromium");
        assertTrue(chromedriver.canExecute() && chromium.canExecute(),
                "the browser tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver"
                        + " (.ci/run installs them)");
        profile = Files.createTempDirectory("taas-console-chromium");
        service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver).usingAnyFreePort()
                .withTimeout(WAIT).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1280,900");
        // the browser's console, to catch Content-Security-Policy refusals
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stopBrowser() throws Exception {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
    }

    @BeforeEach
    void laptopWidthAndSignedOut() {
        upstream.setDefault(Script.ok().reply("Hello from the fake upstream."));
        driver.manage().window().setSize(new Dimension(1280, 900));
        driver.get(base() + "/console/");
        driver.executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        waitFor(() -> driver.findElement(By.id("sign-in")).isDisplayed(), "the sign-in form");
    }

    /** Nothing the page did was refused by its own Content-Security-Policy (no inline code or style, no other origin). */
    @AfterEach
    void noContentSecurityPolicyViolation() {
        for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
            String text = entry.getMessage();
            assertFalse(text.contains("Content Security Policy") || text.contains("Refused to"), text);
            assertFalse(text.contains("Uncaught"), "a script error: " + text);
        }
    }

    /** The module's directory (Maven's basedir; tests run in it). */
    private static Path moduleDir() {
        String basedir = System.getProperty("basedir");
        return Path.of(basedir != null ? basedir : System.getProperty("user.dir")).toAbsolutePath();
    }

    // -------------------------------------------------------------------------------------------------- tests

    @Test
    void aTokenCreatedInThePageServesTheSdkShowsInTheLogAndItsSessionAndStopsWhenRevoked() throws Exception {
        signIn(MASTER_KEY);
        String team = "acme-" + System.nanoTime();

        // Teams & projects: a team and a project, made in the page
        go("teams");
        type("team-name", team);
        driver.findElement(By.cssSelector("#team-form button")).click();
        waitText("teams-table", team);
        new Select(driver.findElement(By.id("project-team"))).selectByVisibleText(team);
        type("project-name", "web");
        driver.findElement(By.cssSelector("#project-form button")).click();
        waitFor(() -> driver.findElement(By.id("projects-table")).getText().contains(team), "the project in its table");
        // a top-up makes the project metered
        WebElement row = rowContaining("projects-table", team);
        row.findElement(By.cssSelector("form.row-form input")).sendKeys("25");
        row.findElement(By.cssSelector("form.row-form button")).click();
        waitFor(() -> rowContaining("projects-table", team).getText().contains("25"), "the balance after the top-up");
        shot("teams");

        // Tokens: create one, the secret is shown once, with a copy button
        go("tokens");
        new Select(driver.findElement(By.id("token-project"))).selectByVisibleText(team + " / web");
        type("token-name", "browser");
        type("token-models", "gpt-4o, console-chain");
        type("token-rpm", "600");
        driver.findElement(By.id("token-create")).click();
        String secret = waitFor(() -> driver.findElement(By.id("token-secret")).getText(), "the token's secret");
        assertTrue(secret.startsWith("taas_") && secret.length() >= 37, secret);
        driver.findElement(By.id("copy-secret")).click();
        waitFor(() -> !driver.findElement(By.id("copy-state")).getText().isEmpty(), "the copy button's answer");
        WebElement tokenRow = waitFor(() -> rowContaining("tokens-table", "browser"), "the token in the list");
        assertTrue(tokenRow.getText().contains("600 rpm") && tokenRow.getText().contains("gpt-4o"), tokenRow.getText());
        assertFalse(driver.findElement(By.id("tokens-table")).getText().contains(secret.substring(9)),
                "the list never shows a secret");
        // the committed screenshot shows the box, not the secret (it is a throwaway gateway's, but still a secret)
        driver.executeScript("document.getElementById('token-secret').textContent = arguments[0]",
                secret.substring(0, 9) + "… (hidden in this screenshot)");
        shot("tokens");

        // the openai SDK with that token and a session id: an answer, an answer after a fallback, an upstream error,
        // a model the token may not use (refused before the session is known: not in the session), a stream
        String session = "console-session-" + System.nanoTime();
        upstream.enqueue(Script.ok().reply("Hello from the fake upstream."));
        upstream.enqueue(Script.ok().reply("Hello after a fallback."));
        upstream.enqueue(Script.status(400));
        upstream.enqueue(Script.ok().reply("Streamed hello."));
        List<JsonNode> calls = sdk(secret, session, "gpt-4o,console-chain,gpt-4o,claude-sonnet-4,gpt-4o:stream");
        assertEquals(200, calls.get(0).get("status").asInt(), calls.toString());
        assertEquals("Hello from the fake upstream.", calls.get(0).get("text").asText());
        assertEquals(200, calls.get(1).get("status").asInt(), calls.toString());
        assertEquals("Hello after a fallback.", calls.get(1).get("text").asText());
        assertEquals(400, calls.get(2).get("status").asInt(), calls.toString());
        assertEquals(403, calls.get(3).get("status").asInt(), calls.toString());
        assertEquals("Streamed hello.", calls.get(4).get("text").asText(), calls.toString());

        // Requests: search by the session, then open the session view
        go("requests");
        type("req-session", session);
        waitFor(() -> {
            driver.findElement(By.id("req-search")).click();
            return waitQuietly(() -> driver.findElement(By.id("requests-table")).findElements(By.cssSelector("tbody tr td.session")).size() == 4);
        }, "the session's four requests in the log (the ledger ships within a second or so)");
        String log = driver.findElement(By.id("requests-table")).getText();
        assertTrue(log.contains("console-chain → console-primary") && log.contains("fallback ×1") && log.contains("400"), log);
        shot("requests");

        driver.findElement(By.id("requests-table")).findElement(By.linkText(session)).click();
        waitText("session-id", session);
        List<WebElement> steps = waitFor(() -> {
            List<WebElement> items = driver.findElements(By.cssSelector("#session-timeline li"));
            return items.size() == 4 ? items : null;
        }, "the session's four requests");
        assertTrue(steps.get(0).getText().contains("gpt-4o") && steps.get(0).getText().contains("200"), steps.get(0).getText());
        assertTrue(steps.get(1).getText().contains("console-primary") && steps.get(1).getText().contains("fallback ×1"),
                steps.get(1).getText());
        assertEquals("fallback", steps.get(1).getAttribute("class"), "the fallback is marked");
        assertTrue(steps.get(2).getText().contains("400"), steps.get(2).getText());
        assertEquals("failed", steps.get(2).getAttribute("class"), "the error is marked");
        assertEquals("ok", steps.get(3).getAttribute("class"), "the stream");
        shot("session");

        // the fallback's detail: timings and the deployment chain
        steps.get(1).findElements(By.tagName("a")).get(0).click();
        waitText("request-detail", session);
        String detail = driver.findElement(By.id("request-detail")).getText();
        assertTrue(detail.contains("console-chain") && detail.contains("console-primary") && detail.contains("completed"), detail);
        String timings = driver.findElement(By.id("request-timings")).getText();
        assertTrue(timings.contains(" ms") && timings.contains("Upstream") && timings.contains("Gateway")
                && !timings.contains("no upstream call"), timings);
        String chain = driver.findElement(By.id("request-chain")).getText();
        assertTrue(chain.contains("deployment 1: failed") && chain.contains("console-primary via openai: served"), chain);
        shot("request");

        // Overview and Deployments know of the requests
        go("overview");
        waitFor(() -> !driver.findElement(By.id("stat-requests")).getText().contains("\n0"), "the overview's totals");
        assertFalse(driver.findElements(By.cssSelector("svg.chart rect.bar")).isEmpty(), "the charts are drawn");
        waitText("top-models", "gpt-4o");
        waitFor(() -> !driver.findElement(By.id("stat-ttft")).getText().contains("– / –"), "the stream's first token");
        shot("overview");
        go("deployments");
        waitText("deployments-table", "console-primary");
        String deployments = driver.findElement(By.id("deployments-table")).getText();
        assertTrue(driver.findElement(By.id("connectors-table")).getText().contains("No registered deployment"),
                "the connectors' table is drawn, empty: this gateway has no registered deployment");
        assertTrue(deployments.contains("console-dead") && deployments.contains("failing"), deployments);
        shot("deployments");

        // revoke in the page (two clicks: arm, confirm); the next SDK request is refused
        go("tokens");
        WebElement revoke = waitFor(() -> rowContaining("tokens-table", "browser"), "the token")
                .findElement(By.cssSelector("button[data-action=revoke]"));
        revoke.click();
        waitFor(() -> revoke.getText().equals("Confirm revoke"), "the revoke button armed");
        revoke.click();
        waitFor(() -> rowContaining("tokens-table", "browser").getText().contains("revoked"), "the token shown revoked");
        assertEquals(401, sdk(secret, session, "gpt-4o").get(0).get("status").asInt(), "a revoked token is refused");
        assertNoAlert();
    }

    @Test
    void aClientTokenIsRefusedAtSignInWithAClearMessage() throws Exception {
        String project = TenancyAdminApiTest.newProject();
        String client = TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/tokens",
                "{\"project_id\":\"" + project + "\",\"name\":\"not-admin\"}", MASTER_KEY)).get("token").asText();
        type("sign-in-token", client);
        driver.findElement(By.id("sign-in-button")).click();
        String message = waitFor(() -> {
            WebElement error = driver.findElement(By.id("sign-in-error"));
            return error.isDisplayed() ? error.getText() : null;
        }, "the sign-in error");
        assertTrue(message.contains("not an admin token"), message);
        assertFalse(driver.findElement(By.id("nav")).isDisplayed(), "not signed in");
        assertEquals(null, driver.executeScript("return sessionStorage.getItem('taas.console.token')"),
                "a refused token is not kept");
        shot("sign-in-refused");

        type("sign-in-token", "taas_unknown_0123456789abcdef");
        driver.findElement(By.id("sign-in-button")).click();
        waitFor(() -> driver.findElement(By.id("sign-in-error")).getText().contains("does not know this token"),
                "the unknown-token message");
    }

    @Test
    void aTeamAdminSeesItsOwnTeamOnly() throws Exception {
        String mine = "mine-" + System.nanoTime();
        String other = "other-" + System.nanoTime();
        JsonNode team = TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/teams", "{\"name\":\"" + mine + "\"}", MASTER_KEY));
        TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/teams", "{\"name\":\"" + other + "\"}", MASTER_KEY));
        String project = TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/projects",
                "{\"team_id\":\"" + team.get("id").asText() + "\",\"name\":\"ops\"}", MASTER_KEY)).get("id").asText();
        String teamAdmin = TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/tokens",
                "{\"project_id\":\"" + project + "\",\"name\":\"team-admin\",\"role\":\"admin\"}", MASTER_KEY))
                .get("token").asText();
        signIn(teamAdmin);
        assertEquals("Admin · 1 team", driver.findElement(By.id("who-text")).getText());
        go("teams");
        String teams = driver.findElement(By.id("teams-table")).getText();
        assertTrue(teams.contains(mine) && !teams.contains(other), teams);
        type("team-name", "not-allowed");
        driver.findElement(By.cssSelector("#team-form button")).click();
        waitText("teams-message", "Only the master key creates teams.");
        go("tokens");
        waitText("tokens-table", "team-admin");
    }

    @Test
    void aSessionIdHoldingHtmlIsShownAsText() throws Exception {
        String session = "<img src=x onerror=alert(1)> " + System.nanoTime();
        assertEquals(200, sdk(MASTER_KEY, session, "gpt-4o").get(0).get("status").asInt());
        signIn(MASTER_KEY);
        go("requests");
        type("req-session", session);
        waitFor(() -> {
            driver.findElement(By.id("req-search")).click();
            return waitQuietly(() -> driver.findElement(By.id("requests-table")).getText().contains(session));
        }, "the request with the HTML session id");
        assertTrue(driver.findElements(By.cssSelector("#page img")).isEmpty(), "no img element was created");
        driver.findElement(By.id("requests-table")).findElement(By.linkText(session)).click();
        waitText("session-id", session);
        assertEquals(session, driver.findElement(By.id("session-id")).getText());
        assertTrue(driver.findElements(By.cssSelector("img")).isEmpty(), "no img element anywhere");
        assertNoAlert();
        shot("session-html-id");
    }

    @Test
    void debugCaptureKeepsBodiesOnlyWhileItIsOnAndShowsThemAsText() throws Exception {
        String project = TenancyAdminApiTest.newProject();
        String token = TenancyAdminApiTest.created(TenancyAdminApiTest.admin("POST", "/tokens",
                "{\"project_id\":\"" + project + "\",\"name\":\"debugged\"}", MASTER_KEY)).get("token").asText();
        signIn(MASTER_KEY);
        go("teams");
        assertFalse(driver.findElement(By.id("debug-banner")).isDisplayed(), "off by default");
        rowContaining("projects-table", project).findElement(By.cssSelector("form[data-capture] button")).click();
        waitFor(() -> rowContaining("projects-table", project).getText().contains("on until"), "capture shown on");
        String banner = waitFor(() -> {
            WebElement b = driver.findElement(By.id("debug-banner"));
            return b.isDisplayed() ? b.getText() : null;
        }, "the debug capture banner");
        assertTrue(banner.contains("Debug capture is on"), banner);
        shot("debug-capture");

        String prompt = "Show <b>this</b> <img src=x onerror=alert(1)> as text";
        String captured = "captured-" + System.nanoTime();
        assertEquals(200, sdk(token, captured, "gpt-4o", prompt).get(0).get("status").asInt());
        openOnlyRequestOf(captured);
        String requestBody = waitFor(() -> driver.findElement(By.id("request-body")).getText(), "the captured request body");
        assertTrue(requestBody.contains(prompt) && requestBody.contains("\"model\": \"gpt-4o\""), requestBody);
        assertTrue(driver.findElement(By.id("response-body")).getText().contains("Hello from the fake upstream."));
        assertTrue(driver.findElements(By.cssSelector("#page img, #page b")).isEmpty(), "the body's HTML created no element");
        assertNoAlert();
        shot("request-bodies", "request-bodies");

        go("teams");
        rowContaining("projects-table", project).findElement(By.cssSelector("button[data-action=capture-off]")).click();
        waitFor(() -> !driver.findElement(By.id("debug-banner")).isDisplayed(), "the banner gone");
        String after = "not-captured-" + System.nanoTime();
        assertEquals(200, sdk(token, after, "gpt-4o", prompt).get(0).get("status").asInt());
        openOnlyRequestOf(after);
        waitText("request-bodies", "Not stored");
    }

    /** Requests page, search the session, open its one request's detail. */
    private static void openOnlyRequestOf(String session) {
        go("requests");
        type("req-session", session);
        waitFor(() -> {
            driver.findElement(By.id("req-search")).click();
            return waitQuietly(() -> driver.findElement(By.id("requests-table")).getText().contains(session));
        }, "the request of session " + session);
        driver.findElement(By.cssSelector("#requests-table tbody tr td.mono a")).click();
        waitText("request-detail", session);
    }

    @Test
    void phoneWidth() throws Exception {
        sdk(MASTER_KEY, "phone-" + System.nanoTime(), "gpt-4o");
        driver.manage().window().setSize(new Dimension(390, 844));
        signIn(MASTER_KEY);
        for (String page : new String[] {"overview", "tokens", "requests", "deployments"}) {
            go(page);
            waitFor(() -> driver.findElement(By.cssSelector("#page h1")).isDisplayed(), page);
            Number overflow = (Number) driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertTrue(overflow.intValue() <= 1, page + " is wider than the phone by " + overflow + " px");
            shot("phone-" + page);
        }
        driver.findElement(By.id("sign-out")).click();
        waitFor(() -> driver.findElement(By.id("sign-in")).isDisplayed(), "signed out");
        assertEquals(null, driver.executeScript("return sessionStorage.getItem('taas.console.token')"));
        assertEquals(0L, ((Number) driver.executeScript("return localStorage.length")).longValue(), "nothing in localStorage");
        assertEquals("", driver.executeScript("return document.cookie"), "no cookie");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static void signIn(String token) {
        type("sign-in-token", token);
        driver.findElement(By.id("sign-in-button")).click();
        waitFor(() -> driver.findElement(By.id("nav")).isDisplayed(), "signed in");
        waitFor(() -> driver.findElement(By.cssSelector("#page h1")).isDisplayed(), "the first page");
        assertEquals(0L, ((Number) driver.executeScript("return localStorage.length")).longValue(), "nothing in localStorage");
        assertEquals("", driver.executeScript("return document.cookie"), "no cookie");
    }

    private static void go(String page) {
        driver.findElement(By.cssSelector("#nav a[data-page=" + page + "]")).click();
        waitFor(() -> page.equals(driver.findElement(By.id("page")).getAttribute("data-page"))
                && !driver.findElements(By.cssSelector("#page h1")).isEmpty(), "the " + page + " page");
    }

    private static void type(String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private static WebElement rowContaining(String tableId, String text) {
        for (WebElement row : driver.findElement(By.id(tableId)).findElements(By.cssSelector("tbody tr"))) {
            if (row.getText().contains(text)) {
                return row;
            }
        }
        return null;
    }

    private static void waitText(String id, String text) {
        waitFor(() -> driver.findElement(By.id(id)).getText().contains(text), "#" + id + " to show " + text);
    }

    /** Waits (at most 15 s) for a value that is neither null nor false. */
    private static <T> T waitFor(Supplier<T> condition, String what) {
        try {
            return new WebDriverWait(driver, WAIT, Duration.ofMillis(200))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> {
                        T value = condition.get();
                        return value instanceof Boolean b && !b ? null : value;
                    });
        } catch (org.openqa.selenium.TimeoutException e) {
            // what the page showed, for the report
            throw new AssertionError("waited 15 s for " + what + "; the page showed:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** One try of a condition inside a retried action: a short wait for the page to answer. */
    private static boolean waitQuietly(Supplier<Boolean> condition) {
        try {
            return new WebDriverWait(driver, Duration.ofSeconds(1), Duration.ofMillis(100))
                    .ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.get());
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    private static void assertNoAlert() {
        assertThrows(NoAlertPresentException.class, () -> driver.switchTo().alert(), "no script ran");
    }

    private static void shot(String name) throws Exception {
        shot(name, null);
    }

    /** A screenshot of the window, scrolled to the top or to the element with this id. */
    private static void shot(String name, String scrollTo) throws Exception {
        if (scrollTo == null) {
            ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        } else {
            ((JavascriptExecutor) driver).executeScript("document.getElementById(arguments[0]).scrollIntoView()", scrollTo);
        }
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** The openai npm SDK with a token and a session id; one JSON result per model. */
    private static List<JsonNode> sdk(String token, String session, String models) throws Exception {
        return sdk(token, session, models, null);
    }

    private static List<JsonNode> sdk(String token, String session, String models, String prompt) throws Exception {
        NodeClients.requirePackage("openai");
        Map<String, String> env = new HashMap<>();
        env.put("TAAS_BASE_URL", base() + "/v1");
        env.put("TAAS_KEY", token);
        env.put("TAAS_SESSION", session);
        env.put("TAAS_MODELS", models);
        if (prompt != null) {
            env.put("TAAS_PROMPT", prompt);
        }
        NodeClients.Run run = NodeClients.node("console-session.mjs", env, 60);
        assertTrue(run.finished(), run.output());
        assertEquals(0, run.exitCode(), run.output());
        List<JsonNode> results = new ArrayList<>();
        for (String line : run.output().split("\n")) {
            if (line.startsWith("{\"check\"")) {
                results.add(Json.parse(line));
            }
        }
        assertEquals(models.split(",").length, results.size(), run.output());
        return results;
    }

    static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
