/**
 * Jazzer fuzz tests of everything that reads outside input: the EDN reader, queries and query
 * inputs, pull patterns, transaction data, and the binary decoders of stored nodes, log records,
 * values and store frames. The only allowed failure of every target is a {@link
 * datahike.DatahikeException}; any other exception, a {@link StackOverflowError}, or a hang is a
 * bug.
 *
 * <p>In a plain build each {@code @FuzzTest} replays its committed seeds from {@code
 * src/test/resources/datahike/fuzz/<Class>Inputs/<method>/} in seconds. Inputs that found a bug
 * which is not fixed yet live in {@code .../fuzz/bugs/} and replay in {@link KnownBugsTest}. To
 * fuzz one target (Jazzer fuzzes one method per JVM):
 *
 * <pre>
 * JAZZER_FUZZ=1 JAZZER_MAX_EXECUTIONS=10000000 JAZZER_MAX_DURATION=10m \
 * JAZZER_DISABLED_HOOKS=com.code_intelligence.jazzer.sanitizers.RegexInjection \
 * mvn -pl datahike-core test -Dtest='datahike.fuzz.QueryFuzzTest#query' \
 *   -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-timeout=30
 * </pre>
 *
 * The RegexInjection sanitizer is off because EDN {@code #"..."} literals and {@code re-pattern}
 * compile their input by design (as in Clojure and Datahike); {@code -timeout} is libFuzzer's
 * per-input hang limit in seconds. Findings are written beside the seeds as {@code crash-*} or
 * {@code timeout-*}; new corpus entries go to {@code datahike-core/.cifuzz-corpus/} (not
 * committed).
 */
package datahike.fuzz;
