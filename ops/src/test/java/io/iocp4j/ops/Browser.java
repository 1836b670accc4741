package io.iocp4j.ops;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Headless Chromium driven through chromedriver, both started here and both stopped by their process ids at the
 * end, whatever state they are in. Found at the Debian packages' paths, or where {@code iocp4j.chromium} and
 * {@code iocp4j.chromedriver} say.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("iocp4j.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("iocp4j.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final ChromeDriverService service;
    private final List<ProcessHandle> started;

    private Browser(ChromeDriverService service, ChromeDriver driver, List<ProcessHandle> started) {
        this.service = service;
        this.driver = driver;
        this.started = started;
    }

    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    static Browser start(int width, int height) throws Exception {
        List<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).toList();
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(new File(System.getProperty("java.io.tmpdir"), "iocp4j-chromedriver.log"))
                .build();
        service.start();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--window-size=" + width + "," + height, "--hide-scrollbars", "--force-device-scale-factor=1",
                        "--no-first-run", "--disable-extensions", "--proxy-server=direct://",
                        "--proxy-bypass-list=*");
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        // Our children that were not there before: chromedriver, and below it the browser's processes.
        List<ProcessHandle> started = ProcessHandle.current().children()
                .filter(child -> !before.contains(child.pid())).toList();
        return new Browser(service, driver, started);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } catch (RuntimeException alreadyGone) {
            // Ended already; what is left is stopped below by id.
        }
        service.stop();
        for (ProcessHandle process : started) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
