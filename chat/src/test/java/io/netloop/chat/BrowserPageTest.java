package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The chat page in a real browser: Debian's headless Chromium, driven by Selenium through
 * Debian's chromedriver (both named by path, so Selenium Manager downloads nothing), talks
 * with a TCP member of the same room.
 */
@ExtendWith(LeakCheck.class)
class BrowserPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(30);

    private ChatServer chat;
    private Path profile;
    private ChromeDriverService service;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeEach
    void start() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new AssertionError("this test drives " + CHROMIUM + " through " + CHROMEDRIVER
                    + ", which are missing: run scripts/install-test-deps.sh (it installs Debian's chromium"
                    + " and chromium-driver)");
        }
        chat = ChatServer.builder().port(0).httpPort(0).start();
        profile = Files.createTempDirectory("netloop-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--window-size=1000,800",
                "--user-data-dir=" + profile);
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(java.io.OutputStream.nullOutputStream())
                .build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, WAIT);
    }

    @AfterEach
    void stop() throws IOException {
        try {
            if (browser != null) browser.quit();
        } finally {
            if (service != null) service.stop();
            if (chat != null) chat.close();
            if (profile != null) deleteTree(profile);
        }
    }

    @Test
    void thePageAndATcpClientTalkBothWays() throws Exception {
        int tcpPort = chat.tcpAddress().getPort();
        try (LineClient terminal = LineClient.join(tcpPort, "terminal")) {
            openPage();
            // Who is here shows before choosing a nickname.
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "terminal"));
            join("browser");
            assertThat(terminal.expect(l -> l.startsWith("*** browser"))).isEqualTo("*** browser joined");
            wait.until(d -> texts("#who li").equals(List.of("terminal", "browser")));

            // The page to TCP, markup and all, as typed.
            send("hello <b>from</b> chromium & co");
            assertThat(terminal.expect(l -> l.startsWith("<browser>")))
                    .isEqualTo("<browser> hello <b>from</b> chromium & co");

            // TCP to the page: shown as text, never parsed as markup.
            terminal.send("hi <i>browser</i> <img src=x onerror=\"document.title='owned'\">");
            waitForLine("<terminal> hi <i>browser</i> <img src=x onerror=\"document.title='owned'\">");
            assertThat(browser.findElements(By.cssSelector("#messages i, #messages img")))
                    .isEmpty();
            assertThat(browser.getTitle()).isEqualTo("netloop chat");

            // An error from the server is shown.
            send("/nick TERMINAL");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error")));
            assertThat(browser.findElement(By.id("error")).getText())
                    .isEqualTo("the nickname TERMINAL is taken; choose another");

            // The page's /me reaches TCP, and TCP's leave reaches the page's list.
            send("/me waves");
            assertThat(terminal.expect(l -> l.startsWith("* "))).isEqualTo("* browser waves");
            terminal.send("/quit");
            waitForLine("terminal left (quit)");
            wait.until(d -> texts("#who li").equals(List.of("browser")));
        }
    }

    @Test
    void thePageReconnectsAndRejoinsAfterTheServerRestarts() throws Exception {
        openPageAndJoin("phoenix");
        int httpPort = chat.httpAddress().getPort();
        int tcpPort = chat.tcpAddress().getPort();
        chat.close();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "reconnecting"));
        chat = ChatServer.builder()
                .port(tcpPort)
                .httpPort(httpPort)
                .start(); // same ports: the page knows only its own origin
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "connected"));
        try (LineClient terminal = LineClient.connect(tcpPort)) {
            terminal.expect(l -> l.startsWith("*** welcome"));
            terminal.send("/who");
            // The page asks for its nickname again by itself once it is back.
            long deadline = System.nanoTime() + WAIT.toNanos();
            String online;
            do {
                online = terminal.expect(l -> l.startsWith("*** online"));
                if (!online.contains("phoenix")) {
                    Thread.sleep(100);
                    terminal.send("/who");
                }
            } while (!online.contains("phoenix") && System.nanoTime() < deadline);
            assertThat(online).isEqualTo("*** online (1): phoenix");
        }
    }

    private void openPageAndJoin(String nick) {
        openPage();
        join(nick);
    }

    private void openPage() {
        browser.get("http://127.0.0.1:" + chat.httpAddress().getPort() + "/");
        assertThat(browser.getTitle()).isEqualTo("netloop chat");
    }

    private void join(String nick) {
        wait.until(ExpectedConditions.elementToBeClickable(By.id("nick-button")));
        browser.findElement(By.id("nick")).sendKeys(nick);
        browser.findElement(By.id("nick-button")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("text")));
        waitForLine("you are " + nick);
    }

    private void send(String text) {
        WebElement input = browser.findElement(By.id("text"));
        input.sendKeys(text);
        browser.findElement(By.id("send")).click();
        wait.until(d -> input.getAttribute("value").isEmpty());
    }

    private void waitForLine(String text) {
        wait.withMessage(() -> "the page's messages to show \"" + text + "\"; they are " + texts("#messages li"))
                .until(d -> texts("#messages li").contains(text));
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream()
                .map(WebElement::getText)
                .toList();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
