package org.smartschool.hub.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local HTTP server that behaves like the parts of an Ed-Fi ODS/API v7 the connector uses: an OAuth2
 * token endpoint (client credentials with HTTP Basic auth) and the StudentSchoolAttendanceEvent and
 * StudentSectionAttendanceEvent resources, which check the bearer token, validate the required fields
 * and descriptor URIs (400 with an Ed-Fi-like problem body otherwise), upsert by natural key (201 or
 * 200, with {@code Location}) and DELETE by id. Tests can make it fail (500), hang, expire tokens, or
 * refuse a descriptor.
 */
public final class EdfiTestServer implements AutoCloseable {
    public static final String KEY = "hub-client";
    public static final String SECRET = "hub-client-secret-0123";
    public static final String DESCRIPTOR_PREFIX = "uri://ed-fi.org/AttendanceEventCategoryDescriptor#";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received, for assertions on order. */
    public record Request(String method, String resource, String studentUniqueId, String descriptor, int status) {
    }

    /** A stored resource. */
    public record Resource(String resource, String id, JsonNode body) {
        public String student() {
            return body.path("studentReference").path("studentUniqueId").asText();
        }

        public String descriptor() {
            return body.path("attendanceEventCategoryDescriptor").asText();
        }
    }

    private final HttpServer server;
    private final Set<String> descriptors = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> tokens = new ConcurrentHashMap<>();
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    private final Map<String, String> idsByKey = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final ConcurrentLinkedQueue<Integer> forcedStatuses = new ConcurrentLinkedQueue<>();
    private final AtomicInteger hangs = new AtomicInteger();
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicInteger unauthorized = new AtomicInteger();
    private final AtomicInteger received = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile long tokenSeconds = 1800;
    private volatile boolean hangAll;

    public EdfiTestServer() throws IOException {
        for (String d : List.of("In Attendance", "Tardy", "Excused Absence", "Unexcused Absence", "Early departure")) {
            descriptors.add(DESCRIPTOR_PREFIX + d);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool()); // a hanging request holds a thread
        server.createContext("/oauth/token", this::token);
        server.createContext("/data/v3/ed-fi/studentSchoolAttendanceEvents", ex -> resource(ex, "studentSchoolAttendanceEvents"));
        server.createContext("/data/v3/ed-fi/studentSectionAttendanceEvents", ex -> resource(ex, "studentSectionAttendanceEvents"));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/data/v3";
    }

    public String tokenUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth/token";
    }

    /** How long the tokens it issues from now on live, in seconds ({@code expires_in}). */
    public void tokenSeconds(long seconds) {
        tokenSeconds = seconds;
    }

    /** Every token issued so far stops working (401), as after its expiry on the server's side. */
    public void expireTokens() {
        tokens.clear();
    }

    public int tokensIssued() {
        return tokensIssued.get();
    }

    /** How many resource requests arrived, answered or not. */
    public int received() {
        return received.get();
    }

    /** How many resource requests it refused for a missing, unknown or expired token. */
    public int unauthorized() {
        return unauthorized.get();
    }

    /** The next resource requests answer these statuses (with an error body) instead of their work. */
    public void failNext(int... statuses) {
        for (int s : statuses) {
            forcedStatuses.add(s);
        }
    }

    /** The next {@code n} resource requests never answer (until {@link #close()}). */
    public void hangNext(int n) {
        hangs.addAndGet(n);
    }

    /** Every resource request from now on hangs: a dead server that still accepts connections. */
    public void hangAll() {
        hangAll = true;
    }

    /** The server no longer knows this category (it answers 400 for it). */
    public void refuseDescriptor(String codeValue) {
        descriptors.remove(DESCRIPTOR_PREFIX + codeValue);
    }

    /** Deletes a resource as somebody else would (an administrator, another system): our DELETE then finds it gone. */
    public void deleteBehindTheConnectorsBack(String id) {
        resources.remove(id);
        idsByKey.values().remove(id);
    }

    /** The server knows this category again. */
    public void acceptDescriptor(String codeValue) {
        descriptors.add(DESCRIPTOR_PREFIX + codeValue);
    }

    /** The resource requests answered (not those forced to fail or hang), in order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public List<Resource> resources() {
        return List.copyOf(resources.values());
    }

    private void token(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String expected = "Basic " + Base64.getEncoder().encodeToString((KEY + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
        if (!"POST".equals(ex.getRequestMethod())) {
            send(ex, 405, null, null);
        } else if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            send(ex, 401, "{\"error\":\"invalid_client\"}", null);
        } else if (!String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).startsWith("application/x-www-form-urlencoded")
                || !body.strip().equals("grant_type=client_credentials")) {
            send(ex, 400, "{\"error\":\"unsupported_grant_type\"}", null);
        } else {
            String token = UUID.randomUUID().toString().replace("-", "");
            tokens.put(token, System.currentTimeMillis() + tokenSeconds * 1000);
            tokensIssued.incrementAndGet();
            send(ex, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":" + tokenSeconds + ",\"token_type\":\"bearer\"}", null);
        }
    }

    private void resource(HttpExchange ex, String resource) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        received.incrementAndGet();
        if (hangAll || hangs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
            return;
        }
        Integer forced = forcedStatuses.poll();
        if (forced != null) {
            send(ex, forced, problem(forced, "Forced failure", "The test made this request fail.", Map.of()), null);
            return;
        }
        String header = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
        Long expires = header.startsWith("Bearer ") ? tokens.get(header.substring(7)) : null;
        if (expires == null || expires < System.currentTimeMillis()) {
            unauthorized.incrementAndGet();
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            send(ex, 401, problem(401, "Not Authorized", "Authorization denied. The access token is expired or invalid.", Map.of()), null);
            return;
        }
        String path = ex.getRequestURI().getPath();
        String prefix = "/data/v3/ed-fi/" + resource;
        String id = path.length() > prefix.length() + 1 ? path.substring(prefix.length() + 1) : null;
        switch (ex.getRequestMethod()) {
            case "POST" -> post(ex, resource, raw);
            case "DELETE" -> {
                Resource gone = id == null ? null : resources.remove(id);
                if (gone != null) {
                    idsByKey.values().remove(id);
                }
                requests.add(new Request("DELETE", resource, gone == null ? null : gone.student(),
                        gone == null ? null : gone.descriptor(), gone == null ? 404 : 204));
                send(ex, gone == null ? 404 : 204, gone == null ? problem(404, "Not Found", "Resource was not found.", Map.of()) : null, null);
            }
            default -> send(ex, 405, null, null);
        }
    }

    private void post(HttpExchange ex, String resource, byte[] raw) throws IOException {
        JsonNode body;
        try {
            body = JSON.readTree(raw);
        } catch (IOException e) {
            send(ex, 400, problem(400, "Data Validation Failed", "The request body is not valid JSON.", Map.of()), null);
            return;
        }
        Map<String, List<String>> errors = new LinkedHashMap<>();
        text(body, "studentReference", "studentUniqueId", errors);
        String descriptor = body.path("attendanceEventCategoryDescriptor").asText("");
        if (descriptor.isEmpty()) {
            errors.put("$.attendanceEventCategoryDescriptor", List.of("attendanceEventCategoryDescriptor is required."));
        } else if (!descriptors.contains(descriptor)) {
            errors.put("$.attendanceEventCategoryDescriptor", List.of("AttendanceEventCategoryDescriptor value '" + descriptor
                    + "' does not exist."));
        }
        try {
            LocalDate.parse(body.path("eventDate").asText(""));
        } catch (DateTimeParseException e) {
            errors.put("$.eventDate", List.of("eventDate is required and must be a date (yyyy-mm-dd)."));
        }
        if (resource.equals("studentSchoolAttendanceEvents")) {
            number(body, "schoolReference", "schoolId", errors);
            number(body, "sessionReference", "schoolId", errors);
            number(body, "sessionReference", "schoolYear", errors);
            text(body, "sessionReference", "sessionName", errors);
        } else {
            text(body, "sectionReference", "localCourseCode", errors);
            number(body, "sectionReference", "schoolId", errors);
            number(body, "sectionReference", "schoolYear", errors);
            text(body, "sectionReference", "sectionIdentifier", errors);
            text(body, "sectionReference", "sessionName", errors);
        }
        if (!errors.isEmpty()) {
            requests.add(new Request("POST", resource, body.path("studentReference").path("studentUniqueId").asText(null), descriptor, 400));
            send(ex, 400, problem(400, "Data Validation Failed",
                    "Data validation failed. See 'validationErrors' for details.", errors), null);
            return;
        }
        // the natural key: everything but optional fields; the category descriptor is part of it
        ObjectNode key = body.deepCopy();
        key.remove(List.of("id", "arrivalTime", "departureTime", "attendanceEventReason", "eventDuration"));
        String naturalKey = resource + key;
        String existing = idsByKey.get(naturalKey);
        String id = existing != null ? existing : UUID.randomUUID().toString().replace("-", "");
        idsByKey.put(naturalKey, id);
        resources.put(id, new Resource(resource, id, body));
        int status = existing != null ? 200 : 201;
        requests.add(new Request("POST", resource, body.path("studentReference").path("studentUniqueId").asText(), descriptor, status));
        send(ex, status, null, baseUrl() + "/ed-fi/" + resource + "/" + id);
    }

    private static void text(JsonNode body, String object, String field, Map<String, List<String>> errors) {
        if (!body.path(object).path(field).isTextual() || body.path(object).path(field).asText().isBlank()) {
            errors.put("$." + object + "." + field, List.of(field + " is required."));
        }
    }

    private static void number(JsonNode body, String object, String field, Map<String, List<String>> errors) {
        if (!body.path(object).path(field).isIntegralNumber()) {
            errors.put("$." + object + "." + field, List.of(field + " is required and must be an integer."));
        }
    }

    private static String problem(int status, String title, String detail, Map<String, List<String>> validationErrors) {
        ObjectNode p = JSON.createObjectNode();
        p.put("detail", detail);
        p.put("type", "urn:ed-fi:api:" + (status == 400 ? "bad-request:data-validation-failed" : "error"));
        p.put("title", title);
        p.put("status", status);
        p.put("correlationId", UUID.randomUUID().toString());
        if (!validationErrors.isEmpty()) {
            p.set("validationErrors", JSON.valueToTree(validationErrors));
        }
        return p.toString();
    }

    private static void send(HttpExchange ex, int status, String body, String location) throws IOException {
        if (location != null) {
            ex.getResponseHeaders().add("Location", location);
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
        } else {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/problem+json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
        }
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
