package datahike.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import datahike.api.Operation;
import datahike.server.codec.Format;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI 3.0 description of the HTTP API, generated from the {@link Operation} table (the same
 * table the routes come from, so the two cannot drift): one {@code POST} path per remote operation
 * with its arguments as the request body's properties, plus {@code /health}, {@code GET /metrics}
 * and {@code /openapi.json}.
 */
final class OpenApi {
  private OpenApi() {}

  private static final String VERSION = "0.1.0-SNAPSHOT";

  /** The document as JSON bytes. */
  static byte[] json() {
    try {
      return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The document as nested maps and lists. */
  static Map<String, Object> document() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.0.3");
    doc.put(
        "info",
        map(
            "title",
            "Datahike HTTP API",
            "version",
            VERSION,
            "description",
            "Datahike's operations over HTTP. Every operation is a POST whose body holds its "
                + "arguments by name, in JSON (keywords as \":kw\" strings, see JsonCodec), EDN "
                + "or Transit-JSON, chosen by Content-Type; the answer uses the Accept type. "
                + "Operations that change data need Authorization: token <token>."));
    Map<String, Object> paths = new LinkedHashMap<>();
    for (Operation op : Operation.values()) {
      if (!op.remote()) continue;
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("post", operation(op));
      paths.put(op.route(), item);
    }
    // The database metrics operation is POST /metrics; the Prometheus scrape is GET /metrics.
    Map<String, Object> metrics =
        cast(paths.computeIfAbsent("/metrics", k -> new LinkedHashMap<String, Object>()));
    metrics.put(
        "get",
        map(
            "operationId",
            "prometheusMetrics",
            "summary",
            "Server metrics in Prometheus text format.",
            "security",
            readSecurity(),
            "responses",
            map(
                "200",
                map(
                    "description",
                    "Prometheus text exposition",
                    "content",
                    map("text/plain", map("schema", map("type", "string")))),
                "401",
                ref("Unauthorized"))));
    paths.put(
        "/health",
        map(
            "get",
            map(
                "operationId",
                "health",
                "summary",
                "Liveness: {\"status\": \"ok\"} while the server serves requests.",
                "security",
                List.of(),
                "responses",
                map(
                    "200",
                    map(
                        "description",
                        "The server is up",
                        "content",
                        map("application/json", map("schema", map("type", "object"))))))));
    paths.put(
        "/openapi.json",
        map(
            "get",
            map(
                "operationId",
                "openapi",
                "summary",
                "This document.",
                "security",
                List.of(),
                "responses",
                map(
                    "200",
                    map(
                        "description",
                        "OpenAPI 3.0 document",
                        "content",
                        map("application/json", map("schema", map("type", "object"))))))));
    doc.put("paths", paths);
    doc.put("components", components());
    doc.put("security", readSecurity());
    return doc;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  private static Map<String, Object> operation(Operation op) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("operationId", op.javaName());
    o.put("summary", op.doc());
    o.put("tags", List.of(op.kind().name().toLowerCase(java.util.Locale.ROOT)));
    o.put("x-datahike-mutates", op.mutates());
    o.put("security", op.mutates() ? writeSecurity() : readSecurity());
    Map<String, Object> props = new LinkedHashMap<>();
    List<String> required = new ArrayList<>();
    for (Operation.Arg a : op.args()) {
      props.put(a.name(), argSchema(a));
      if (!Api.optional(a)) required.add(a.name());
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", props);
    if (!required.isEmpty()) schema.put("required", required);
    schema.put("additionalProperties", false);
    Map<String, Object> content = new LinkedHashMap<>();
    for (Format f : Format.values()) {
      content.put(f.mediaType(), f == Format.JSON ? map("schema", schema) : map("schema", map()));
    }
    o.put("requestBody", map("required", true, "content", content));
    Map<String, Object> responses = new LinkedHashMap<>();
    Map<String, Object> ok = new LinkedHashMap<>();
    for (Format f : Format.values()) ok.put(f.mediaType(), map("schema", map()));
    responses.put("200", map("description", "The result", "content", ok));
    responses.put("400", ref("BadRequest"));
    responses.put("401", ref("Unauthorized"));
    if (op.mutates()) responses.put("403", ref("Forbidden"));
    responses.put("404", ref("NotFound"));
    responses.put("413", ref("TooLarge"));
    responses.put("422", ref("Rejected"));
    o.put("responses", responses);
    return o;
  }

  private static Map<String, Object> argSchema(Operation.Arg a) {
    switch (a.type()) {
      case CONFIG:
        return map(
            "description", "A database configuration map (or its EDN text)",
            "$ref", "#/components/schemas/Config");
      case CONN:
        return map(
            "description", "The database to change: a name, a configuration or a reference",
            "$ref", "#/components/schemas/DatabaseRef");
      case DB:
        return map(
            "description", "The database value to read, with optional basis and views",
            "$ref", "#/components/schemas/DatabaseRef");
      case VARARGS:
        return map(
            "type",
            "array",
            "items",
            map(),
            "description",
            a.name().equals("inputs")
                ? "Query inputs; databases as {\"#datahike/DB\": DatabaseRef}"
                : "Index components");
      default:
        return map("description", a.name() + ": EDN data, or an EDN string");
    }
  }

  private static Map<String, Object> components() {
    Map<String, Object> schemas = new LinkedHashMap<>();
    schemas.put(
        "Config",
        map(
            "type",
            "object",
            "description",
            "Datahike configuration, e.g. {\"store\": {\"backend\": \":memory\", \"id\": \"x\"}}",
            "properties",
            map("store", map("type", "object"), "name", map("type", "string"))));
    schemas.put(
        "DatabaseRef",
        map(
            "description",
            "A database name, a configuration, or {\"name\"|\"config\", \"basis-t\"?, \"as-of\"?, "
                + "\"since\"?, \"history\"?, \"views\"?}; the #datahike/DB values the server "
                + "returns may be sent back as they are",
            "oneOf",
            List.of(
                map("type", "string"),
                map("$ref", "#/components/schemas/Config"),
                map(
                    "type",
                    "object",
                    "properties",
                    map(
                        "name", map("type", "string"),
                        "config", map("$ref", "#/components/schemas/Config"),
                        "basis-t", map("type", "integer", "format", "int64"),
                        "as-of", map(),
                        "since", map(),
                        "history", map("type", "boolean"),
                        "views", map("type", "array", "items", map()))))));
    schemas.put(
        "Error",
        map(
            "type",
            "object",
            "required",
            List.of("error", "message"),
            "properties",
            map(
                "error", map("type", "string", "example", ":server/unauthorized"),
                "message", map("type", "string"),
                "data", map("type", "object"))));
    Map<String, Object> responses = new LinkedHashMap<>();
    responses.put("BadRequest", error("Malformed body or arguments"));
    responses.put("Unauthorized", error("Missing or invalid token"));
    responses.put("Forbidden", error("The token may not call this operation"));
    responses.put("NotFound", error("No such route or database"));
    responses.put("TooLarge", error("The body exceeds :max-body-bytes"));
    responses.put("Rejected", error("The operation failed; the error code says why"));
    return map(
        "schemas",
        schemas,
        "responses",
        responses,
        "securitySchemes",
        map(
            "token",
            map(
                "type", "apiKey",
                "in", "header",
                "name", "Authorization",
                "description", "Authorization: token <token> (the read-write token)"),
            "readOnlyToken",
            map(
                "type", "apiKey",
                "in", "header",
                "name", "Authorization",
                "description", "Authorization: token <read-only token> (reads only)")));
  }

  private static List<Object> readSecurity() {
    return List.of(map("token", List.of()), map("readOnlyToken", List.of()));
  }

  private static List<Object> writeSecurity() {
    return List.of(map("token", List.of()));
  }

  private static Map<String, Object> error(String description) {
    return map(
        "description",
        description,
        "content",
        map("application/json", map("schema", map("$ref", "#/components/schemas/Error"))));
  }

  private static Map<String, Object> ref(String response) {
    return map("$ref", "#/components/responses/" + response);
  }

  private static Map<String, Object> map(Object... kvs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kvs.length; i += 2) m.put((String) kvs[i], kvs[i + 1]);
    return m;
  }
}
