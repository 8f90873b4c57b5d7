package org.smartschool.hub.store.influx;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.smartschool.bridge.text.SafeText;

/** Turns a failed {@code /write} answer into an {@link InfluxHttpStatusException} that keeps the status. */
final class WriteStatusInterceptor implements Interceptor {
    /** InfluxDB's error bodies are short; a proxy's error page is not worth more. */
    private static final int MAX_ERROR_CHARS = 300;

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.isSuccessful() || !chain.request().url().encodedPath().endsWith("/write")) {
            return response;
        }
        String body;
        try (ResponseBody errorBody = response.body()) {
            body = errorBody == null ? "" : errorBody.string();
        }
        throw new InfluxHttpStatusException(response.code(), SafeText.clean(errorText(body), MAX_ERROR_CHARS));
    }

    /** The {@code error} of InfluxDB's {@code {"error":"..."}}, or the body as it is. */
    private static String errorText(String body) {
        String marker = "\"error\":\"";
        int start = body.indexOf(marker);
        if (start < 0) {
            return body.isBlank() ? "(no message)" : body.strip();
        }
        int end = body.lastIndexOf('"');
        return end > start + marker.length() ? body.substring(start + marker.length(), end) : body;
    }
}
