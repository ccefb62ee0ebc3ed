package datahike.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The server's metrics, one registry per server, scraped at {@code GET /metrics} in Prometheus text
 * format: {@code datahike_server_requests_seconds} by route and status, {@code
 * datahike_server_errors_total} by error code, {@code datahike_server_open_databases}, and the
 * JVM's memory, GC, threads, CPU and uptime.
 */
final class ServerMetrics implements AutoCloseable {
  /** The content type of a scrape. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  ServerMetrics(IntSupplier openDatabases) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    gc.bindTo(registry);
    Gauge.builder("datahike.server.open.databases", openDatabases::getAsInt)
        .description("Databases the server has open")
        .register(registry);
  }

  /** Records one request. */
  void request(String route, int status, long nanos) {
    Timer.builder("datahike.server.requests")
        .description("HTTP requests by route and status")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Counts one error answer by its code. */
  void error(String code) {
    Counter.builder("datahike.server.errors")
        .description("Error answers by code")
        .tag("code", code)
        .register(registry)
        .increment();
  }

  /** The Prometheus text of every metric. */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
