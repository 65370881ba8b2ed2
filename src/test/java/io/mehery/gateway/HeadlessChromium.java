package io.mehery.gateway;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real browser for the tests of the gateway's pages: Debian's headless Chromium driven by Selenium, a profile of its
 * own per browser. Without chromium and chromium-driver the test is skipped, saying so (.ci/run installs them).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final String CHROMIUM = System.getProperty("mehery.chromium", "/usr/bin/chromium");
    private static final String CHROMEDRIVER = System.getProperty("mehery.chromedriver", "/usr/bin/chromedriver");
    private static final boolean PRESENT = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
    private static final AtomicBoolean TOLD = new AtomicBoolean();
    private static final String AXE = axeScript();

    private final ChromeDriver browser;
    private final Path profile;

    private HeadlessChromium(ChromeDriver browser, Path profile) {
        this.browser = browser;
        this.profile = profile;
    }

    /** A new browser of {@code width} x {@code height}; the calling test is skipped, with the reason, without one. */
    public static HeadlessChromium open(String what, int width, int height) {
        String absent = what + " skipped: install Debian's chromium and chromium-driver (" + CHROMIUM + ", "
                + CHROMEDRIVER + "); .ci/run does";
        if (!PRESENT && !TOLD.getAndSet(true)) {
            System.err.println(absent);
        }
        Assumptions.assumeTrue(PRESENT, absent);
        try {
            Path profile = Files.createTempDirectory("mehery-chromium");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments("--headless=new",
                    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            return new HeadlessChromium(new ChromeDriver(service, options), profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return browser;
    }

    /** A phone's screen from here on ({@code width} CSS pixels): a window cannot be made that narrow. */
    public void emulateScreen(int width, int height) {
        browser.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", true));
    }

    public Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /**
     * The serious and critical violations axe-core (its WebJar) finds in the page as it is now, shadow roots
     * included, by the rules of WCAG 2.1 A and AA and its best practices: each as "rule (impact): where".
     */
    public List<?> seriousAccessibilityViolations() {
        JavascriptExecutor page = (JavascriptExecutor) browser;
        page.executeScript(AXE);
        return (List<?>) page.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + " axe.run(document, {resultTypes: ['violations']}).then(function (r) {"
                + " done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })"
                + ".map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) {"
                + " return n.target.join(' ') + ' ' + (n.failureSummary || ''); }).join('; '); })); })"
                + ".catch(function (e) { done(['axe failed: ' + e]); });");
    }

    /** The page as it looks now, saved as a PNG at {@code file}. */
    public void screenshot(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        browser.quit();
        try (var files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String axeScript() {
        try (InputStream in = HeadlessChromium.class.getResourceAsStream(
                "/META-INF/resources/webjars/axe-core/4.6.3/axe.min.js")) {
            if (in == null) {
                throw new IllegalStateException("axe-core's WebJar is a test dependency");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
