package io.mehery.gateway.console;

import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.mehery.gateway.GatewayTestSupport;
import io.mehery.gateway.HeadlessChromium;
import io.mehery.gateway.WebhookReceiver;

/**
 * The console in a real browser (headless Chromium, Selenium) against the running gateway with real traffic: each
 * page driven as an operator or a tenant would, axe-core run on each, the main flows by keyboard alone, every page at
 * 390 px wide. The screenshots go to target/console, or to the folder {@code -Dmehery.console.screenshots} names
 * (docs/console refreshes the README's).
 */
class ConsoleBrowserTest extends GatewayTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of(System.getProperty("mehery.console.screenshots", "target/console"));
    private static final WebhookReceiver RECEIVER = new WebhookReceiver();
    private static final List<String> OPERATOR_PAGES = List.of("Overview", "Tenants", "Deliveries", "Conversations",
            "Routes and channels", "Configuration");

    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @Test
    void theOverviewsChartsMoveWhileMessagesFlow() {
        open(1280, 1000);
        RECEIVER.answerAll("console", WireMock.aResponse().withStatus(200).withBody("{}"));
        setWebhook();
        browser.get(base() + "/console");
        assertAccessible("the sign-in page");
        chromium.screenshot(SHOTS.resolve("sign-in.png"));
        signIn(ADMIN_KEY);
        assertThat(navigation()).containsExactlyElementsOf(OPERATOR_PAGES);
        await().atMost(PATIENCE).until(() -> pointsOf("chart-throughput") > 0);
        int before = pointsOf("chart-throughput");
        String from = uniquePhone();
        // a message every poll: the charts must take in new figures while the traffic runs
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> {
            api.sandboxText("console-sandbox", "console-key", from, "flowing " + System.nanoTime());
            return pointsOf("chart-throughput") > before && card("Accepts/s") > 0 && card("Callbacks/s") > 0;
        });
        assertThat(browser.findElement(By.cssSelector("#chart-throughput canvas")).isDisplayed()).isTrue();
        assertThat(chromium.script("return document.cookie")).asString().doesNotContain("mehery_console");
        assertThat(browser.getPageSource()).doesNotContain(ADMIN_KEY);
        assertAccessible("the overview");
        chromium.screenshot(SHOTS.resolve("overview.png"));

        goTo("Routes and channels");
        await().atMost(PATIENCE).until(() -> browser.findElements(By.xpath("//td[text()='console-sandbox']")).size()
                > 0);
        assertAccessible("routes and channels");
        chromium.screenshot(SHOTS.resolve("routes-and-channels.png"));
    }

    @Test
    void aDeadLetterIsFoundByItsMessageIdAndReplayedThenShownDelivered() {
        RECEIVER.answerAll("console", WireMock.aResponse().withStatus(200).withBody("{}"));
        RECEIVER.answer("console", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(500));
        setWebhook();
        JsonNode accepted = api.sandboxText("console-sandbox", "console-key", uniquePhone(), "Where is my order?");
        String messageId = accepted.get("id").asText();
        await().atMost(PATIENCE).until(() -> api.get("/api/v1/admin/deliveries?status=DEAD&messageId=" + messageId,
                "console-key").json().get("results").size() == 1);

        open(1280, 1000);
        browser.get(base() + "/console");
        signIn(ADMIN_KEY);
        goTo("Deliveries");
        WebElement messageField = browser.findElement(By.name("messageId"));
        messageField.sendKeys(messageId, Keys.ENTER);
        await().atMost(PATIENCE).until(() -> browser.findElements(By.xpath(
                "//tr[td/a[text()='" + messageId + "']]//span[text()='DEAD']")).size() == 1);
        assertAccessible("the deliveries found");
        chromium.screenshot(SHOTS.resolve("deliveries.png"));

        RECEIVER.answer("console", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(200).withBody("{}"));
        pressWithKeyboard(browser.findElement(By.xpath("//tr[td/a[text()='" + messageId + "']]//button[text()"
                + "='Replay']")));
        await().atMost(PATIENCE).until(() -> browser.findElements(By.xpath(
                "//dd/span[text()='DELIVERED']")).size() == 1);
        assertThat(browser.findElements(By.xpath("//td[text()='500']"))).isNotEmpty();
        assertAccessible("a delivery");
        chromium.screenshot(SHOTS.resolve("delivery.png"));

        browser.findElement(By.linkText(messageId)).click();
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector(".timeline li")).size() >= 3);
        assertThat(browser.findElement(By.cssSelector(".timeline")).getText()).contains("accepted", "answered 500",
                "answered 200");
        assertAccessible("a message's timeline");
        chromium.screenshot(SHOTS.resolve("message-timeline.png"));
    }

    @Test
    void theDeadLettersOfATimeRangeAreCountedThenRecoveredWithTheirProgressShown() {
        RECEIVER.answerAll("console", WireMock.aResponse().withStatus(200).withBody("{}"));
        RECEIVER.answer("console", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(500));
        setWebhook();
        String from = Instant.now().minusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        List<String> messages = List.of(
                api.sandboxText("console-sandbox", "console-key", uniquePhone(), "lost one").get("id").asText(),
                api.sandboxText("console-sandbox", "console-key", uniquePhone(), "lost two").get("id").asText());
        for (String messageId : messages) {
            await().atMost(PATIENCE).until(() -> statusOfMessage(messageId).equals("DEAD"));
        }
        RECEIVER.answer("console", MESSAGE_RECEIVE, WireMock.aResponse().withStatus(200).withBody("{}"));

        open(1280, 1000);
        browser.get(base() + "/console");
        signIn(ADMIN_KEY);
        goTo("Deliveries");
        String recovery = "//form[@aria-label='Recover a time range']";
        browser.findElement(By.xpath(recovery + "//input[@name='tenant']")).sendKeys("console");
        browser.findElement(By.xpath(recovery + "//input[@name='from']")).sendKeys(from, Keys.ENTER);
        WebElement recover = await().atMost(PATIENCE).until(() -> browser.findElements(By.xpath(
                "//button[starts-with(text(), 'Recover ')]")), found -> !found.isEmpty()).get(0);
        assertThat(browser.findElement(By.xpath(recovery + "/following-sibling::div")).getText())
                .matches("(?s)\\d+ callbacks would be delivered again\\..*");
        pressWithKeyboard(recover);
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector(".progress")).size() == 1
                && browser.findElement(By.cssSelector(".progress")).getText().contains("finished"));
        for (String messageId : messages) {
            await().atMost(PATIENCE).until(() -> statusOfMessage(messageId).equals("DELIVERED"));
        }
        assertAccessible("a recovery");
        chromium.screenshot(SHOTS.resolve("recovery.png"));
    }

    @Test
    void aTenantIsPausedAndResumedWithTheKeyboardAlone() {
        RECEIVER.answerAll("console", WireMock.aResponse().withStatus(200).withBody("{}"));
        setWebhook();
        open(1280, 900);
        browser.get(base() + "/console");
        signIn(ADMIN_KEY);
        goTo("Tenants");
        pressWithKeyboard(await().atMost(PATIENCE).until(() -> browser.findElements(By.xpath(
                "//button[@aria-label='Pause console']")), found -> !found.isEmpty()).get(0));
        WebElement reason = browser.switchTo().activeElement();
        assertThat(reason.getAttribute("name")).isEqualTo("reason");
        reason.sendKeys("Planned CRM maintenance", Keys.ENTER);
        await().atMost(PATIENCE).until(() -> stateOf("console").equals("paused"));
        assertThat(browser.findElement(By.xpath("//tr[td[text()='console']]")).getText())
                .contains("Planned CRM maintenance");
        assertThat(api.get("/api/v1/admin/tenants", "console-key").json().get("results").get(0).get("state")
                .asText()).isEqualTo("paused");
        assertAccessible("the tenants");
        chromium.screenshot(SHOTS.resolve("tenants.png"));

        pressWithKeyboard(browser.findElement(By.xpath("//button[@aria-label='Resume console']")));
        await().atMost(PATIENCE).until(() -> stateOf("console").equals("active"));
    }

    @Test
    void aRefusedConfigurationShowsItsProblemAtItsLine() {
        open(1280, 1100);
        browser.get(base() + "/console");
        signIn(ADMIN_KEY);
        goTo("Configuration");
        WebElement document = await().atMost(PATIENCE).until(() -> browser.findElements(By.id("document")),
                found -> !found.isEmpty()).get(0);
        document.sendKeys("tenants:\n  acme:\n    api-key: acme-key\n  broken:\n    api-key: broken-key\n");
        browser.findElement(By.xpath("//button[text()='Validate']")).click();
        // neither tenant has its verify-token: each problem stands at its tenant's lines
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector(".document li.bad")).size() == 2);
        List<WebElement> bad = browser.findElements(By.cssSelector(".document li.bad"));
        assertThat(bad.get(0).getAttribute("value")).isEqualTo("3");
        assertThat(bad.get(0).getText()).contains("Line 3: mehery.tenants.acme.verify-token");
        assertThat(bad.get(1).getAttribute("value")).isEqualTo("5");
        assertThat(bad.get(1).getText()).contains("Line 5: mehery.tenants.broken.verify-token");
        assertThat(browser.findElement(By.cssSelector(".problems")).getText()).contains("problem");
        assertAccessible("the configuration");
        chromium.screenshot(SHOTS.resolve("configuration.png"));

        browser.findElement(By.xpath("(//button[starts-with(text(), 'Diff ')])[1]")).click();
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.xpath("//h3[starts-with(text(), 'Running')]"))
                .isEmpty());
    }

    @Test
    void aTenantsPortalShowsItsOwnConversationAsTextAndNothingOfTheOperatorsPages() {
        String attack = "<img src=x onerror=\"window.__pwned=1\"> <b>bold?</b> " + System.nanoTime();
        JsonNode accepted = api.post("/webhooks/dummy/portal-sandbox", "portal-key", "{\"from\":\"" + uniquePhone()
                + "\",\"name\":\"<i>Ann</i>\",\"type\":\"text\",\"text\":{\"body\":\"" + attack.replace("\"", "\\\"")
                + "\"}}").json().get("data");
        open(1280, 900);
        browser.get(base() + "/console");
        signIn("portal-key");
        assertThat(navigation()).containsExactly("Webhook", "Deliveries", "Conversations");
        assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("Tenant portal");

        browser.get(base() + "/console#/conversations?session=" + accepted.get("sessionId").asText());
        await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector(".conversation .text")).size() == 1);
        assertThat(browser.findElement(By.cssSelector(".conversation .text")).getText()).isEqualTo(attack);
        assertThat(browser.findElements(By.cssSelector(".conversation img, .conversation b, .conversation i")))
                .isEmpty();
        assertThat(chromium.script("return window.__pwned === undefined")).isEqualTo(true);
        assertAccessible("a conversation");
        chromium.screenshot(SHOTS.resolve("conversation.png"));

        browser.get(base() + "/console#/configuration");
        await().atMost(PATIENCE).until(() -> browser.findElement(By.tagName("h1")).getText().equals("Not here"));
        for (String path : List.of("/api/v1/admin/config/versions", "/api/v1/admin/deliveries?tenant=console",
                "/api/v1/admin/overview")) {
            Object status = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript("var done ="
                    + " arguments[arguments.length - 1]; fetch(arguments[0]).then(r => done(r.status));", path);
            assertThat(status).as(path).isEqualTo(403L);
        }
        browser.findElement(By.id("sign-out")).click();
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.id("signin")).isEmpty());
    }

    @Test
    void everyPageIsUsableAt390PixelsWide() {
        RECEIVER.answerAll("console", WireMock.aResponse().withStatus(200).withBody("{}"));
        setWebhook();
        open(1280, 900);
        chromium.emulateScreen(390, 844);
        browser.get(base() + "/console");
        signIn(ADMIN_KEY);
        for (String page : OPERATOR_PAGES) {
            goTo(page);
            await().atMost(PATIENCE).until(() -> browser.findElements(By.cssSelector("#page h1")).size() == 1
                    && browser.findElements(By.cssSelector("#page table, #page form, #page .charts")).size() > 0);
            // wide tables scroll inside their own region; the page itself never sideways
            assertThat((Long) chromium.script("return document.documentElement.scrollWidth - window.innerWidth"))
                    .as(page).isLessThanOrEqualTo(0L);
            assertAccessible(page + " at 390 px");
            if (page.equals("Overview")) {
                await().atMost(PATIENCE).until(() -> pointsOf("chart-throughput") > 0);
                chromium.screenshot(SHOTS.resolve("overview-390px.png"));
            }
        }
    }

    private void open(int width, int height) {
        chromium = HeadlessChromium.open("Console browser test", width, height);
        browser = chromium.driver();
    }

    private String base() {
        return "http://127.0.0.1:" + port();
    }

    private void setWebhook() {
        assertThat(api.post("/api/v1/config/webhook", "console-key", "{\"url\":\"" + RECEIVER.baseUrl("console")
                + "\"}").status()).isEqualTo(200);
    }

    /** Signs in by the form, by keyboard: the key typed, then Enter. */
    private void signIn(String key) {
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.id("key")).isEmpty());
        browser.findElement(By.id("key")).sendKeys(key, Keys.ENTER);
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector("#nav a")).isEmpty());
    }

    private List<String> navigation() {
        return browser.findElements(By.cssSelector("#nav a")).stream().map(WebElement::getText).toList();
    }

    /** Goes to a page of the navigation by keyboard: Tab until its link has the focus, then Enter. */
    private void goTo(String page) {
        pressWithKeyboard(browser.findElement(By.linkText(page)));
        await().atMost(PATIENCE).until(() -> browser.findElement(By.linkText(page)).getAttribute("aria-current")
                != null);
    }

    /** Reaches {@code target} with the Tab key alone from the top of the page, then presses Enter on it. */
    private void pressWithKeyboard(WebElement target) {
        chromium.script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);"
                + " document.body.focus();");
        for (int tabs = 0; tabs < 300; tabs++) {
            if (browser.switchTo().activeElement().equals(target)) {
                target.sendKeys(Keys.ENTER);
                return;
            }
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
        }
        throw new AssertionError("The Tab key never reached " + target.getText());
    }

    private int pointsOf(String chart) {
        String points = browser.findElement(By.id(chart)).getAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    /** The figure a card of the overview shows, as a number (0 while it shows none). */
    private double card(String label) {
        String value = browser.findElement(By.xpath("//dt[text()='" + label + "']/following-sibling::dd[1]"))
                .getText().replace(",", "");
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException none) {
            return 0;
        }
    }

    /** The status of a message's message.receive callback, as the delivery log has it. */
    private String statusOfMessage(String messageId) {
        for (JsonNode d : api.get("/api/v1/admin/deliveries?kind=message.receive&messageId=" + messageId,
                "console-key").json().get("results")) {
            return d.get("status").asText();
        }
        return "none";
    }

    private String stateOf(String tenant) {
        List<WebElement> badges = browser.findElements(By.xpath("//tr[td[text()='" + tenant + "']]//span[contains("
                + "@class, 'badge')]"));
        return badges.isEmpty() ? "" : badges.get(0).getText();
    }

    private void assertAccessible(String what) {
        assertThat(chromium.seriousAccessibilityViolations()).as("axe-core on " + what).isEmpty();
    }
}
