package dev.patguard.fakebrms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A small real-HTTP client for the tests. */
final class Http {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private Http() {}

  static HttpRequest.Builder request(FakeBrms brms, String path, @Nullable String secret) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(brms.baseUrl() + path)).timeout(Duration.ofSeconds(30));
    if (secret != null) {
      builder.header("Authorization", "Bearer " + secret);
    }
    return builder;
  }

  static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> get(FakeBrms brms, String path, @Nullable String secret) {
    return send(request(brms, path, secret).GET().build());
  }

  static HttpResponse<String> post(
      FakeBrms brms, String path, @Nullable String secret, String body) {
    return send(
        request(brms, path, secret)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  static HttpResponse<String> delete(FakeBrms brms, String path, @Nullable String secret) {
    return send(request(brms, path, secret).DELETE().build());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
