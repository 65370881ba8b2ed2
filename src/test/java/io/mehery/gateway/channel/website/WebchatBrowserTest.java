package io.mehery.gateway.channel.website;

import static io.mehery.gateway.WebhookReceiver.MESSAGE_RECEIVE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

import io.mehery.gateway.Api;
import io.mehery.gateway.HeadlessChromium;
import io.mehery.gateway.channel.ChannelTestSupport;

/**
 * The chat widget in a real browser: headless Chromium driven by Selenium, on the demo page the gateway serves.
 * Needs Debian's chromium and chromium-driver (.ci/run installs them); without them the tests are skipped, saying so.
 */
class WebchatBrowserTest extends ChannelTestSupport {

    private static final String CHANNEL = WebsiteChannelTest.CHANNEL;

    private HeadlessChromium chromium;
    private ChromeDriver browser;

    @BeforeEach
    void openBrowser() {
        chromium = HeadlessChromium.open("Chat widget browser test", 1280, 900);
        browser = chromium.driver();
    }

    @AfterEach
    void closeBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void aVisitorWritesTheClientAnswersAndTheConversationSurvivesAReload() throws IOException {
        openDemo();
        WebElement bubble = widget().findElement(By.cssSelector(".bubble"));
        bubble.click();
        assertThat(bubble.getAttribute("aria-expanded")).isEqualTo("true");
        assertThat(widget().findElement(By.cssSelector("[role=dialog]")).isDisplayed()).isTrue();

        String question = "Hello from the browser " + System.nanoTime();
        write(question);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, question).size() == 1);
        String visitorId = callbacksMentioning(MESSAGE_RECEIVE, question).get(0).at("/messages/0/from").asText();

        String answer = "Hi! How can we help? " + System.nanoTime();
        Sent sent = clientSends(visitorId, answer);
        await().atMost(PATIENCE).until(() -> texts(".from-business .text").contains(answer));
        // the panel is open: the widget has it, and shows it
        await().atMost(PATIENCE).until(() -> statusOf(sent).equals("read"));
        assertNoSeriousAccessibilityViolations();

        chromium.screenshot(Path.of("target", "webchat-widget.png"));

        browser.navigate().refresh();
        widget().findElement(By.cssSelector(".bubble")).click();
        await().atMost(PATIENCE).until(() -> texts(".msg .text").containsAll(List.of(question, answer)));
    }

    @Test
    void markupInAMessageIsShownAsTextAndASecondVisitorSeesNothingOfTheFirst() {
        openDemo();
        widget().findElement(By.cssSelector(".bubble")).click();
        String attack = "<img src=x onerror=\"window.__pwned=1\"> " + System.nanoTime();
        write(attack);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, attack.substring(attack.length() - 8))
                .size() == 1);
        String visitorId = callbacksMentioning(MESSAGE_RECEIVE, attack.substring(attack.length() - 8)).get(0)
                .at("/messages/0/from").asText();
        String reply = "<b onmouseover=alert(1)>bold?</b><script>window.__pwned=2</script>";
        clientSends(visitorId, reply);
        await().atMost(PATIENCE).until(() -> texts(".from-business .text").contains(reply));

        assertThat(texts(".from-visitor .text")).contains(attack);
        assertThat(widget().findElements(By.cssSelector(".log img, .log b, .log script"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__pwned === undefined")).isEqualTo(true);

        // another visitor on this browser (the first one's token gone): a conversation of its own
        ((JavascriptExecutor) browser).executeScript("localStorage.clear()");
        browser.navigate().refresh();
        widget().findElement(By.cssSelector(".bubble")).click();
        await().during(Duration.ofSeconds(2)).atMost(PATIENCE).until(() -> texts(".msg .text").isEmpty());
    }

    @Test
    void whereWebSocketIsBlockedTheWidgetSendsOverHttpAndPollsForReplies() {
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", "window.WebSocket = undefined;"));
        openDemo();
        widget().findElement(By.cssSelector(".bubble")).click();
        String question = "No sockets here " + System.nanoTime();
        write(question);
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, question).size() == 1);
        String visitorId = callbacksMentioning(MESSAGE_RECEIVE, question).get(0).at("/messages/0/from").asText();

        String answer = "Polled reply " + System.nanoTime();
        Sent sent = clientSends(visitorId, answer);
        await().atMost(PATIENCE).until(() -> texts(".from-business .text").contains(answer));
        await().atMost(PATIENCE).until(() -> statusOf(sent).equals("read"));
    }

    @Test
    void onAPhoneTheOpenPanelsSendButtonIsTappableAndTheBubbleSaysWhatItDoes() {
        browser.manage().window().setSize(new Dimension(390, 844));
        openDemo();
        WebElement bubble = widget().findElement(By.cssSelector(".bubble"));
        assertThat(bubble.getAttribute("aria-label")).isEqualTo("Open chat");
        bubble.click();
        assertThat(bubble.getAttribute("aria-label")).isEqualTo("Close chat");
        String text = "Tapped Send on a phone " + System.nanoTime();
        widget().findElement(By.cssSelector("#mehery-input")).sendKeys(text);
        WebElement send = widget().findElement(By.cssSelector(".send"));
        // a tap lands on whatever is on top at the button's centre: it must be the button itself
        Object onTop = ((JavascriptExecutor) browser).executeScript("var r = arguments[0].getBoundingClientRect();"
                + " var hit = document.getElementById('mehery-webchat').shadowRoot.elementFromPoint(r.x + r.width / 2,"
                + " r.y + r.height / 2); return hit === arguments[0];", send);
        assertThat(onTop).isEqualTo(true);
        send.click();
        await().atMost(PATIENCE).until(() -> callbacksMentioning(MESSAGE_RECEIVE, text).size() == 1);
        assertThat(widget().findElement(By.cssSelector(".panel")).isDisplayed()).isTrue();
        assertNoSeriousAccessibilityViolations();
    }

    @Test
    void theDemoPageShowsTheVisitorIdAndAReadyCurlLine() {
        openDemo();
        await().atMost(PATIENCE).until(() -> browser.findElement(By.id("visitor-id")).getText().startsWith("anon:"));
        String visitorId = browser.findElement(By.id("visitor-id")).getText();
        assertThat(browser.findElement(By.id("send-example")).getText()).contains("\"phone\":\"" + visitorId + "\"")
                .contains("http://127.0.0.1:" + port() + "/api/v1/message/send").contains("\"channelId\":\"" + CHANNEL);
        assertNoSeriousAccessibilityViolations();
    }

    @Test
    void theWidgetIsUsableByKeyboardAndFillsAPhoneScreen() {
        browser.manage().window().setSize(new Dimension(375, 740));
        openDemo();
        WebElement bubble = widget().findElement(By.cssSelector(".bubble"));
        bubble.sendKeys(Keys.ENTER);
        await().atMost(PATIENCE).until(() -> "mehery-input".equals(((JavascriptExecutor) browser).executeScript(
                "return document.getElementById('mehery-webchat').shadowRoot.activeElement.id")));
        long panelWidth = (Long) ((JavascriptExecutor) browser).executeScript("return Math.round(document"
                + ".getElementById('mehery-webchat').shadowRoot.querySelector('.panel').getBoundingClientRect().width)");
        long viewport = (Long) ((JavascriptExecutor) browser).executeScript("return window.innerWidth");
        assertThat(panelWidth).isEqualTo(viewport);

        new Actions(browser).sendKeys(Keys.ESCAPE).perform();
        await().atMost(PATIENCE).until(() -> "false".equals(bubble.getAttribute("aria-expanded")));
        assertThat(widget().findElement(By.cssSelector(".panel")).isDisplayed()).isFalse();
    }

    private void assertNoSeriousAccessibilityViolations() {
        assertThat(chromium.seriousAccessibilityViolations()).as("axe-core violations").isEmpty();
    }

    private void openDemo() {
        browser.get("http://127.0.0.1:" + port() + "/webchat/" + CHANNEL + "/demo");
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.id("mehery-webchat")).isEmpty());
    }

    private SearchContext widget() {
        return browser.findElement(By.id("mehery-webchat")).getShadowRoot();
    }

    private void write(String text) {
        WebElement input = widget().findElement(By.cssSelector("#mehery-input"));
        input.sendKeys(text);
        input.sendKeys(Keys.ENTER);
    }

    private List<String> texts(String selector) {
        return widget().findElements(By.cssSelector(selector)).stream().map(WebElement::getText).toList();
    }

    private Sent clientSends(String visitorId, String text) {
        Api.Reply reply = api.post("/api/v1/message/send", TENANT_KEY, "{\"channelId\":\"" + CHANNEL
                + "\",\"to\":{\"phone\":\"" + visitorId + "\"},\"type\":\"text\",\"text\":{\"body\":"
                + quoted(text) + "}}");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return new Sent(reply.data().get("id").asText(), reply.data().get("sessionId").asText());
    }

    /** The message's status as the client reads it in session/messages. */
    private String statusOf(Sent sent) {
        for (var message : api.get("/api/v1/session/messages?sessionId=" + sent.sessionId(), TENANT_KEY).json()
                .get("results")) {
            if (message.get("messageId").asText().equals(sent.id())) {
                return message.get("status").asText();
            }
        }
        return "missing";
    }

    record Sent(String id, String sessionId) {
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
