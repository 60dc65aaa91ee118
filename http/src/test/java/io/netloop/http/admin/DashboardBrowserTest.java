package io.netloop.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real browser (headless Chromium): its requests/s follows the load. */
@ExtendWith(LeakCheck.class)
class DashboardBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @Test
    void requestsPerSecondMovesWhenLoadIsAppliedAndFallsBackWhenItStops(@TempDir Path profile) throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("this test drives " + CHROMIUM + " through " + CHROMEDRIVER + ": run scripts/install-test-deps.sh "
                    + "(Debian packages chromium and chromium-driver)");
        }
        HttpServer s = AdminTest.site(1);
        Admin.onPath(s, "/_netloop", Duration.ofMillis(250));
        s.start();
        // Selenium is pointed at the installed browser and driver, so that nothing is downloaded.
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile.resolve("chromium"));
        WebDriver browser = null;
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread load = null;
        try {
            browser = new ChromeDriver(service, options);
            WebDriver b = browser;
            browser.get("http://127.0.0.1:" + s.port() + "/_netloop/dashboard");
            WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(100));
            wait.until(d -> d.findElement(By.id("status")).getText().equals("ready"));
            wait.until(d -> rps(d) == 0);

            load = Thread.ofPlatform().name("dashboard-load").start(() -> {
                try (HttpClient client = HttpClient.newHttpClient()) {
                    while (loading.get()) AdminTest.get(client, s.port(), "/hello");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            wait.until(d -> rps(d) > 10);
            Object drawn = ((JavascriptExecutor) b).executeScript("return series.rps.filter(v => v > 10).length;");
            assertThat(((Number) drawn).intValue())
                    .as("samples in the requests/s chart")
                    .isPositive();
            assertThat(Double.parseDouble(b.findElement(By.id("p99")).getText()))
                    .isPositive();
            assertThat(b.findElement(By.id("connections")).getText()).isNotEqualTo("0");

            loading.set(false);
            load.join(10_000);
            wait.until(d -> rps(d) == 0);
        } finally {
            loading.set(false);
            if (load != null) load.join(10_000);
            if (browser != null) browser.quit();
            service.stop();
            s.close();
        }
    }

    private static double rps(WebDriver d) {
        String text = d.findElement(By.id("rps")).getText();
        return text.equals("–") ? -1 : Double.parseDouble(text);
    }
}
