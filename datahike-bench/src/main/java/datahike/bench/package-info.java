/**
 * Internal: the benchmark harnesses behind {@code datahike bench}; not an API. Entry point {@link
 * datahike.bench.BenchMain}.
 */
package datahike.bench;
