package io.iocp4j.ops;

import io.iocp4j.CloseReason;
import io.iocp4j.ConnectionInfo;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The dashboard in a real browser against a server with live traffic: the counters and charts follow the server,
 * the table lists its connections, and the disconnect button closes one only with the token. Saves the
 * screenshot the README shows.
 */
class DashboardBrowserTest {
    private static final int PEERS = 14;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void theDashboardFollowsTheServerAndDisconnectsOnlyWithTheToken() throws Exception {
        if (!Browser.available()) {
            System.err.println("""
                    !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                    !! DashboardBrowserTest SKIPPED: no chromium or chromedriver at %s, %s.
                    !! bin/test installs them (Debian packages chromium, chromium-driver) when it can.
                    !!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
                    """.formatted(Browser.CHROMIUM, Browser.CHROMEDRIVER));
        }
        assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
        AtomicBoolean running = new AtomicBoolean(true);
        try (EchoFixture fixture = new EchoFixture(2)) {
            List<Socket> peers = new ArrayList<>();
            for (int i = 0; i < PEERS; i++) {
                peers.add(fixture.connect());
            }
            Thread traffic = Thread.ofPlatform().name("dashboard-traffic").start(() -> echoUntilStopped(peers, running));
            try (Browser browser = Browser.start(1440, 1720)) {
                browser.driver.get(fixture.ops.url().toString());
                // The page redraws its rows each second: an element found a moment ago may be gone; look again.
                Wait<WebDriver> wait = new WebDriverWait(browser.driver, WAIT)
                        .ignoring(StaleElementReferenceException.class);

                wait.until(d -> text(d.findElement(By.id("connections-open"))).equals(Integer.toString(PEERS)));
                assertEquals("serving", text(browser.driver.findElement(By.id("status"))));
                int polls = intAttribute(browser.driver.findElement(By.tagName("body")), "data-polls");
                wait.until(d -> intAttribute(d.findElement(By.id("chart-bytes")), "data-points") >= 3);
                int points = intAttribute(browser.driver.findElement(By.id("chart-bytes")), "data-points");
                wait.until(d -> intAttribute(d.findElement(By.id("chart-bytes")), "data-points") > points);
                assertTrue(intAttribute(browser.driver.findElement(By.tagName("body")), "data-polls") > polls);
                assertFalse(browser.driver.findElements(By.cssSelector("#chart-bytes canvas")).isEmpty());
                wait.until(d -> text(d.findElement(By.id("bytes-in-rate"))).matches("[1-9].*"));
                String accepted = text(browser.driver.findElement(By.id("accepted")));
                assertEquals(Long.toString(fixture.server.stats().accepted()), accepted.replace(",", ""));

                List<Long> ids = fixture.server.connections().stream().map(ConnectionInfo::id).toList();
                wait.until(d -> rowIds(d).equals(ids));

                // Newest first by id, sorted on the server.
                browser.driver.findElement(By.cssSelector("th[data-sort='id']")).click();
                wait.until(d -> rowIds(d).getFirst()
                        .equals(ids.getLast()));

                long victim = ids.get(ids.size() / 2);
                WebElement filter = browser.driver.findElement(By.id("filter"));
                // Its peer's port is its own: the filter leaves that one row.
                int victimPort = fixture.server.connection(victim).orElseThrow().remoteAddress().getPort();
                filter.sendKeys(":" + victimPort);
                wait.until(d -> rowIds(d).equals(List.of(victim)));

                // Without the token the button only says what it needs.
                clickDisconnect(wait, victim);
                wait.until(d -> text(d.findElement(By.id("action-message"))).contains("token"));
                WebElement token = browser.driver.findElement(By.id("token"));
                token.sendKeys("wrong-token");
                clickDisconnect(wait, victim);
                wait.until(d -> text(d.findElement(By.id("action-message"))).startsWith("403"));
                Thread.sleep(1500);
                assertTrue(fixture.server.connection(victim).orElseThrow().isOpen());
                assertFalse(fixture.disconnected.containsKey(victim));

                token.clear();
                token.sendKeys(fixture.ops.token());
                clickDisconnect(wait, victim);
                MetricsEndpointTest.waitUntil(() -> fixture.disconnected.get(victim) == CloseReason.CLOSED_LOCALLY);
                wait.until(d -> !rowIds(d).contains(victim));
                wait.until(d -> text(d.findElement(By.id("connections-open"))).equals(Integer.toString(PEERS - 1)));
                assertEquals(PEERS - 1, fixture.server.connectionCount());

                filter.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
                // A few more seconds of traffic, so the charts show a stretch of it.
                wait.until(d -> intAttribute(d.findElement(By.id("chart-bytes")), "data-points") >= 12);
                wait.until(d -> rowIds(d).size() == PEERS - 1);
                saveScreenshot(browser);
            } finally {
                running.set(false);
                traffic.join(10_000);
            }
        }
    }

    /** Clicks the row's disconnect button, finding it again if a redraw replaced it before the click. */
    private static void clickDisconnect(Wait<WebDriver> wait, long id) {
        wait.until(d -> {
            d.findElement(By.cssSelector("#connections tbody tr[data-id='" + id
                    + "'] button[data-action='disconnect']")).click();
            return true;
        });
    }

    /** Echoes on every peer in turn, with sizes and pauses that vary, until stopped; a closed peer is dropped. */
    private static void echoUntilStopped(List<Socket> peers, AtomicBoolean running) {
        List<Socket> live = new ArrayList<>(peers);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long start = System.nanoTime();
        while (running.get() && !live.isEmpty()) {
            // A slow swell over the seconds, so the charts show more than a flat line.
            double phase = Math.sin((System.nanoTime() - start) / 3e9);
            for (int i = 0; i < live.size(); i++) {
                try {
                    EchoFixture.echo(live.get(i), 200 + random.nextInt((int) (3000 + 2500 * phase)));
                } catch (IOException closed) {
                    live.remove(i--);
                }
            }
            try {
                Thread.sleep(2 + (long) (3 * (1 - phase)));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void saveScreenshot(Browser browser) throws IOException {
        Path target = Path.of(System.getProperty("iocp4j.screenshot", "target/dashboard.png"));
        Path shot = browser.driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(target.toAbsolutePath().getParent());
        Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
        assertNotEquals(0, Files.size(target));
    }

    /** The ids of the table's rows, read in one script so that a redraw cannot fall between two of them. */
    private static List<Long> rowIds(WebDriver driver) {
        Object ids = ((JavascriptExecutor) driver).executeScript(
                "return [...document.querySelectorAll('#connections tbody tr')].map(row => row.dataset.id);");
        return ((List<?>) ids).stream().map(id -> Long.parseLong((String) id)).toList();
    }

    private static String text(WebElement element) {
        return element.getText().strip();
    }

    private static int intAttribute(WebElement element, String name) {
        String value = element.getDomAttribute(name);
        return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
    }
}
