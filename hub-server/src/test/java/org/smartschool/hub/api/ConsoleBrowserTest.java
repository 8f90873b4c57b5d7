package org.smartschool.hub.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.smartschool.hub.testsupport.HubFixture.GATEWAY_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_1;
import static org.smartschool.hub.testsupport.HubFixture.SCHOOL_2;
import static org.smartschool.hub.testsupport.HubFixture.SECRET_1;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.smartschool.bridge.alarm.AlarmTransition;
import org.smartschool.bridge.alarm.AlarmTransitions;
import org.smartschool.bridge.model.DeviceEvent;
import org.smartschool.bridge.model.DeviceRef;
import org.smartschool.bridge.model.Quantity;
import org.smartschool.bridge.model.Reading;
import org.smartschool.bridge.uplink.Batch;
import org.smartschool.gateway.rules.LessonHours;
import org.smartschool.gateway.rules.RuleBook;
import org.smartschool.gateway.rules.RuleEngine;
import org.smartschool.hub.app.Hub;
import org.smartschool.hub.config.RegistryConfig;
import org.smartschool.hub.testsupport.Http;
import org.smartschool.hub.testsupport.HubFixture;
import org.smartschool.hub.testsupport.TestGateway;

/**
 * The operations console end to end in Debian's Chromium driven by Selenium through Debian's chromedriver (nothing
 * downloaded): a real hub with a registry, a real gateway's batches over MQTT whose alarm was raised by the school's
 * own rules (the edge gateway's rule engine) from the batch's readings. A district operator signs in through the form,
 * sees the district's outline map (map tiles are unreachable, as at an offline school), opens a school, watches a
 * value change live, acknowledges an alarm, sees the gateway go offline, reads today's attendance, switches to English, and narrows the window to
 * a phone's; a school viewer then sees its school only, without acknowledge buttons. Each page's screenshot is saved
 * to {@code target/console-screenshots}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class ConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String OPERATOR = "hoa.tran";
    private static final String OPERATOR_PASSWORD = "quan-3-van-hanh";
    private static final String VIEWER = "lan.nguyen";
    private static final String VIEWER_PASSWORD = "nguyen-du-xem-1";
    private static final ZoneId SCHOOL_ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    /** The day as each language writes it on the chart's axis: Vietnamese "3/12", English "3 Dec". */
    private static final DateTimeFormatter VI_DAY = DateTimeFormatter.ofPattern("d/M");
    private static final DateTimeFormatter EN_DAY = DateTimeFormatter.ofPattern("d MMM", Locale.ENGLISH);

    /** Verifies the console's whole round: sign-in, map, school, live value, acknowledgement, attendance, language, phone, scope. */
    @Test
    void anOperatorWorksThroughTheConsoleAndAViewerSeesOnlyTheirSchool(Vertx vertx, @TempDir Path dir) throws Exception {
        Browser browser = Browser.find();
        Hub hub = HubFixture.start(vertx, HubFixture.config(dir).withRegistry(new RegistryConfig(inventory(dir).toString(), "")));
        WebDriver driver = null;
        try (TestGateway gateway = TestGateway.connect(hub.mqttPort(), SCHOOL_1, GATEWAY_1, SECRET_1)) {
            Http admin = Http.admin(hub);
            createUser(admin, OPERATOR, OPERATOR_PASSWORD, "district-operator", null);
            createUser(admin, VIEWER, VIEWER_PASSWORD, "school-viewer", SCHOOL_1);
            LocalDate today = LocalDate.now(SCHOOL_ZONE);
            attendance(admin, "att-console-1", "079201001234", "present", today);
            attendance(admin, "att-console-2", "079201005678", "late", today);
            String alarmId = sendClassroomWithAnAlarm(gateway);

            if (Files.isDirectory(SCREENSHOTS)) {
                // this run's pictures only
                try (var old = Files.list(SCREENSHOTS)) {
                    for (Path png : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                        Files.delete(png);
                    }
                }
            }
            driver = browser.start(dir);
            WebDriverWait wait = new WebDriverWait(driver, WAIT);
            String base = "http://127.0.0.1:" + hub.httpPort() + "/";
            List<Path> shots = new ArrayList<>();
            try {
                // 1. the sign-in form, in Vietnamese by default
                driver.get(base);
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
                assertThat(driver.findElement(By.id("login-submit")).getText()).isEqualTo("Đăng nhập");
                assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("vi");
                shots.add(screenshot(driver, "01-login"));
                signIn(driver, wait, OPERATOR, "wrong password");
                wait.until(ExpectedConditions.textToBe(By.id("login-error"), "Sai tên đăng nhập hoặc mật khẩu."));
                signIn(driver, wait, OPERATOR, OPERATOR_PASSWORD);

                // 2. the district: the outline map (no tiles here), a dot per school placed by latitude and longitude
                wait.until(ExpectedConditions.textToBe(By.id("who"), OPERATOR + " · Người vận hành của quận · toàn quận"));
                assertThat(driver.findElement(By.id("district-view")).isDisplayed()).isTrue();
                assertThat(driver.findElement(By.id("login-view")).isDisplayed()).isFalse();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("map-fallback")));
                WebElement dotA = wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#outline circle.school-dot[data-school='" + SCHOOL_1 + "']")));
                WebElement dotB = driver.findElement(By.cssSelector("#outline circle.school-dot[data-school='" + SCHOOL_2 + "']"));
                // A lies north-west of B (inventory): left of it and higher up in the box
                assertThat(Double.parseDouble(dotA.getAttribute("cx"))).isLessThan(Double.parseDouble(dotB.getAttribute("cx")));
                assertThat(Double.parseDouble(dotA.getAttribute("cy"))).isLessThan(Double.parseDouble(dotB.getAttribute("cy")));
                // A has a critical alarm open: red; B has sent nothing: no data
                wait.until(ExpectedConditions.attributeContains(dotA, "class", "status-alarm"));
                assertThat(dotB.getAttribute("class")).contains("status-no-data");
                assertThat(driver.findElements(By.cssSelector("#outline text")).stream().map(WebElement::getText).toList())
                        .containsExactlyInAnyOrder("THCS Nguyễn Du", "Tiểu học Lê Lợi");
                assertThat(driver.findElement(By.id("map")).isDisplayed()).as("the tile map is replaced by the outline").isFalse();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#alarms tr[data-alarm='" + alarmId + "'] button.ack")));
                assertThat(driver.findElement(By.cssSelector("#district-reports a.report")).getAttribute("href"))
                        .contains("/api/v1/reports/monthly/district?month=" + today.toString().substring(0, 7) + "&format=pdf");
                shots.add(screenshot(driver, "02-district-map"));

                // 3. a school, opened from its dot on the map
                driver.findElement(By.cssSelector("#outline g.school-marker[data-school='" + SCHOOL_1 + "']")).click();
                wait.until(ExpectedConditions.textToBe(By.id("school-name"), "THCS Nguyễn Du"));
                By co2 = By.cssSelector("#rooms [data-room='r101'] dd[data-quantity='co2']");
                wait.until(ExpectedConditions.textToBe(co2, "2400 ppm"));
                assertThat(driver.findElement(By.cssSelector("#rooms [data-room='r101']")).getAttribute("data-comfort")).isEqualTo("alarm");
                assertThat(driver.findElement(By.cssSelector("#rooms [data-room='r101'] h4")).getText()).isEqualTo("Lớp 6A1");
                assertThat(driver.findElement(By.cssSelector("#rooms [data-room='r102'] dd[data-quantity='co2']")).getText()).isEqualTo("640 ppm");
                assertThat(driver.findElement(By.cssSelector("#rooms [data-room='r101'] dd[data-quantity='temperature']")).getText())
                        .isEqualTo("29,4 °C");
                // the chart of the last 24 h: 15-minute means of r101's CO2
                wait.until(d -> d.findElement(By.id("chart")).getAttribute("data-points") != null);
                assertThat(Integer.parseInt(driver.findElement(By.id("chart")).getAttribute("data-points"))).isGreaterThanOrEqualTo(2);
                assertThat(driver.findElement(By.id("chart")).getAttribute("data-room")).isEqualTo("r101");
                // its time axis in Vietnamese, 24-hour, in the school's zone: "HH:mm", the day written "3/12"
                assertChartInLanguage(driver, wait, "Thời gian", VI_DAY, "-?\\d+(,\\d+)?");
                // equipment with its maintenance state, the gateway's health, reports
                assertThat(driver.findElement(By.cssSelector("#equipment tr[data-equipment='r101-air']")).getText())
                        .contains("Cảm biến chất lượng không khí", "Đang sử dụng", "hiệu chuẩn");
                assertThat(driver.findElement(By.cssSelector("#equipment tr[data-equipment='r102-air'] .equipment-status")).getText())
                        .isEqualTo("Đang sửa chữa");
                wait.until(ExpectedConditions.textToBePresentInElementLocated(
                        By.cssSelector("#gateways tr[data-gateway='" + GATEWAY_1 + "']"), "Trực tuyến"));
                assertThat(driver.findElement(By.cssSelector("#school-reports a.report")).getAttribute("href"))
                        .contains("/api/v1/reports/monthly?school=" + SCHOOL_1 + "&month=" + today.toString().substring(0, 7) + "&format=pdf");

                // 4. attendance today: counts per class and session
                WebElement attendance = wait.until(ExpectedConditions.presenceOfElementLocated(
                        By.cssSelector("#attendance tr[data-class='6a'][data-session='morning']")));
                assertThat(attendance.findElement(By.cssSelector("td.present")).getText()).isEqualTo("1");
                assertThat(attendance.findElement(By.cssSelector("td.late")).getText()).isEqualTo("1");
                assertThat(attendance.findElement(By.cssSelector("td.total")).getText()).isEqualTo("2");

                // 5. a live value: a new batch changes r101's CO2 in the page, which does not reload
                ((JavascriptExecutor) driver).executeScript("window.__sameDocument = true;");
                wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "connected"));
                long now = System.currentTimeMillis();
                assertThat(gateway.sendBatch(new Batch(GATEWAY_1 + "-console-2", GATEWAY_1, SCHOOL_1, List.of(
                        Reading.of(new DeviceRef(SCHOOL_1, "r101", "r101-air"), Quantity.CO2, 1234, now)), List.of())).reasonCode()).isZero();
                wait.until(ExpectedConditions.textToBe(co2, "1234 ppm"));
                assertThat(((JavascriptExecutor) driver).executeScript("return window.__sameDocument === true;")).isEqualTo(true);

                // 6. acknowledge the alarm in the page; the API says who did
                By ack = By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] button.ack");
                wait.until(ExpectedConditions.elementToBeClickable(ack)).click();
                WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(
                        By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] input.ack-note")));
                note.sendKeys("Đã mở cửa sổ phòng 6A1");
                driver.findElement(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] button.confirm")).click();
                wait.until(ExpectedConditions.textToBe(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] .alarm-state"),
                        "Đã xác nhận bởi " + OPERATOR));
                assertThat(driver.findElements(ack)).as("no acknowledge button on an acknowledged alarm").isEmpty();
                JsonObject alarm = admin.get("/api/v1/alarms/" + alarmId).json();
                assertThat(alarm.getString("state")).isEqualTo("acknowledged");
                assertThat(alarm.getJsonObject("acknowledged").getString("by")).isEqualTo(OPERATOR);
                assertThat(alarm.getJsonObject("acknowledged").getString("note")).isEqualTo("Đã mở cửa sổ phòng 6A1");
                // and the audit log holds the session's user as the actor, not just what the body said
                org.smartschool.hub.testsupport.Poll.until(WAIT, "the acknowledgement's audit entry", () -> admin.get("/api/v1/audit")
                        .json().getJsonArray("entries").stream().map(JsonObject.class::cast).anyMatch(e ->
                                e.getString("action").equals("POST /api/v1/alarms/{id}/ack") && e.getString("actor").equals(OPERATOR)
                                        && e.getInteger("status") == 200));
                // the gateway goes away: its event in the page, live, with its cause in Vietnamese
                gateway.close();
                By offline = By.cssSelector("#gateways li[data-type='gateway_offline']");
                wait.until(ExpectedConditions.presenceOfElementLocated(offline));
                assertThat(driver.findElement(offline).getText()).endsWith(" · " + GATEWAY_1 + " · Cổng kết nối mất kết nối (đã ngắt kết nối)");
                // the gateway's description of the alarm ("2400 ppm above 2000") in Vietnamese
                assertThat(driver.findElement(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] .note")).getText())
                        .isEqualTo("2400 ppm, vượt ngưỡng 2000");
                // every form the edge gateway's rules describe an alarm in (RuleTrack.describe), and one it does not
                assertThat(alarmDetails(driver, "29.5 Cel above 28", "15 Cel below 18", "35 %RH outside 40-70",
                        "10 min mean 1600.5 ppm above 1500", "rising 120 ppm/min, faster than 100", "the same value in 30 readings",
                        "no reading for 1 h", "a gateway's new words")).containsExactly("29,5 °C, vượt ngưỡng 28", "15 °C, dưới ngưỡng 18",
                        "35 %, ngoài khoảng 40–70", "Trung bình 10 phút: 1600,5 ppm, vượt ngưỡng 1500", "Tăng 120 ppm/phút, nhanh hơn 100",
                        "Cùng một giá trị trong 30 lần đo", "Không có số đo trong 1 giờ", "a gateway's new words");
                shots.add(screenshot(driver, "03-school-vi"));

                // 7. English: the labels change, and stay English after a reload (remembered in the browser)
                new Select(driver.findElement(By.id("lang"))).selectByValue("en");
                wait.until(ExpectedConditions.textToBe(By.cssSelector("#attendance-panel h3"), "Attendance today"));
                assertThat(driver.findElement(By.cssSelector("#rooms-panel h3")).getText()).isEqualTo("Rooms now");
                assertThat(driver.findElement(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] .alarm-state")).getText())
                        .isEqualTo("Acknowledged by " + OPERATOR);
                assertThat(driver.findElement(By.cssSelector("#rooms [data-room='r101'] dd[data-quantity='temperature']")).getText())
                        .isEqualTo("29.4 °C");
                assertThat(driver.findElement(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "'] .note")).getText())
                        .isEqualTo("2400 ppm above 2000");
                assertThat(driver.findElement(By.cssSelector("#equipment tr[data-equipment='r101-air']")).getText())
                        .contains("Air quality sensor", "In service", "calibration");
                assertThat(driver.findElement(offline).getText()).endsWith(" · " + GATEWAY_1 + " · Gateway offline (disconnected)");
                // the chart is drawn again in English: still 24-hour, the day written "3 Dec"
                assertChartInLanguage(driver, wait, "Time", EN_DAY, "-?\\d+(\\.\\d+)?");
                driver.navigate().refresh();
                wait.until(ExpectedConditions.textToBe(By.cssSelector("#attendance-panel h3"), "Attendance today"));
                assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
                wait.until(ExpectedConditions.textToBe(co2, "1234 ppm"));
                shots.add(screenshot(driver, "04-school-en"));

                // 8. a phone: one column, nothing wider than the screen
                driver.manage().window().setSize(new Dimension(390, 844));
                wait.until(d -> oneColumn(d, "rooms-panel", "chart-panel", "school-alarms-panel", "attendance-panel", "gateways-panel",
                        "equipment-panel"));
                // the chart is drawn again to the narrower box
                wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("const c = document.querySelector('#chart .uplot');"
                        + " return c ? c.getBoundingClientRect().width : 0;")).doubleValue() <= 390);
                assertThat(((Number) ((JavascriptExecutor) driver).executeScript(
                        "return document.documentElement.scrollWidth - window.innerWidth;")).intValue())
                        .as("no horizontal scrolling on a phone").isLessThanOrEqualTo(0);
                shots.add(screenshot(driver, "05-phone"));
                // the chart on the phone, still 24-hour in English
                ((JavascriptExecutor) driver).executeScript("document.getElementById('chart-panel').scrollIntoView();");
                assertChartInLanguage(driver, wait, "Time", EN_DAY, "-?\\d+(\\.\\d+)?");
                shots.add(screenshot(driver, "05-phone-chart"));
                driver.manage().window().setSize(new Dimension(1280, 1000));

                // 9. a school's viewer: its own school only, and no acknowledge button
                driver.findElement(By.id("logout")).click();
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-form")));
                assertThat(admin.as(null).get("/api/v1/auth/me").status()).isEqualTo(401);
                signIn(driver, wait, VIEWER, VIEWER_PASSWORD);
                wait.until(ExpectedConditions.textToBe(By.id("school-name"), "THCS Nguyễn Du"));
                wait.until(ExpectedConditions.textToBe(co2, "1234 ppm"));
                wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#school-alarms tr[data-alarm='" + alarmId + "']")));
                assertThat(driver.findElements(By.cssSelector("button.ack"))).as("a viewer may not acknowledge").isEmpty();
                assertThat(driver.findElement(By.id("district-view")).isDisplayed()).isFalse();
                assertThat(driver.findElement(By.id("back")).isDisplayed()).isFalse();
                assertThat(driver.findElement(By.id("who")).getText()).isEqualTo(VIEWER + " · School viewer · " + SCHOOL_1);
                // another school in the address is not shown: back to its own
                driver.get(base + "#/school/" + SCHOOL_2);
                wait.until(ExpectedConditions.urlContains("#/school/" + SCHOOL_1));
                wait.until(ExpectedConditions.textToBe(By.id("school-name"), "THCS Nguyễn Du"));
                shots.add(screenshot(driver, "06-school-viewer"));
            } catch (AssertionError | RuntimeException e) {
                shots.add(screenshot(driver, "99-failure"));
                throw new AssertionError(e.getMessage() + "\nbrowser console:\n" + browserLog(driver), e);
            }
            for (Path shot : shots) {
                byte[] png = Files.readAllBytes(shot);
                assertThat(png.length).as("%s", shot).isGreaterThan(1000);
                assertThat(java.util.Arrays.copyOf(png, 8)).as("%s is a PNG", shot)
                        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            }
        } finally {
            if (driver != null) {
                driver.quit();
            }
            HubFixture.await(hub.close());
        }
    }

    // ---- the page ----

    private static void signIn(WebDriver driver, WebDriverWait wait, String user, String password) {
        WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user")));
        name.clear();
        name.sendKeys(user);
        WebElement secret = driver.findElement(By.id("login-password"));
        secret.clear();
        secret.sendKeys(password);
        driver.findElement(By.id("login-submit")).click();
    }

    /** True when the panels are stacked: the same left edge and width, each below the one before. */
    private static boolean oneColumn(WebDriver driver, String... ids) {
        WebElement first = driver.findElement(By.id(ids[0]));
        int left = first.getRect().getX();
        int width = first.getRect().getWidth();
        int bottom = -1;
        for (String id : ids) {
            org.openqa.selenium.Rectangle r = driver.findElement(By.id(id)).getRect();
            if (r.getX() != left || Math.abs(r.getWidth() - width) > 1 || r.getY() < bottom) {
                return false;
            }
            bottom = r.getY() + r.getHeight();
        }
        return width <= 390;
    }

    /**
     * The chart's x axis as uPlot drew it (its canvas labels, kept in {@code data-ticks}) and its legend and table for
     * screen readers are in one language: every tick "HH:mm" (24-hour), the first with its day as the language writes
     * it, the day the data starts or ends on in the school's zone (the data spans the last 25 minutes, in 15-minute buckets);
     * the values as {@code number} (the language's decimal mark, no thousands separator: "2400", not "2,400").
     */
    private static void assertChartInLanguage(WebDriver driver, WebDriverWait wait, String timeLabel, DateTimeFormatter dayFormat,
            String number) {
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(SCHOOL_ZONE);
        List<String> days = List.of(now.format(dayFormat), now.minusMinutes(60).format(dayFormat));
        List<String> ticks = new ArrayList<>();
        try {
            wait.until(d -> {
                String json = d.findElement(By.id("chart")).getAttribute("data-ticks");
                ticks.clear();
                if (json != null) {
                    new io.vertx.core.json.JsonArray(json).forEach(tick -> ticks.add((String) tick));
                }
                return !ticks.isEmpty() && days.contains(ticks.get(0).substring(ticks.get(0).indexOf('\n') + 1));
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("the chart's first tick has none of the days " + days + ": " + ticks, e);
        }
        assertThat(ticks.get(0)).as("the first tick has its day on a second line").contains("\n");
        for (String tick : ticks) {
            assertThat(tick.split("\n")[0]).as("tick %s of %s", tick, ticks).matches("([01]\\d|2[0-3]):[0-5]\\d");
        }
        List<String> values = new ArrayList<>();
        new io.vertx.core.json.JsonArray(driver.findElement(By.id("chart")).getAttribute("data-value-ticks"))
                .forEach(v -> values.add((String) v));
        assertThat(values).as("the value axis").isNotEmpty().allMatch(v -> v.matches(number), "written " + number);
        assertThat(driver.findElement(By.cssSelector("#chart .u-legend .u-series:first-child .u-label")).getText())
                .isEqualTo(timeLabel);
        // the points for screen readers: a header row, then one row per point, its time 24-hour
        List<WebElement> rows = driver.findElements(By.cssSelector("#chart table.chart-table tr"));
        assertThat(rows).hasSize(1 + Integer.parseInt(driver.findElement(By.id("chart")).getAttribute("data-points")));
        assertThat(rows.get(0).findElement(By.tagName("th")).getAttribute("textContent")).isEqualTo(timeLabel);
        assertThat(rows.get(1).findElement(By.tagName("td")).getAttribute("textContent"))
                .containsPattern("(^|\\D)([01]\\d|2[0-3]):[0-5]\\d($|\\D)").doesNotContainPattern("(?i)\\b[ap]\\.?m\\b|\\bSA\\b|\\bCH\\b");
        assertThat(rows.get(1).findElements(By.tagName("td")).get(1).getAttribute("textContent")).matches(number);
    }

    /** The console's own rendering (detail.js, with the page's dictionary) of alarm details as gateways send them. */
    private static List<String> alarmDetails(WebDriver driver, String... details) {
        Object answer = ((JavascriptExecutor) driver).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + " import('/console/detail.js').then(m => done(arguments[0].map(d => m.alarmDetail(d, {Cel: '°C', '%RH': '%'}))),"
                + " e => done(['import failed: ' + e]));", List.of(details));
        List<String> out = new ArrayList<>();
        ((List<?>) answer).forEach(a -> out.add(String.valueOf(a)));
        return out;
    }

    private static Path screenshot(WebDriver driver, String name) throws java.io.IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    private static String browserLog(WebDriver driver) {
        try {
            StringBuilder out = new StringBuilder();
            for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
                out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    // ---- the data ----

    private static void createUser(Http admin, String name, String password, String role, String school) throws Exception {
        JsonObject body = new JsonObject().put("name", name).put("password", password).put("role", role).put("school", school);
        Http.Response created = admin.send("POST", "/api/v1/auth/users", body.encode());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    private static void attendance(Http admin, String eventId, String learner, String category, LocalDate day) throws Exception {
        Http.Response posted = admin.send("POST", "/api/v1/attendance/events", new JsonObject().put("eventId", eventId)
                .put("school", SCHOOL_1).put("learnerId", learner).put("classId", "6a").put("date", day.toString())
                .put("session", "morning").put("category", category)
                .put("at", day.atTime(7, 5).atZone(SCHOOL_ZONE).toInstant().toString()).encode());
        assertThat(posted.status()).as(posted.body()).isEqualTo(202);
    }

    /**
     * A classroom's last 25 minutes as a gateway sends them: CO2 at 2400 ppm in r101 for long enough that the school's
     * default rules (run here by the edge gateway's rule engine, as at the school) raise a critical alarm, which
     * travels in the same batch. Returns the alarm's id.
     */
    private static String sendClassroomWithAnAlarm(TestGateway gateway) throws Exception {
        long now = System.currentTimeMillis();
        DeviceRef r101 = new DeviceRef(SCHOOL_1, "r101", "r101-air");
        DeviceRef r102 = new DeviceRef(SCHOOL_1, "r102", "r102-air");
        List<Reading> readings = new ArrayList<>();
        for (int minute = 25; minute >= 1; minute--) {
            readings.add(Reading.of(r101, Quantity.CO2, minute == 25 ? 900 : 2400, now - minute * 60_000L));
        }
        readings.add(Reading.of(r101, Quantity.TEMPERATURE, 29.4, now - 60_000));
        readings.add(Reading.of(r101, Quantity.HUMIDITY, 71, now - 60_000));
        readings.add(Reading.of(r102, Quantity.CO2, 640, now - 60_000));
        RuleEngine rules = new RuleEngine(RuleBook.defaults(Map.of("r101", "classroom", "r102", "classroom")),
                LessonHours.vietnameseDefault());
        List<AlarmTransition> transitions = new ArrayList<>();
        readings.forEach(r -> transitions.addAll(rules.onReading(r)));
        assertThat(transitions).as("the school's rules raise an alarm on r101's CO2").isNotEmpty()
                .allMatch(t -> t.room().equals("r101") && t.kind() != AlarmTransition.Kind.CLEARED);
        assertThat(transitions.get(transitions.size() - 1).severity().id()).isEqualTo("critical");
        List<DeviceEvent> events = transitions.stream().map(AlarmTransitions::asEvent).toList();
        assertThat(gateway.sendBatch(new Batch(GATEWAY_1 + "-console-1", GATEWAY_1, SCHOOL_1, readings, events)).reasonCode()).isZero();
        return transitions.get(0).alarmId();
    }

    private static Path inventory(Path dir) throws java.io.IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), """
                version: 1
                district:
                  id: console-test
                  name: Phòng Giáo dục Quận 3
                schools:
                  - id: %s
                    name: THCS Nguyễn Du
                    location: {latitude: 10.7867, longitude: 106.6857}
                    timeZone: Asia/Ho_Chi_Minh
                    buildings:
                      - id: bldg-1
                        rooms:
                          - id: r101
                            name: Lớp 6A1
                            kind: classroom
                            equipment:
                              - id: r101-air
                                type: air-quality-sensor
                                status: in-service
                                maintenance:
                                  - date: 2025-02-17
                                    kind: calibration
                                    by: Tổ thiết bị
                          - id: r102
                            name: Lớp 6A2
                            kind: classroom
                            equipment:
                              - id: r102-air
                                type: air-quality-sensor
                                status: under-repair
                  - id: %s
                    name: Tiểu học Lê Lợi
                    location: {latitude: 10.7794, longitude: 106.6917}
                    timeZone: Asia/Ho_Chi_Minh
                    buildings:
                      - id: bldg-b
                        rooms:
                          - id: rb1
                            kind: classroom
                """.formatted(SCHOOL_1, SCHOOL_2));
    }

    // ---- the browser ----

    /** Debian's chromium and chromedriver; the test is skipped without them, except where services are required (CI). */
    private record Browser(String chromium, String driver) {
        static Browser find() {
            String chromium = first(System.getenv("SS_TEST_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser");
            String driver = first(System.getenv("SS_TEST_CHROMEDRIVER"), "/usr/bin/chromedriver");
            if (chromium == null || driver == null) {
                String message = "no " + (chromium == null ? "chromium" : "chromedriver") + " for the console's browser test: "
                        + "apt-get install chromium chromium-driver (or set SS_TEST_CHROMIUM / SS_TEST_CHROMEDRIVER)";
                if ("1".equals(System.getenv("SS_TEST_REQUIRE_SERVICES"))) {
                    Assertions.fail(message + " (SS_TEST_REQUIRE_SERVICES=1: required, not skipped)");
                }
                Assumptions.abort(message);
            }
            return new Browser(chromium, driver);
        }

        private static String first(String... candidates) {
            for (String candidate : candidates) {
                if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            return null;
        }

        WebDriver start(Path dir) throws java.io.IOException {
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium);
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,1000", "--no-first-run", "--disable-background-networking", "--disable-sync",
                    "--disable-component-update", "--lang=vi",
                    "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")),
                    // as at an offline school (and on build machines without internet): only the hub answers, so the
                    // map's tiles fail and the console draws its outline
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1");
            options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(driver))
                    .usingAnyFreePort()
                    .withLogFile(dir.resolve("chromedriver.log").toFile())
                    .build();
            ChromeDriver chrome = new ChromeDriver(service, options);
            chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return chrome;
        }
    }
}
